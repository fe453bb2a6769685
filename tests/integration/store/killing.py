"""Stopping a JournalStore as a ``kill -9`` would, inside one test process."""
import os


def kill(store):
    """Leave ``store`` as a dead process would: nothing closed, flushed or checkpointed.

    A checkpoint being written in the background may finish its files (a
    killed process may have got that far) but is never published, and its
    thread is gone before the directory lock is, so the next owner of the
    directory sees only what a crash leaves.
    """
    with store._lock:
        job, store._job = store._job, None  # the saver's publish now does nothing
        saver = store._saver
        os.close(store._fd)
        store._fd = None
    if saver is not None:
        saver.join()
    assert job is None or not job.published
    store._dirlock.release()
