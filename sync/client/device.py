"""``DeviceClient``: what a field device does, on top of its local files.

Data dir layout (each file written atomically, see ``storage``)::

    session.json   server URL, token (0600), user, sites, install id
    pulled.json    pulled records per bucket + cursors (one write per page)
    outbox.json    pending / rejected / archived mutations, client id, next id
    photos.json    the photo upload queue
    patrol.json    the patrol round in progress (``patrol``)
    photos/<sha256>  the device's own copy of every queued photo

The loop (anchors-sync §4.9): ``push`` the outbox, ``upload_photos``, then
``pull`` until ``has_more`` is false. Each step is safe to interrupt at any
point and to run again: that is the whole design.
"""
from __future__ import annotations

import functools
import os
from typing import Callable, Iterable

from . import reviewing
from .answers_template import Template
from .api import ServerApi
from .dirlock import DirLock
from .errors import DeviceError, InvalidInput, NotLoggedIn, UnknownDefinition
from .fill import (SAME_RESULT_FIELDS, FillReceipt, PhotoInput, as_sent, build_submit_args,
                   new_result_id, preview_score, same_content)
from .outbox import Outbox
from .photo_queue import COMPLETE, PhotoQueue
from .progress import OnProgress, ProgressTracker
from .pulled import PulledStore
from .pusher import BATCH_MAX, SCHEMA_VERSION, Pusher, PushReport
from .ticket_work import TicketDesk
from .transport import HttpTransport, Transport, check_base_url
from .uploader import DEFAULT_CHUNK, Progress, Uploader, UploadReport

PULL_LIMIT = 500


