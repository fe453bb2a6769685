"""Errors of the complaints and violations domain."""
from __future__ import annotations


class ComplaintInvalid(ValueError):
    """Input or a state that breaks a rule; ``errors`` maps each field to its messages."""

    def __init__(self, errors: dict):
        super().__init__("; ".join(f"{k}: {v}" for k, v in errors.items()))
        self.errors = errors
