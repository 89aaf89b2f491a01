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
all the rules. ``frozen_instance`` fills the instance's dictionary in one step from a
dictionary of the fields; ``frozen_maker`` makes a constructor that takes the fields
positionally and sets them by plain assignment, which is four times quicker again
(building and copying a 27-entry dictionary was most of ``frozen_instance``'s cost).
Either way the instance is the one ``__init__`` would make, for the classes they are
used on (no ``__post_init__``, no default factories, every field given):
``frozen_maker`` checks that once per class, and tests/test_assess_speed.py checks
the objects assess makes, class by class.
"""

from __future__ import annotations

import dataclasses
import gc
from collections.abc import Callable, Iterator
from contextlib import contextmanager
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


def frozen_instance(cls: type[T], fields: dict[str, Any]) -> T:
    """An instance of a frozen dataclass with every field given, made without its ``__init__``."""
    instance = object.__new__(cls)
    # Pair by pair (.items()), so that the instance keeps the dictionary it shares its
    # keys with every instance of the class: given a dict, update() would copy that
    # dict's own key table into each instance (nearly three times the memory).
    instance.__dict__.update(fields.items())
    return instance


def frozen_maker(cls: type[T]) -> Callable[..., T]:
    """A constructor of the frozen dataclass ``cls`` that takes every field positionally, in
    the order the dataclass declares them, and makes the instance ``cls(*fields)`` makes.

    The instance is filled as an instance of a plain class with the same layout (a
    dictionary and weak references, nothing else), whose attributes are set by ordinary
    assignment, the quickest way Python has; then it is given its real class. The
    frozen ``__setattr__`` of ``cls`` is never involved, so nothing can be set afterwards.
    """
    fields = dataclasses.fields(cls)
    names = [f.name for f in fields]
    if hasattr(cls, "__post_init__") or hasattr(cls, "__slots__") or not all(f.init for f in fields):
        raise TypeError(f"{cls.__name__}: only plain frozen dataclasses can be made without __init__")
    if {"_cls", "_shadow", "_instance"} & set(names):
        raise TypeError(f"{cls.__name__}: a field is named like a variable of the constructor")
    shadow = type(f"_{cls.__name__}Fields", (), {"__doc__": f"{cls.__name__} while it is being filled in"})
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
    if type(made) is not cls or list(vars(made).items()) != list(vars(plain).items()):
        raise TypeError(f"{cls.__name__}: the quick constructor does not make what __init__ makes")
    return make
