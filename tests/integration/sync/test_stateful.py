"""Hypothesis state machine: two field devices and a supervisor against a restarting server.

Devices queue mutations offline, push with lost responses and replays, pull
with tiny pages, and the server is closed and reopened at any point. The
invariants are the protocol's: exactly one record per id, ``last_mutation_id``
monotonic and atomic with the effects, a valid status history, and after a
quiescent round every replica equals the server.
"""
from __future__ import annotations

import shutil
import tempfile

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule

from server.services import sync_service
from server.store.sql_store import SqlStore
from server.uploads import UploadStore
from sync.actor import buckets_for
from sync.errors import MutationGap
from checklists.workflow.tickets import TRANSITIONS

from .helpers import (ENGINEER, GUARD, SITE_A, SUPERVISOR, Replica, find_definition, evaluate,
                      server_view)

DEVICES = {"A": (GUARD, "ca"), "B": (ENGINEER, "cb"), "S": (SUPERVISOR, "cs")}
device_names = st.sampled_from(sorted(DEVICES))


class Device:
    def __init__(self, name):
        self.actor, self.client_id = DEVICES[name]
        self.name = name
        self.outbox: list[dict] = []
        self.next_id = 1
        self.replica = Replica()
        self.created_tickets: set[str] = set()
        self.submitted: dict[int, str] = {}  # mutation id -> result id
        self.counter = 0

    def enqueue(self, name, **args):
        self.outbox.append({"id": self.next_id, "name": name, "client_ts": None, "args": args})
        self.next_id += 1

    def acknowledge(self, last_mutation_id):
        self.outbox = [m for m in self.outbox if m["id"] > last_mutation_id]

    def fresh_id(self, prefix):
        self.counter += 1
        return f"{prefix}-{self.name}-{self.counter}"

    def known_tickets(self):
        pulled = {i for (t, i) in self.replica.records() if t == "tickets"}
        return sorted(pulled | self.created_tickets)

    def ticket(self, ticket_id):
        return self.replica.records().get(("tickets", ticket_id))


