"""Making millions of small objects at once (the model's results, assess's ratings).

Two things make it slow in plain Python, and both are avoided here.

First, Python's cyclic garbage collector runs every few hundred new objects and, as the
objects pile up, walks the older ones again and again: a third of the time of
building a million results went on it. The objects made in bulk here are plain
values (dataclasses, decimals, tuples) that refer to nothing that refers back to
them, so no cycle can form; reference counting frees them as always. Collection
is paused while they are made and restored afterwards, whatever happens.

Second, a frozen dataclass's ``__init__`` sets each field through
``object.__setattr__``: for the 27 fields of an assessed result that costs more than
all the rules. ``frozen_instance`` fills the instance's dictionary in one step; the
instance is the one ``__init__`` would make, for the classes it is used on (no
``__post_init__``, no default factories, every field given). tests/test_assess_speed.py
checks that, class by class.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

T = TypeVar("T")


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


def frozen_instance(cls: type[T], fields: dict[str, Any]) -> T:
    """An instance of a frozen dataclass with every field given, made without its ``__init__``."""
    instance = object.__new__(cls)
    # Pair by pair (.items()), so that the instance keeps the dictionary it shares its
    # keys with every instance of the class: given a dict, update() would copy that
    # dict's own key table into each instance (nearly three times the memory).
    instance.__dict__.update(fields.items())
    return instance
