"""Making millions of small objects at once (the model's results, assess's ratings).

Python's cyclic garbage collector runs every few hundred new objects and, as the
objects pile up, walks the older ones again and again: a third of the time of
building a million results went on it. The objects made in bulk here are plain
values (dataclasses, decimals, tuples) that refer to nothing that refers back to
them, so no cycle can form; reference counting frees them as always. Collection
is paused while they are made and restored afterwards, whatever happens.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def without_cyclic_gc() -> Iterator[None]:
    """Pause the cyclic garbage collector (reference counting goes on) for a bulk build."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