class DeviceClient:
    def __init__(self, data_dir: str, transport: Transport | None = None, *,
                 chunk_size: int = DEFAULT_CHUNK, checksum: bool = True,
                 pull_limit: int = PULL_LIMIT, push_batch: int = BATCH_MAX,
                 sleep: Callable[[float], None] | None = None, lock_timeout: float = 30.0):
        from .session import Session

        self.data_dir = os.path.abspath(os.path.expanduser(data_dir))
        os.makedirs(self.data_dir, mode=0o700, exist_ok=True)
        self._lock = DirLock(self.data_dir, timeout=lock_timeout)  # before reading any file
        try:
            self.session = Session(self._path("session.json"))
            self.pulled = PulledStore(self._path("pulled.json"))
            self.outbox = Outbox(self._path("outbox.json"))
            self.photos = PhotoQueue(self._path("photos.json"), self._path("photos"))
        except BaseException:
            self._lock.release()
            raise
        self._transport = transport
        self.chunk_size, self.checksum, self.pull_limit = chunk_size, checksum, pull_limit
        self.push_batch = push_batch
        self.requeued = 0  # results re-queued by pulls since the last sync() began
        self._sleep_kw = {} if sleep is None else {"sleep": sleep}

    @functools.cached_property
    def patrol(self):
        """Walking patrol rounds offline (``sync.client.patrol.PatrolRounds``)."""
        from .patrol import PatrolRounds
        return PatrolRounds(self._path("patrol.json"), self.pulled, self.outbox, self.photos,
                            self.session)

    def close(self) -> None:
        """Let another process use the data dir (everything is already on disk)."""
        self._lock.release()

    def __enter__(self) -> "DeviceClient":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def _path(self, name: str) -> str:
        return os.path.join(self.data_dir, name)

    @property
    def tickets(self) -> TicketDesk:
        """Ticket work offline: list, show, move, comment, edit (``ticket_work``)."""
        return TicketDesk(self)

    # -- the server --------------------------------------------------------------
    def _api(self, *, auth: bool = True, server_url: str | None = None) -> ServerApi:
        if auth:
            self.session.require_login()
        transport = self._transport
        if transport is None:
            server_url = server_url or self.session.server_url
            if not server_url:
                raise NotLoggedIn("no server known: run `fieldsync device login URL` first")
            transport = HttpTransport(server_url)
        return ServerApi(transport, self.session.token, **self._sleep_kw)

    def login(self, username: str, password: str, device_name: str, *,
              server_url: str | None = None) -> dict:
        """Register this install with the server and keep its token; return the user."""
        current = self.session.user
        if current and current.get("username") != username and self.outbox.size():
            raise DeviceError(f"{self.outbox.size()} unsent changes by {current['username']} "
                              f"are waiting: log in as {current['username']} and push first")
        server_url = check_base_url(server_url) if server_url else self.session.server_url
        api = self._api(auth=False, server_url=server_url)
        body = api.device_login(username, password, device_name, self.session.install_id)
        api.token = body["token"]
        sites = self._my_sites(api)
        # saved only now: a failed login leaves the previous server and token in place
        self.session.update(server_url=server_url, token=body["token"], user=body["user"],
                            device=body["device"], sites=sites)
        self.outbox.bind(device_id=body["device"]["id"], user_id=body["user"]["id"])
        return body["user"]

    @staticmethod
    def _my_sites(api: ServerApi) -> list[dict]:
        """The user's sites (id, code, name), so ``--site`` may name a site by its code."""
        try:
            body = api.me()
        except DeviceError:
            return []  # an older server: sites are then given by id
        return [{k: s.get(k) for k in ("id", "code", "name")} for s in body.get("sites", [])]

    # -- the loop ----------------------------------------------------------------
    def push(self, on_progress: OnProgress | ProgressTracker | None = None) -> PushReport:
        """Push the outbox; photos the server reports missing are queued (again).

        ``on_progress`` gets a ``SyncProgress`` after each answered batch.
        """
        tracker = _tracker(on_progress)
        report = Pusher(self._api(), self.outbox, batch_max=self.push_batch).run(
            tracker.changes if tracker else None)
        self.photos.requeue(report.missing_photos)
        self.requeued += report.requeued
        return report

    def pull(self, on_page: Callable[[dict], None] | None = None) -> int:
        """Pull until the server has nothing more; return how many pages were applied.

        ``on_page(page)`` runs after each page and its cursors were saved. A
        new server epoch, or a ``reset`` of a bucket whose cursor the server
        never reached, re-queues the recently acknowledged results (see
        ``Outbox.requeue_results``). A 426 raises ``UpgradeRequired``; the
        outbox is untouched.
        """
        api, pages, rotated = self._api(), 0, False
        while True:
            answer = api.pull({"client_id": self.outbox.client_id,
                               "schema_version": SCHEMA_VERSION,
                               "epoch": self.pulled.epoch(),
                               "cursors": self.pulled.cursors(), "limit": self.pull_limit})
            if answer.status == 403 and not rotated:
                self.outbox.rotate()  # this client id belongs to an older login
                rotated = True
                continue
            api.expect(answer, 200)
            page = answer.body
            had, had_epoch = self.pulled.cursors(), self.pulled.epoch()
            self.pulled.apply_page(page)
            self.requeued += self.outbox.note_epoch(page.get("epoch"))  # (once per epoch)
            other_epoch = had_epoch is not None and page.get("epoch") != had_epoch
            # Within one epoch a held cursor beyond high_water means the server
            # lost history (restored without a new epoch): results may be gone,
            # re-send them. A reset at or below it is the tombstone horizon
            # (GC): the data is intact, refetching is enough.
            if not other_epoch and any(s["reset"] and had.get(s["name"], 0) > page["high_water"]
                                       for s in page["buckets"]):
                self.requeued += self.outbox.requeue_results()
            self.outbox.acknowledge(page["last_mutation_id"])
            pages += 1
            if on_page is not None:
                on_page(page)
            if not page["has_more"]:
                return pages

    def upload_photos(self, progress: Progress | None = None,
                      on_progress: OnProgress | ProgressTracker | None = None) -> UploadReport:
        """Upload the queued photos; ``progress(sha256, sent, size)`` per photo,
        ``on_progress`` a ``SyncProgress`` with the bytes of all of them."""
        uploader = Uploader(self._api(), self.photos, chunk_size=self.chunk_size,
                            checksum=self.checksum, **self._sleep_kw)
        tracker = _tracker(on_progress)
        if tracker is None:
            return uploader.run(progress)
        summed = tracker.photos(self.photos.queued())

        def both(sha256: str, sent: int, size: int) -> None:
            summed(sha256, sent, size)
            if progress is not None:
                progress(sha256, sent, size)
        return uploader.run(both)

    def sync(self, progress: Progress | None = None,
             on_progress: OnProgress | None = None) -> dict:
        """Push, upload photos, pull until quiet; return what each step did.

        When the pull re-queued results (the server lost them), they are
        pushed again in the same round. ``progress`` and ``on_progress`` as
        for ``upload_photos`` (``on_progress`` also counts the changes sent).
        """
        self.requeued = 0
        tracker = _tracker(on_progress)
        pushed = self.push(tracker)
        uploaded = self.upload_photos(progress, tracker)
        pushed_requeued, self.requeued = self.requeued, 0
        pages = self.pull()
        if self.requeued:
            pushed = self.push(tracker)
            uploaded = self.upload_photos(progress, tracker)
            pages += self.pull()
        self.outbox.note_sync()
        return {"push": pushed, "photos": uploaded, "pull_pages": pages,
                "requeued": pushed_requeued + self.requeued}

    # -- offline work ------------------------------------------------------------
    def fill(self, definition_id: str, version: int | None, answers: dict,
             photos: Iterable = (), *, site_id: str | None, assignment_id: str | None = None,
             gps: dict | None = None, note: str | None = None, started_at: str | None = None,
             result_id: str | None = None, reinspects: str | None = None) -> FillReceipt:
        """Record an inspection offline: checked, previewed, queued with its photos.

        A ``result_id`` chosen by the caller makes a retry safe: when this
        device already recorded that result with the same content nothing new
        is queued (``already_recorded``); with other content it is refused.
        ``reinspects``: a pulled result whose items ``answers`` re-check (only
        those items; the preview scores them over the answers in force); the
        site defaults to the original's.
        """
        original = None
        if reinspects is not None:
            original = reviewing.pulled_result(self.pulled, reinspects)
            ref = original["checklist"]
            if definition_id != ref["id"] or version not in (None, ref["version"]):
                raise InvalidInput(f"result {reinspects} was filled with {ref['id']}@"
                                   f"{ref['version']}: re-inspect it with that checklist")
            version = ref["version"]
            site_id = site_id or original["site_id"]
        definition = self.definition(definition_id, version)
        site_id = self._resolve_site(site_id)
        if original is not None and site_id != original["site_id"]:
            raise InvalidInput(f"result {reinspects} is at another site: a re-inspection is "
                               f"recorded at the original's site")
        inputs = [PhotoInput.of(p) for p in photos]
        described = [(p, self.photos.describe(p.path)) for p in inputs]
        result_id = result_id or new_result_id()
        args = build_submit_args(result_id=result_id, site_id=site_id, definition=definition,
                                 answers=answers, photos=described, assignment_id=assignment_id,
                                 gps=gps, note=note, started_at=started_at,
                                 reinspects=reinspects)
        preview = preview_score(definition, args["answers"] if original is None else
                                reviewing.reinspection_preview_answers(self.pulled, original,
                                                                      args["answers"]))
        hashes = [i["sha256"] for _, i in described]
        recorded, earlier_id = self._recorded_before(args)
        if recorded:
            return FillReceipt(result_id, earlier_id, preview, hashes, already_recorded=True)
        for photo, info in described:  # photos first: a queued result never lacks its files
            self.photos.add(photo.path, info)
        mutation_id = self.outbox.append("submit_result", args)
        return FillReceipt(result_id, mutation_id, preview, hashes)

    def _recorded_before(self, args: dict) -> tuple[bool, int | None]:
        """Whether these ``args`` were recorded before, and by which mutation (None: not
        kept any more, known from the pull). ``InvalidInput`` if the id holds other content."""
        result_id = args["result_id"]
        queued = self.outbox.submission(result_id)
        if queued is not None:
            if same_content(queued["args"], args):
                return True, queued["id"]
        else:
            pulled = next((r["data"] for r in self.pulled.records("results")
                           if r["id"] == result_id and r.get("data")), None)
            if pulled is None:
                return False, None
            if same_content(as_sent(pulled), args, SAME_RESULT_FIELDS):
                return True, None
        raise InvalidInput(f"result {result_id} was already recorded with other content; "
                           f"give a new result id to record another inspection")

    def reinspection_template(self, result_id: str) -> Template:
        """The answers to start a re-inspection of a pulled result from: its open items."""
        return reviewing.template_for(self.pulled, result_id)

    def review(self, result_id: str, to: str, *, from_state: str | None = None,
               reason: str | None = None) -> int:
        """Queue a review of a pulled result (supervisors); returns the mutation id."""
        args = reviewing.review_args(self.pulled, result_id, to, from_state=from_state,
                                     reason=reason)
        return self.outbox.append("review_result", args)

    def results(self) -> list[dict]:
        """The results pulled to this device (documents), newest first."""
        docs = [r["data"] for r in self.pulled.records("results") if r.get("data")]
        return sorted(docs, key=lambda d: (d["submitted"]["at"], d["id"]), reverse=True)

    def definition(self, definition_id: str, version: int | None = None) -> dict:
        """A pulled definition (JSON form); without ``version`` the newest published one."""
        definition = self.pulled.definition(definition_id, version)
        if definition is None:
            wanted = definition_id if version is None else f"{definition_id}@{version}"
            raise UnknownDefinition(f"checklist {wanted} is not on this device "
                                    f"(run `fieldsync device pull`; `list` shows what is)")
        return definition

    def _known_sites(self) -> list[dict]:
        """Sites this device knows: pulled site records first, then those saved at login."""
        pulled = [r["data"] for r in self.pulled.records("sites") if r.get("data")]
        return pulled + self.session.sites

    def _resolve_site(self, site: str) -> str:
        """The id of ``site`` (an id or a code); ``InvalidInput`` if the user does not work there.

        Which sites the user works at is what the server last said: the
        pulled ``site:<id>`` buckets, or before any pull the login answer.
        """
        known = self._known_sites()
        site_id = next((s["id"] for s in known if site in (s.get("id"), s.get("code"))), site)
        pulled = [b.split(":", 1)[1] for b in self.pulled.cursors() if b.startswith("site:")]
        allowed = pulled or (self.session.user or {}).get("site_ids")
        if allowed is not None and site_id not in allowed:
            names = ", ".join(sorted({s.get("code") or s["id"] for s in known
                                      if s["id"] in allowed})) or "none"
            raise InvalidInput(f"you do not work at site {site!r} (your sites: {names})")
        return site_id

    # -- looking --------------------------------------------------------------------
    def rejected(self) -> list[dict]:
        """Everything the server refused: from push answers, and from the pulled user bucket."""
        seen = {(r["client_id"], r["id"]) for r in self.outbox.rejected()}
        out = list(self.outbox.rejected())
        for record in self.pulled.records("rejections"):
            doc = record["data"] or {}
            mutation = doc.get("mutation") or {}
            key = (doc.get("client_id"), mutation.get("id"))
            if key in seen or doc.get("client_id") is None:
                continue
            out.append({**mutation, "client_id": doc["client_id"],
                        "error": {k: doc.get(k) for k in ("code", "message") if k in doc},
                        "rejected_at": doc.get("at")})
        return out

    def status(self) -> dict:
        photos = self.photos.all()
        waiting = [p for p in photos if p["state"] != COMPLETE]
        return {
            "server": self.session.server_url,
            "user": (self.session.user or {}).get("username"),
            "client_id": self.outbox.client_id,
            "outbox": self.outbox.size(),
            "pending": [{"id": m["id"], "name": m["name"],
                         "record": _record_id(m["args"])} for m in self.outbox.pending()],
            "photos": [{k: p[k] for k in ("sha256", "size", "sent", "state", "error")}
                       for p in waiting],
            "photo_bytes_left": sum(p["size"] - p["sent"] for p in waiting),
            "last_sync_at": self.outbox.last_sync_at(),
            "rejected": self.rejected(),
            "cursors": self.pulled.cursors(),
        }


def _tracker(on_progress: OnProgress | ProgressTracker | None) -> ProgressTracker | None:
    """One tracker per push or sync, so its reports carry both changes and photo bytes."""
    if on_progress is None or isinstance(on_progress, ProgressTracker):
        return on_progress
    return ProgressTracker(on_progress)


def _record_id(args: dict) -> str | None:
    for key in ("result_id", "ticket_id", "occurrence_id"):
        if key in args:
            return args[key]
    return None
