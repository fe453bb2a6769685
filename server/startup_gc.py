"""Python's cyclic garbage collector paused while the app is built.

Building the app creates ~190k objects that live as long as the process
(modules, classes, schemas, routes) and next to no garbage. The collector
kept walking them as they piled up: ~260 young and 2 full collections,
10-15 % of the start's CPU (``bench/scale.py``). Paused, the objects are
counted once when it resumes.
"""
from __future__ import annotations

import functools
import gc
from typing import Callable, TypeVar

Built = TypeVar("Built")


def collector_paused(build: Callable[..., Built]) -> Callable[..., Built]:
    """``build`` run with the collector off, then left as it was (on, unless the caller
    had switched it off)."""
    @functools.wraps(build)
    def paused(*args, **kwargs) -> Built:
        was_enabled = gc.isenabled()
        gc.disable()
        try:
            return build(*args, **kwargs)
        finally:
            if was_enabled:
                gc.enable()
    return paused
