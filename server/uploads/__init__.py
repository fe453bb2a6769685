"""Content-addressed resumable photo storage (see ``store.UploadStore``)."""
from .errors import (ChecksumMismatch, HashMismatch, InvalidUpload, LengthMismatch,
                     OffsetMismatch, UploadBusy, UploadError, UploadTooLarge)
from .store import UploadState, UploadStore, parse_checksum

__all__ = ["ChecksumMismatch", "HashMismatch", "InvalidUpload", "LengthMismatch",
           "OffsetMismatch", "UploadBusy", "UploadError", "UploadState", "UploadStore",
           "UploadTooLarge", "parse_checksum"]
