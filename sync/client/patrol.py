"""Walking a patrol round on the device, offline: start, scan, finish, then push.

The round in progress lives in ``patrol.json`` (atomic writes, like every
device file), so a phone that dies mid-round resumes where it was.
``finish`` checks the round with the server's own loader
(``checklists.patrol.load_round_result``) and queues one ``submit_round``
mutation in the outbox; judging happens on the server, which knows the
device's clock offset. Times are the device's clock (aware, with offset).

Which rounds are mine: the pulled occurrences of my sites that name me as a
guard, or that belong to a post (any guard of the site may hold it).
"""
from __future__ import annotations

import copy
import uuid
from datetime import datetime
from typing import Any

from checklists.patrol import PatrolInvalid, load_round_result

from .errors import InvalidInput
from .photo_queue import PhotoQueue
from .outbox import Outbox
from .pulled import PulledStore
from .session import Session
from .storage import LocalDB

OCCURRENCES, CHECKPOINTS = "patrol_occurrences", "patrol_checkpoints"
SCAN_METHODS = ("qr", "nfc", "gps", "manual")
_EXIF_DATETIME_ORIGINAL, _EXIF_IFD, _EXIF_DATETIME = 36867, 0x8769, 306


def device_now() -> datetime:
    return datetime.now().astimezone()


def exif_time(path: str) -> str | None:
    """The camera's capture time of a photo (naive: the site's clock), if it has one."""
    from PIL import Image

    try:
        with Image.open(path) as image:
            exif = image.getexif()
    except OSError:
        return None
    text = exif.get_ifd(_EXIF_IFD).get(_EXIF_DATETIME_ORIGINAL) or exif.get(_EXIF_DATETIME)
    try:
        return datetime.strptime(str(text).strip(), "%Y:%m:%d %H:%M:%S").isoformat()
    except ValueError:
        return None


