"""What the page derives from one route option alone, kept per option object.

A plan for another date reuses most of the previous plan's option objects (planner.ranking
keeps them while nothing they say changes), so a table row or a map point is worked out
once per option object, not once per rerun. Looking one up costs a dict lookup, where
hashing a frozen model (what functools caches do) walks all its fields.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

K = TypeVar("K")
T = TypeVar("T")
_LIMIT = 4096
_kept: dict[tuple[Callable, int], tuple[object, object]] = {}


def per_object(make: Callable[[K], T], obj: K) -> T:
    """`make(obj)` for this very `obj`, once; shared by all sessions.

    The entry holds `obj` itself, so its id cannot pass to another object meanwhile."""
    key = (make, id(obj))
    hit = _kept.get(key)
    if hit is not None and hit[0] is obj:
        return hit[1]  # type: ignore[return-value]
    value = make(obj)
    if len(_kept) >= _LIMIT:
        _kept.clear()
    _kept[key] = (obj, value)
    return value
