"""The journal files of a store directory: naming, creating, and which ones to replay.

A checkpoint starts a new journal *generation* and saves partitions in the
background while commits go on into the new file; only when every partition
is saved does the manifest name the new generation. So at any moment the
journals from the manifest's generation up to the newest hold the commits
not yet in a published checkpoint -- usually one file, two while a
checkpoint runs or after a crash cut one short -- and startup replays them
all, in order. Older files are leftovers of a checkpoint that was published
but not yet cleaned up.
"""
from __future__ import annotations

import logging
import os

from .base import StoreCorrupt
from .framing import TornTail, fsync_dir

log = logging.getLogger(__name__)
PREFIX, SUFFIX = "journal-", ".log"


def journal_path(root: str, gen: int) -> str:
    return os.path.join(root, f"{PREFIX}{gen:08d}{SUFFIX}")


def create_journal(root: str, gen: int) -> None:
    """Create an empty journal, durable with its directory entry (commits fsync only the file)."""
    fd = os.open(journal_path(root, gen), os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
    fsync_dir(root)


def journal_generations(root: str) -> list[int]:
    return sorted(int(n[len(PREFIX):-len(SUFFIX)]) for n in os.listdir(root)
                  if n.startswith(PREFIX) and n.endswith(SUFFIX))


def remove_journals_before(root: str, gen: int) -> None:
    """Delete the journals a published checkpoint covers."""
    gone = [g for g in journal_generations(root) if g < gen]
    for old in gone:
        try:
            os.unlink(journal_path(root, old))
        except FileNotFoundError:
            pass
    if gone:
        fsync_dir(root)


def journals_to_replay(root: str, base: int) -> list[int]:
    """The generations from the manifest's ``base`` on, after removing older leftovers.

    They must run without a gap: a missing generation would be lost commits.
    """
    remove_journals_before(root, base)
    gens = journal_generations(root)
    if gens != list(range(base, base + len(gens))) or not gens:
        raise StoreCorrupt(journal_path(root, base), 0,
                           f"journals {gens} do not run on from the manifest's generation {base}")
    return gens


def set_aside_torn_tail(path: str, torn: TornTail) -> None:
    """Keep the unacknowledged bytes beside the journal, then cut them off."""
    log.warning("%s: dropping torn tail at offset %d (%s)", path, torn.offset, torn.reason)
    with open(path, "rb") as src, open(f"{path}.torn-{torn.offset}", "wb") as dst:
        src.seek(torn.offset)
        dst.write(src.read())
        dst.flush()
        os.fsync(dst.fileno())
    with open(path, "r+b") as f:
        f.truncate(torn.offset)
        os.fsync(f.fileno())