class PatrolRounds:
    def __init__(self, path: str, pulled: PulledStore, outbox: Outbox, photos: PhotoQueue,
                 session: Session):
        self.db, self.pulled, self.outbox, self.photos = LocalDB(path), pulled, outbox, photos
        self.session = session

    @property
    def user(self) -> dict:
        return self.session.user or {}  # read each time: a login may change it

    # -- looking -------------------------------------------------------------------
    def mine(self) -> list[dict]:
        """My rounds still to walk, by start (those with a result or cancelled left out)."""
        found = [r["data"] for r in self.pulled.records(OCCURRENCES) if r.get("data")]
        return sorted((o for o in found if o["status"] == "scheduled" and o.get("round_id") is None
                       and self._assigned(o)), key=lambda o: o["start"])

    def _assigned(self, occurrence: dict) -> bool:
        assignees = occurrence["assignees"]
        if "post" in assignees:
            return self.user.get("role") == "guard"
        return self.user.get("id") in assignees.get("guards", ())

    def current(self) -> dict | None:
        """The round in progress (a copy: a refused scan must not touch it), or None."""
        return copy.deepcopy(self.db.get_meta("walk"))

    # -- walking -------------------------------------------------------------------
    def start(self, occurrence_id: str, at: datetime | None = None) -> dict:
        walking = self.current()
        if walking is not None:
            raise InvalidInput(f"round {walking['occurrence_id']} is in progress: "
                               f"`patrol finish` it first")
        occurrence = self.pulled.record(OCCURRENCES, occurrence_id)
        if occurrence is None:
            raise InvalidInput(f"round {occurrence_id} is not on this device "
                               f"(run `fieldsync device pull`; `patrol list` shows yours)")
        walk = {"id": uuid.uuid4().hex, "occurrence_id": occurrence_id,
                "site_id": occurrence["site_id"], "route_id": occurrence["route_id"],
                "route_version": occurrence["route_version"],
                "started_at": (at or device_now()).isoformat(), "scans": [], "visits": {}}
        self.db.set_meta(walk=walk)
        return walk

    def scan(self, tag: str, *, method: str = "qr", gps: dict | None = None,
             answers: dict | None = None, photo: str | None = None,
             at: datetime | None = None, checklist_version: int | None = None) -> dict:
        """Record a tag read (or typed: ``manual``) now; answers and a photo go to its
        checkpoint. A tag that is no checkpoint is still recorded (the server flags it).

        Answers are to the checkpoint's checklist at ``checklist_version`` (default: the
        newest pulled); the visit names that version, which the server judges them by."""
        walk = self._walking()
        if method not in SCAN_METHODS:
            raise InvalidInput(f"method must be one of {', '.join(SCAN_METHODS)}")
        scanned = {"tag": tag, "at": (at or device_now()).isoformat(), "method": method}
        if gps is not None:
            scanned["gps"] = gps
        visit_of = None
        if answers or photo:
            checkpoint = self._checkpoint_of(walk["site_id"], tag)
            visit_of = checkpoint["id"]
            visit = walk["visits"].setdefault(visit_of, {"answers": {}, "photos": []})
            if answers:
                self._name_checklist(visit, checkpoint, checklist_version)
            visit["answers"].update(answers or {})
            visit["done_at"] = scanned["at"]
            if photo:
                info = self.photos.describe(photo)
                self.photos.add(photo, info)
                taken = exif_time(photo)
                visit["photos"].append({"sha256": info["sha256"],
                                        **({"exif_time": taken} if taken else {})})
        walk["scans"].append(scanned)
        self._check(walk, finished=None)
        self.db.set_meta(walk=walk)
        return scanned

    def finish(self, at: datetime | None = None) -> tuple[str, int]:
        """Queue the round as ``submit_round``; return its round id and mutation id."""
        walk = self._walking()
        args = self._check(walk, finished=(at or device_now()).isoformat())
        mutation_id = self.outbox.append("submit_round", args)
        self.db.set_meta(walk=None)
        return args["id"], mutation_id

    def _walking(self) -> dict:
        walk = self.current()
        if walk is None:
            raise InvalidInput("no round in progress: `patrol start OCCURRENCE_ID` first")
        return walk

    def _name_checklist(self, visit: dict, checkpoint: dict, version: int | None) -> None:
        """Name on ``visit`` the checklist version its answers are to: all of a visit's
        answers are to one version, the first one named there."""
        named = self._checklist_answered(checkpoint, version)
        if "checklist_version" not in visit:
            visit.update(named)
        elif version is not None and named["checklist_version"] != visit["checklist_version"]:
            raise InvalidInput(f"the answers at {checkpoint['id']} are to version "
                               f"{visit['checklist_version']} of {visit['checklist_id']}; "
                               f"a visit's answers are to one version")

    def _checklist_answered(self, checkpoint: dict, version: int | None) -> dict:
        """``{checklist_id, checklist_version}`` of the pulled version answers are given to
        (none when the checkpoint has no checklist or it was never pulled: older rounds
        named none either, and the server then labels them by its newest)."""
        checklist_id = checkpoint.get("checklist_id")
        if not checklist_id:
            if version is not None:
                raise InvalidInput(f"checkpoint {checkpoint['id']} has no checklist: "
                                   f"--checklist-version names nothing")
            return {}
        definition = self.pulled.definition(checklist_id, version)
        if definition is None:
            if version is not None:
                raise InvalidInput(f"version {version} of checklist {checklist_id} is not on "
                                   f"this device (run `fieldsync device pull`)")
            return {}
        return {"checklist_id": checklist_id, "checklist_version": definition["version"]}

    def _checkpoint_of(self, site_id: str, tag: str) -> dict:
        record = self.pulled.record(CHECKPOINTS, site_id) or {"checkpoints": {}}
        for checkpoint in record["checkpoints"].values():
            if checkpoint["tag"] == tag:
                return checkpoint
        raise InvalidInput(f"tag {tag!r} is no checkpoint of this site: answers and photos "
                           f"need one (scan it without them to record it)")

    @staticmethod
    def _check(walk: dict, finished: str | None) -> dict[str, Any]:
        """The round as the server will read it; ``InvalidInput`` listing each bad field."""
        args = {k: walk[k] for k in ("id", "occurrence_id", "route_id", "route_version",
                                     "started_at", "scans", "visits")}
        args["finished_at"] = finished
        try:
            load_round_result(args)
        except PatrolInvalid as invalid:
            problems = "; ".join(f"{k}: {' '.join(v)}" for k, v in invalid.errors.items())
            raise InvalidInput(f"the round cannot be recorded: {problems}") from None
        return args