class SyncMachine(RuleBasedStateMachine):
    def __init__(self):
        super().__init__()
        self.dir = tempfile.mkdtemp(prefix="sync-stateful-")
        self.store = SqlStore.sqlite(f"{self.dir}/fieldsync.db")
        self.uploads = UploadStore(f"{self.dir}/photos")
        self.devices = {n: Device(n) for n in DEVICES}
        self.server_last = {d.client_id: 0 for d in self.devices.values()}

    def teardown(self):
        self.store.close()
        shutil.rmtree(self.dir, ignore_errors=True)

    # -- local work ------------------------------------------------------------
    @rule(name=device_names, verdict=st.sampled_from(["pass", "fail"]))
    def submit(self, name, verdict):
        device = self.devices[name]
        if len(device.submitted) >= 6:
            return
        rid = device.fresh_id("r")
        device.submitted[device.next_id] = rid
        device.enqueue("submit_result", result_id=rid, site_id=SITE_A,
                       checklist={"id": "cl-fire", "version": 1}, answers={"q1": verdict})

    @rule(name=device_names)
    def create_ticket(self, name):
        device = self.devices[name]
        if len(device.created_tickets) >= 1:
            return  # few tickets, so concurrent edits of the same one are common
        tid = device.fresh_id("t")
        device.created_tickets.add(tid)
        device.enqueue("create_ticket", ticket_id=tid, site_id=SITE_A, title=f"issue {tid}")

    @rule(name=device_names, data=st.data(),
          field=st.sampled_from(["title", "description", "work_notes", "priority"]),
          value=st.sampled_from(["low", "high", "urgent", "normal"]))
    def edit_ticket(self, name, data, field, value):
        device = self.devices[name]
        if not device.known_tickets():
            return
        tid = data.draw(st.sampled_from(device.known_tickets()))
        local = device.ticket(tid)
        base = local["fv"].get(field, 0) if local else (1 if field == "title" else 0)
        device.enqueue("edit_ticket", ticket_id=tid, set={field: value}, base_fv={field: base})

    @rule(pair=st.permutations(sorted(DEVICES)), data=st.data(),
          field=st.sampled_from(["title", "description", "work_notes"]))
    def concurrent_edit(self, pair, data, field):
        """Two devices edit the same field from the version they both hold."""
        first, second = self.devices[pair[0]], self.devices[pair[1]]
        shared = sorted({i for (t, i) in first.replica.records() if t == "tickets"}
                        & {i for (t, i) in second.replica.records() if t == "tickets"})
        if not shared:
            return
        tid = data.draw(st.sampled_from(shared))
        sent = []
        for device in (first, second):
            base = device.ticket(tid)["fv"].get(field, 0)
            sent.append(device.fresh_id("v"))
            device.enqueue("edit_ticket", ticket_id=tid, set={field: sent[-1]},
                           base_fv={field: base})
        self.push(first.name, False, 1)
        self.push(second.name, False, 1)
        ticket = self.store.get("tickets", tid).doc
        lost = [c["lost_value"] for c in ticket["conflicts"] if c["field"] == field]
        for value in sent:  # nothing silently dropped: each value is current or kept
            assert value == ticket.get(field) or value in lost

    @rule(name=device_names, data=st.data())
    def comment(self, name, data):
        device = self.devices[name]
        if not device.known_tickets():
            return
        tid = data.draw(st.sampled_from(device.known_tickets()))
        device.enqueue("comment_ticket", ticket_id=tid, comment_id=device.fresh_id("k"),
                       text="seen")

    @rule(name=device_names, data=st.data())
    def move(self, name, data):
        device = self.devices[name]
        known = [t for t in device.known_tickets() if device.ticket(t)]
        if not known:
            return
        tid = data.draw(st.sampled_from(known))
        current = device.ticket(tid)["status"]
        targets = sorted(TRANSITIONS[current])
        if targets:
            to = data.draw(st.sampled_from(targets))
            evidence = {"note": "seal replaced", "photos": ["ab" * 32]} if to in (
                "fixed", "disputed") else {}
            device.enqueue("move_ticket", ticket_id=tid,
                           **{"from": current, "to": to}, **evidence)

    # -- network ---------------------------------------------------------------
    @rule(name=device_names, lose_response=st.booleans(), replays=st.integers(1, 3))
    def push(self, name, lose_response, replays):
        device = self.devices[name]
        if not device.outbox:
            return
        batch = device.outbox[:200]
        for _ in range(replays):
            try:
                resp = sync_service.apply_push(
                    self.store, device.actor, device.client_id, batch, evaluate=evaluate,
                    find_definition=find_definition, uploads=self.uploads)
            except MutationGap:
                pytest.fail("the device queue is always contiguous from its last ack")
            assert resp["last_mutation_id"] >= self.server_last[device.client_id]
            assert resp["last_mutation_id"] == batch[-1]["id"]
            self.server_last[device.client_id] = resp["last_mutation_id"]
        if not lose_response:
            device.acknowledge(resp["last_mutation_id"])

    @rule(name=device_names, limit=st.integers(1, 7))
    def pull(self, name, limit):
        device = self.devices[name]
        page = device.replica.pull(self.store, device.actor, device.client_id, limit)
        assert page["last_mutation_id"] == self.server_last[device.client_id]
        device.acknowledge(page["last_mutation_id"])

    @rule()
    def restart_server(self):
        self.store.close()
        self.store = SqlStore.sqlite(f"{self.dir}/fieldsync.db")

    @rule(name=device_names)
    def snapshot_is_atomic(self, name):
        device = self.devices[name]
        page = sync_service.build_pull(self.store, device.actor, device.client_id, {}, 1000)
        assert not page["has_more"]
        seen = {c["id"] for b in page["buckets"] for c in b["changes"] if c["type"] == "results"}
        mine = {rid for mid, rid in device.submitted.items() if mid <= page["last_mutation_id"]}
        pending = {rid for mid, rid in device.submitted.items() if mid > page["last_mutation_id"]}
        assert mine <= seen and not (pending & seen)

    @rule()
    def quiesce(self):
        for device in self.devices.values():
            while device.outbox:
                self.push(device.name, False, 1)
        for device in self.devices.values():
            device.replica.pull(self.store, device.actor, device.client_id, 3)
        for device in self.devices.values():
            view = server_view(self.store, buckets_for(device.actor))
            assert device.replica.records() == view

    # -- invariants ------------------------------------------------------------
    @invariant()
    def one_record_per_result(self):
        stored = sorted(r.id for r in self.store.scan("results"))
        expected = sorted(rid for d in self.devices.values() for mid, rid in d.submitted.items()
                          if mid <= self.server_last[d.client_id])
        assert stored == expected

    @invariant()
    def server_state_is_durable_and_monotonic(self):
        for client_id, last in self.server_last.items():
            rec = self.store.get("clients", client_id)
            assert (rec.doc["last_mutation_id"] if rec else 0) == last

    @invariant()
    def only_expected_rejections(self):
        # stale status, moves the machine or the role forbid are the only ways these
        # well-formed queues can fail; anything else is a server bug
        codes = {r.doc["code"] for r in self.store.scan("rejections")}
        assert codes <= {"invalid_transition", "stale_state", "forbidden"}, codes

    @invariant()
    def ticket_histories_are_valid_paths(self):
        for rec in self.store.scan("tickets"):
            state = "open"
            for step in rec.doc["history"]:
                assert step["from"] == state and step["to"] in TRANSITIONS[state]
                state = step["to"]
            assert state == rec.doc["status"]
            ids = [c["id"] for c in rec.doc["comments"]]
            assert len(ids) == len(set(ids))


TestSyncMachine = SyncMachine.TestCase
TestSyncMachine.settings = settings(max_examples=12, stateful_step_count=25, deadline=None,
                                    suppress_health_check=[HealthCheck.too_slow])


class SlowSyncMachine(SyncMachine):
    pass


TestSyncMachineLong = pytest.mark.slow(SlowSyncMachine.TestCase)
TestSyncMachineLong.settings = settings(max_examples=150, stateful_step_count=40, deadline=None,
                                        suppress_health_check=[HealthCheck.too_slow])
