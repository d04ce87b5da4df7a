"""Approximate positions for routes whose sources name a place but give no coordinates.

Many crossings and ports are named in the sources without a position ("Lviv airport",
"Haifa port passenger terminal", "Isilkul"). Rather than no distance at all, such a route
takes the coordinates of the town of that name in the departure country, from the bundled
gazetteer, marked `approximate` wherever it is shown. Only an exact name in that country
counts (never a "did you mean"): the name, then each comma-separated part of it without
what names a facility rather than a town (a parenthesis, trailing words such as "airport"
or "port"), e.g. "Ramon Airport (ETM), Eilat" is looked up as "Ramon", then "Eilat".
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from planner import geo
from planner.models import Place, Route
from planner.records import map_point

# Trailing words that name the facility, not the town it is in.
FACILITY = frozenset(
    {"airport", "port", "marina", "station", "terminal", "passenger", "crossing", "checkpoint"}
)
_KEPT = 8  # departure countries whose positioned routes are kept
_kept: dict[tuple[int, str], tuple[tuple[Route, ...], tuple[Route, ...]]] = {}


def town_names(place: Place) -> Iterator[str]:
    """The names to look up for a place, most literal first."""
    for name in (place.name, place.local_name):
        if not name:
            continue
        yield name
        for part in re.sub(r"\([^)]*\)", " ", name).split(","):
            words = part.split()
            while words and words[-1].casefold() in FACILITY:
                words.pop()
            if words:
                yield " ".join(words)


def approximate(place: Place, country: str) -> Place | None:
    """The gazetteer's town for `place` in `country`, marked approximate; None if unknown."""
    for name in dict.fromkeys(town_names(place)):
        town = geo.town_in(name, country)
        if town is not None:
            return place.model_copy(
                update={"lat": town.lat, "lon": town.lon, "precision": "approximate"}
            )
    return None


def positioned(routes: tuple[Route, ...], country: str) -> tuple[Route, ...]:
    """The routes, each without coordinates given those of its town where one is known.
    Worked out once per tuple of routes: the same objects come back on every plan, so the
    ranking's compiled tables (keyed on the route objects) are reused."""
    key = (id(routes), country)
    hit = _kept.get(key)
    if hit is not None and hit[0] is routes:
        return hit[1]
    out = tuple(_positioned(route, country) for route in routes)
    if len(_kept) >= _KEPT:
        _kept.clear()
    _kept[key] = (routes, out)
    return out


def _positioned(route: Route, country: str) -> Route:
    if map_point(route).lat is not None:
        return route
    place = approximate(route.departure, country)
    return route if place is None else route.model_copy(update={"departure": place})
