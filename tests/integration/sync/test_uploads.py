"""The resumable content-addressed upload store on a real directory."""
from __future__ import annotations

import base64
import hashlib
import io
import os
import random
import threading
import time
import tracemalloc

import pytest

from server.uploads import (ChecksumMismatch, HashMismatch, LengthMismatch, OffsetMismatch,
                            UploadBusy, UploadStore, UploadTooLarge)

from .helpers import sha

PHOTO = random.Random(1).randbytes(300_000)
SHA = sha(PHOTO)


class CutStream(io.RawIOBase):
    """A request body whose connection drops after ``cut`` bytes."""

    def __init__(self, data: bytes, cut: int, *, error=True):
        self.data, self.cut, self.pos, self.error = data, cut, 0, error

    def read(self, n=-1):
        if self.pos >= self.cut:
            if self.error:
                raise ConnectionResetError("client went away")
            return b""
        block = self.data[self.pos:min(self.cut, self.pos + n)]
        self.pos += len(block)
        return block


def checksum(data: bytes) -> str:
    return "sha256 " + base64.b64encode(hashlib.sha256(data).digest()).decode()


def part_bytes(uploads, digest):
    with open(os.path.join(uploads.root, "partial", digest + ".part"), "rb") as fh:
        return fh.read()


def send(uploads, offset, chunk, **kw):
    return uploads.append(SHA, offset, io.BytesIO(chunk), len(chunk),
                          upload_length=len(PHOTO), **kw)


def test_whole_upload_publishes_under_its_hash(uploads):
    state = send(uploads, 0, PHOTO)
    assert state.state == "complete" and state.completed_now
    with open(uploads.path(SHA), "rb") as fh:
        assert fh.read() == PHOTO
    assert uploads.query([SHA]) == {SHA: {"state": "complete"}}
    assert os.listdir(os.path.join(uploads.root, "partial")) == []


@pytest.mark.parametrize("seed", range(8))
def test_upload_cut_at_random_bytes_resumes(uploads, seed):
    rng = random.Random(seed)
    acknowledged, sent = 0, 0
    while True:
        status = uploads.status(SHA)
        if status.state == "complete":
            break
        assert acknowledged <= status.offset <= sent
        offset = status.offset
        chunk = PHOTO[offset:offset + rng.randint(1, 120_000)]
        cut = rng.randint(0, len(chunk))
        state = uploads.append(SHA, offset, CutStream(chunk, cut, error=rng.random() < 0.5),
                               len(chunk), upload_length=len(PHOTO))
        sent = offset + cut
        acknowledged = state.offset
        assert acknowledged == sent
    with open(uploads.path(SHA), "rb") as fh:
        assert hashlib.sha256(fh.read()).hexdigest() == SHA


def test_wrong_offset_changes_nothing(uploads):
    send(uploads, 0, PHOTO[:1000])
    with pytest.raises(OffsetMismatch) as info:
        send(uploads, 500, PHOTO[500:2000])
    assert info.value.status == 409 and info.value.offset == 1000
    assert part_bytes(uploads, SHA) == PHOTO[:1000]


def test_refused_first_request_leaves_the_hash_absent(uploads):
    with pytest.raises(OffsetMismatch):
        send(uploads, 10, PHOTO[10:20])
    with pytest.raises(ChecksumMismatch):
        send(uploads, 0, PHOTO[:100], chunk_checksum=checksum(b"other"))
    assert uploads.query([SHA]) == {SHA: {"state": "absent"}}


def test_bad_chunk_checksum_truncates_back(uploads):
    send(uploads, 0, PHOTO[:1000], chunk_checksum=checksum(PHOTO[:1000]))
    with pytest.raises(ChecksumMismatch) as info:
        send(uploads, 1000, PHOTO[1000:5000], chunk_checksum=checksum(b"corrupt"))
    assert info.value.status == 460 and info.value.offset == 1000
    assert part_bytes(uploads, SHA) == PHOTO[:1000]
    with pytest.raises(ChecksumMismatch):  # a cut chunk with a checksum is not kept either
        uploads.append(SHA, 1000, CutStream(PHOTO[1000:5000], 10), 4000,
                       upload_length=len(PHOTO), chunk_checksum=checksum(PHOTO[1000:5000]))
    assert uploads.status(SHA).offset == 1000
    assert part_bytes(uploads, SHA) == PHOTO[:1000]


