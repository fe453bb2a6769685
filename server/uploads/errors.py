"""Upload failures, each carrying the HTTP status the photo endpoints answer.

Every error is raised *before* anything changes or after the change was
undone: a wrong offset, a busy hash, a corrupt chunk or a final hash
mismatch leave the upload exactly as a HEAD would have described it before
the request (the hash mismatch removes the part, which the client restarts).
"""
from __future__ import annotations


class UploadError(Exception):
    status = 400
    code = "upload_error"

    def __init__(self, message: str, *, offset: int | None = None):
        super().__init__(message)
        self.offset = offset

    def to_dict(self) -> dict:
        body = {"error": self.code, "message": str(self)}
        if self.offset is not None:
            body["offset"] = self.offset
        return body


class InvalidUpload(UploadError):
    """A malformed hash, length or checksum header."""


class UploadNotFound(UploadError):
    """A chunk for an upload that was never created (tus: 404, create it first)."""

    status, code = 404, "no_upload"


class OffsetMismatch(UploadError):
    status, code = 409, "offset_mismatch"


class UploadBusy(UploadError):
    """Another request is appending to the same hash right now."""

    status, code = 409, "upload_busy"


class UploadTooLarge(UploadError):
    status, code = 413, "too_large"


class LengthMismatch(UploadError):
    """The declared total length differs from the one the upload was started with."""

    status, code = 422, "length_mismatch"


class HashMismatch(UploadError):
    """The complete bytes do not hash to the name; the part was removed."""

    status, code = 422, "hash_mismatch"


class ChecksumMismatch(UploadError):
    """The chunk did not match its ``Upload-Checksum``; it was truncated away."""

    status, code = 460, "checksum_mismatch"
