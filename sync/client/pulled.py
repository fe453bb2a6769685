"""The device's copy of its buckets: pulled records plus one cursor per bucket.

Everything lives in one file, and ``apply_page`` writes a page's rows and
its new cursors in ONE atomic write: after a crash the device holds either
the page and its cursors or neither, and re-pulling from the saved cursors
re-applies at most a page it already has -- harmless, because a ``put`` is
applied only when its ``v`` is newer than the local row (or either has no
``v``), so applying a page twice is a no-op (anchors-sync §4.5, §5.6).

``reset`` drops the bucket's pulled rows before applying the segment and
``removed_buckets`` drops rows and cursor; neither touches the outbox,
which lives in another file.
"""
from __future__ import annotations

from typing import Iterator

from .storage import LocalDB

_BUCKET_PREFIX = "bucket:"
DEFINITIONS = "definitions"


def _newer(incoming: dict, local: dict | None) -> bool:
    if local is None:
        return True
    new_v, old_v = incoming.get("v"), local.get("v")
    return new_v is None or old_v is None or new_v > old_v


class PulledStore:
    def __init__(self, path: str):
        self.db = LocalDB(path)

    # -- writing -----------------------------------------------------------------
    def apply_page(self, page: dict) -> dict:
        """Apply one pull response and its cursors atomically; return counts applied."""
        counts = {"put": 0, "del": 0, "skipped": 0, "reset": 0, "removed": 0}
        with self.db.batch():
            cursors = self.cursors()
            for segment in page["buckets"]:
                name = segment["name"]
                rows = {} if segment["reset"] else self._rows(name)
                counts["reset"] += bool(segment["reset"])
                for change in segment["changes"]:
                    counts[_apply_change(rows, change)] += 1
                self._save_rows(name, rows)
                cursors[name] = segment["cursor"]
            for name in page.get("removed_buckets", ()):
                self.db.drop_table(_BUCKET_PREFIX + name)
                cursors.pop(name, None)
                counts["removed"] += 1
            # the epoch the cursors count in: sent with the next pull
            self.db.set_meta(cursors=cursors, high_water=page.get("high_water"),
                             epoch=page.get("epoch"))
        return counts

    def _rows(self, bucket: str) -> dict[tuple[str, str], dict]:
        return {(r["type"], r["id"]): dict(r) for r in self.db.table(_BUCKET_PREFIX + bucket).all()}

    def _save_rows(self, bucket: str, rows: dict) -> None:
        table = self.db.table(_BUCKET_PREFIX + bucket)
        table.truncate()
        if rows:
            table.insert_multiple(rows.values())

    # -- reading -----------------------------------------------------------------
    def cursors(self) -> dict[str, int]:
        return dict(self.db.get_meta("cursors", {}))

    def epoch(self) -> str | None:
        return self.db.get_meta("epoch")

    def buckets(self) -> list[str]:
        return sorted(t[len(_BUCKET_PREFIX):] for t in self.db.tables()
                      if t.startswith(_BUCKET_PREFIX))

    def records(self, type_: str | None = None) -> list[dict]:
        """Every pulled record (the newest ``v`` when several buckets hold one)."""
        best: dict[tuple[str, str], dict] = {}
        for row in self._all_rows():
            if type_ is not None and row["type"] != type_:
                continue
            key = (row["type"], row["id"])
            if _newer(row, best.get(key)):
                best[key] = row
        return [best[k] for k in sorted(best)]

    def _all_rows(self) -> Iterator[dict]:
        for bucket in self.buckets():
            yield from self.db.table(_BUCKET_PREFIX + bucket).all()

    def record(self, type_: str, id_: str) -> dict | None:
        found = [r for r in self.records(type_) if r["id"] == id_]
        return found[0]["data"] if found else None

    def snapshot(self) -> dict[tuple[str, str], dict]:
        """``{(type, id): data}`` of every pulled record (for comparisons and listings)."""
        return {(r["type"], r["id"]): r["data"] for r in self.records()}

    # -- definitions -------------------------------------------------------------
    def definitions(self) -> list[dict]:
        """The pulled definition records ``{definition, status, ...}``, by id then version."""
        docs = [r["data"] for r in self.records(DEFINITIONS) if r.get("data")]
        return sorted(docs, key=lambda d: (d["definition"]["id"], d["definition"]["version"]))

    def definition(self, def_id: str, version: int | None = None) -> dict | None:
        """A pulled definition document; without ``version`` the newest published one."""
        candidates = [d for d in self.definitions() if d["definition"]["id"] == def_id]
        if version is not None:
            candidates = [d for d in candidates if d["definition"]["version"] == version]
        else:
            candidates = [d for d in candidates if d.get("status", "published") == "published"]
        return candidates[-1]["definition"] if candidates else None


def _apply_change(rows: dict, change: dict) -> str:
    """Apply one change to a bucket's rows; return which kind of effect it had."""
    key = (change["type"], change["id"])
    if change["op"] in ("del", "remove"):
        rows.pop(key, None)
        return "del"
    local = rows.get(key)
    if not _newer(change, local):
        return "skipped"
    rows[key] = {"type": change["type"], "id": change["id"], "v": change.get("v"),
                 "seq": change["seq"], "data": change.get("data")}
    return "put"

