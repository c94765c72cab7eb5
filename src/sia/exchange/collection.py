"""Python's cyclic garbage collector paused while an upload is read, validated and written.

An upload of 10,000 rows keeps tens of thousands of live objects (cells, model instances, the plan) that the
collector's full passes walk again and again while they grow: about a quarter of the preview's and the commit's
CPU (issue 18). The objects an import makes are freed by their reference counts as before; only cycles wait
for the collector, which runs again as soon as the import returns (or raises).
"""

from __future__ import annotations

import functools
import gc
from contextlib import contextmanager


@contextmanager
def collector_paused():
    """Pauses the cyclic collector for the block; resumes it afterwards if it was running (an outer pause, or a
    process that runs without it, keeps it off)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def without_collector(function):
    """``function`` run under ``collector_paused``."""

    @functools.wraps(function)
    def wrapper(*args, **kwargs):
        with collector_paused():
            return function(*args, **kwargs)

    return wrapper