def test_final_hash_mismatch_removes_the_part(uploads):
    wrong = bytearray(PHOTO)
    wrong[-1] ^= 1
    send(uploads, 0, bytes(wrong[:-10]))
    with pytest.raises(HashMismatch) as info:
        send(uploads, len(PHOTO) - 10, bytes(wrong[-10:]))
    assert info.value.status == 422
    assert uploads.query([SHA]) == {SHA: {"state": "absent"}}
    assert not os.path.exists(uploads.path(SHA))
    assert send(uploads, 0, PHOTO).state == "complete"  # a clean restart works


def test_exceeding_the_declared_or_maximum_size_is_refused(uploads, tmp_path):
    send(uploads, 0, PHOTO[:100])
    with pytest.raises(UploadTooLarge) as info:
        uploads.append(SHA, 100, io.BytesIO(PHOTO), len(PHOTO), upload_length=len(PHOTO))
    assert info.value.status == 413 and uploads.status(SHA).offset == 100
    small = UploadStore(str(tmp_path / "small"), max_bytes=1000)
    with pytest.raises(UploadTooLarge):
        small.append(SHA, 0, io.BytesIO(PHOTO), len(PHOTO), upload_length=len(PHOTO))
    assert small.query([SHA]) == {SHA: {"state": "absent"}}


def test_declared_length_cannot_change(uploads):
    send(uploads, 0, PHOTO[:100])
    with pytest.raises(LengthMismatch):
        uploads.append(SHA, 100, io.BytesIO(PHOTO[100:200]), 100, upload_length=len(PHOTO) + 1)
    assert uploads.status(SHA).offset == 100


def test_same_photo_twice_is_stored_once(uploads):
    send(uploads, 0, PHOTO)
    body = CutStream(PHOTO, 0)  # would raise if read
    again = uploads.append(SHA, 0, body, len(PHOTO), upload_length=len(PHOTO))
    assert again.state == "complete" and not again.completed_now
    files = [f for _, _, fs in os.walk(uploads.root) for f in fs]
    assert files == [SHA]


def test_concurrent_appends_to_one_hash_do_not_interleave(uploads):
    started, release = threading.Event(), threading.Event()

    class SlowStream(io.RawIOBase):
        def __init__(self):
            self.pos = 0

        def read(self, n=-1):
            started.set()
            release.wait(5)
            block = PHOTO[self.pos:self.pos + n]
            self.pos += len(block)
            return block

    outcome = {}
    thread = threading.Thread(target=lambda: outcome.update(
        first=uploads.append(SHA, 0, SlowStream(), len(PHOTO), upload_length=len(PHOTO))))
    thread.start()
    assert started.wait(5)
    with pytest.raises(UploadBusy) as info:
        send(uploads, 0, PHOTO)
    assert info.value.status == 409
    release.set()
    thread.join()
    assert outcome["first"].state == "complete"


def test_memory_stays_flat_in_file_size(tmp_path):
    uploads = UploadStore(str(tmp_path / "big"), max_bytes=64 << 20)
    size = 24 << 20
    block = random.Random(3).randbytes(1 << 20)
    digest = hashlib.sha256(block * 24).hexdigest()

    class Generated(io.RawIOBase):
        def __init__(self):
            self.left = size

        def read(self, n=-1):
            start = (size - self.left) % len(block)
            n = min(n, self.left, len(block) - start)
            self.left -= n
            return block[start:start + n]

    tracemalloc.start()
    try:
        state = uploads.append(digest, 0, Generated(), size, upload_length=size)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert state.state == "complete"
    assert peak < 2 << 20, f"peak {peak} bytes for a {size}-byte upload"


def test_idle_partial_uploads_expire(uploads):
    send(uploads, 0, PHOTO[:100])
    assert uploads.expire_partials(3600) == []
    assert uploads.expire_partials(3600, now=time.time() + 7200) == [SHA]
    assert uploads.query([SHA]) == {SHA: {"state": "absent"}}
    assert os.listdir(os.path.join(uploads.root, "partial")) == []
