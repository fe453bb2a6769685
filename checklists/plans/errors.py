"""Errors of the plans domain."""
from __future__ import annotations


class PlanInvalid(ValueError):
    """Input that breaks a rule; ``errors`` maps each field to its messages (a 422 body)."""

    def __init__(self, errors: dict):
        super().__init__("; ".join(f"{k}: {v}" for k, v in errors.items()))
        self.errors = errors
