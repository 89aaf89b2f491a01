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
all the rules. ``frozen_maker`` makes a constructor that takes the fields positionally
and sets them by plain assignment, about four times quicker. The instance is the one
``__init__`` would make, for the classes it is used on (no ``__post_init__``, no
default factories, every field given): ``frozen_maker`` checks that once per class,
and tests/test_assess_speed.py checks the objects the model and assess make, class by class.

The classes made by the million (a result, an assessed result, a report line) are
also slotted (``@dataclass(frozen=True, slots=True)``): their fields are kept in the
object itself, with no dictionary beside it, which is a third less memory and one
look-up less for every field read. ``frozen_maker`` fills those the same way, and
``reduce_by_fields`` pickles them as their fields in order (a slotted instance has no
dictionary for pickle's usual state, and dataclasses' own ``__getstate__`` costs
microseconds an instance, pickled at every build for the page cache's keys).
"""

from __future__ import annotations

import dataclasses
import gc
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from operator import attrgetter
from typing import Any, TypeVar

T = TypeVar("T")


@contextmanager
def without_cyclic_gc(long_lived: bool = False) -> Iterator[None]:
    """Pause the cyclic garbage collector (reference counting goes on) for a bulk build.

    With ``long_lived``, what was made meanwhile goes straight to the collector's oldest
    generation when it resumes, instead of being walked there. Objects made while the
    collector was paused are all "young", so its first run afterwards walks every one of
    them (a million assessed results and their report lines: 1.4-2.3 s), and a later run
    walks them again before they reach the oldest generation; objects that live to the
    end of the build (the assessed site) gain nothing from either walk. ``gc.freeze()``
    moves every tracked object aside without looking at it and ``gc.unfreeze()`` puts
    them all back in the oldest generation, so nothing is left out of later full
    collections: garbage among them (none is made here) is collected at the next one.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        # (not when the process froze objects of its own, which unfreeze() would release)
        if long_lived and not gc.get_freeze_count():
            gc.freeze()
            gc.unfreeze()
        if was_enabled:
            gc.enable()


# Each slotted class's quick constructor and the getter of its fields in order, by class:
# what a pickled instance is made again with (filled in by frozen_maker).
_REMAKERS: dict[type, tuple[Callable[..., Any], Callable[[Any], tuple]]] = {}


def frozen_maker(cls: type[T]) -> Callable[..., T]:
    """A constructor of the frozen dataclass ``cls`` that takes every field positionally, in
    the order the dataclass declares them, and makes the instance ``cls(*fields)`` makes.

    The instance is filled as an instance of a plain class with the same layout (a
    dictionary and weak references, or the same slots), whose attributes are set by
    ordinary assignment, the quickest way Python has; then it is given its real class.
    The frozen ``__setattr__`` of ``cls`` is never involved, so nothing can be set afterwards.
    """
    fields = dataclasses.fields(cls)
    names = [f.name for f in fields]
    if hasattr(cls, "__post_init__") or not all(f.init for f in fields):
        raise TypeError(f"{cls.__name__}: only plain frozen dataclasses can be made without __init__.")
    slots = cls.__dict__.get("__slots__")
    if slots is not None and tuple(slots) != tuple(names) or slots is None and hasattr(cls, "__slots__"):
        raise TypeError(f"{cls.__name__}: only a class whose slots are its fields, in order, can be made "
                        "without __init__.")
    if {"_cls", "_shadow", "_instance"} & set(names):
        raise TypeError(f"{cls.__name__}: a field is named like a variable of the constructor.")
    layout = {"__slots__": tuple(names)} if slots is not None else {}
    shadow = type(f"_{cls.__name__}Fields", (), {**layout, "__doc__": f"{cls.__name__} while it is being filled in"})
    assignments = "".join(f"    _instance.{name} = {name}\n" for name in names)
    source = (f"def make_{cls.__name__}({', '.join(names)}):\n"
              f"    _instance = _shadow()\n{assignments}    _instance.__class__ = _cls\n    return _instance\n")
    namespace: dict[str, Any] = {"_shadow": shadow, "_cls": cls}
    exec(source, namespace)  # as dataclasses writes __init__: one assignment a field, no loop
    make = namespace[f"make_{cls.__name__}"]
    # The same object as __init__ makes, fields in the same order (a pickle, and so a
    # page's cache key, follows that order): checked once, here, on stand-in values.
    values = [object() for _ in names]
    made, plain = make(*values), cls(*values)
    if type(made) is not cls or _state(made) != _state(plain):
        raise TypeError(f"{cls.__name__}: the quick constructor does not make what __init__ makes.")
    if slots is not None:
        getter = attrgetter(*names)
        _REMAKERS[cls] = (make, getter if len(names) > 1 else lambda instance: (getter(instance),))
    return make


def _state(instance: Any) -> list[tuple[str, Any]]:
    """What an instance holds, in order: its dictionary's items, or its slots and their values."""
    if hasattr(instance, "__dict__"):
        return list(vars(instance).items())
    return [(name, getattr(instance, name)) for name in type(instance).__slots__]


def reduce_by_fields(instance: Any) -> tuple[Callable[..., Any], tuple]:
    """``__reduce__`` for a slotted frozen dataclass that ``frozen_maker`` makes: the
    instance is pickled as its class and its fields in order, and made again by the
    quick constructor. The same fields give the same bytes, whatever was asked of it."""
    cls = type(instance)
    if cls not in _REMAKERS:
        raise TypeError(f"{cls.__name__} is pickled by its fields, but frozen_maker has not made its "
                        "constructor.")
    return _remade, (cls, _REMAKERS[cls][1](instance))


def _remade(cls: type[T], fields: tuple) -> T:
    """An instance pickled by ``reduce_by_fields``, made again."""
    return _REMAKERS[cls][0](*fields)
