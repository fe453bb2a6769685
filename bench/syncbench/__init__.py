"""Parts of bench/sync.py (not a library: run bench/sync.py)."""
