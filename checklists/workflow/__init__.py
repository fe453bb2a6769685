"""Workflow rules over results and tickets: pure functions of who acts, when, on what."""
