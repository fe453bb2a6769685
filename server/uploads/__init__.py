"""Content-addressed resumable photo storage (see ``store.UploadStore``)."""
from .errors import (ChecksumMismatch, HashMismatch, InvalidUpload, LengthMismatch,
                     OffsetMismatch, UploadBusy, UploadError, UploadNotFound,
                     UploadTooLarge)
from .store import CHECKSUM_ALGORITHMS, UploadState, UploadStore, parse_checksum

__all__ = ["CHECKSUM_ALGORITHMS", "ChecksumMismatch", "HashMismatch", "InvalidUpload",
           "LengthMismatch", "OffsetMismatch", "UploadBusy", "UploadError", "UploadState", "UploadStore",
           "UploadNotFound", "UploadTooLarge", "parse_checksum"]
