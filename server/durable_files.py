"""fsync for paths: what makes a renamed or copied file survive a power cut.

A file's data is durable after ``fsync`` of the file; its *name* only after
``fsync`` of the directory that holds it (ext4 and others otherwise may lose
a fresh rename). Server code that publishes files (photo uploads, backups)
calls both.
"""
from __future__ import annotations

import os


def fsync_path(path: str) -> None:
    """fsync a file or a directory by path."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
