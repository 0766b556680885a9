"""One process-wide switch for the cyclic garbage collector, shared by the long passes
that allocate many objects and free them by reference counting alone (a load, a slot
search)."""

from __future__ import annotations

import contextlib
import gc
import threading
from collections.abc import Iterator

__all__ = ["no_collection"]

_LOCK = threading.Lock()
_HOLDERS = 0  # passes under way that switched the collector off
_WAS_ON = False


@contextlib.contextmanager
def no_collection() -> Iterator[None]:
    """The cyclic garbage collector off for the length of a pass.

    A million-row load allocates millions of objects that all live, and a slot search
    thousands of short-lived requests and contexts with no cycles: collecting half-way
    finds nothing, and each full collection walks every object the snapshot holds (a
    fifth of a load, a third of a day's search). The collector is process-wide, so passes
    in several threads share one switch: the first to start turns it off (if it was on),
    the last to finish turns it back on, whatever happens. It is never left off by a pass,
    and never turned on if the caller had it off.
    """
    global _HOLDERS, _WAS_ON
    with _LOCK:
        if _HOLDERS == 0:
            _WAS_ON = gc.isenabled()
            gc.disable()
        _HOLDERS += 1
    try:
        yield
    finally:
        with _LOCK:
            _HOLDERS -= 1
            if _HOLDERS == 0 and _WAS_ON:
                gc.enable()
