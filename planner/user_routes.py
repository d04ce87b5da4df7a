"""Routes a person adds themselves: from what they heard to a Route the planner can rank.

A user route is a report, not curated data. It comes from the page's form or from a plan
file (possibly a stranger's), so it is built only from a `UserRoute`, which holds what a
person can say (name, where from, where to, a note, a link) and nothing that could decide a
verdict on its own: no status, wait or arranged departure. Its facts are graded `medium`
with a link and `unverified` without; it is always marked "added by you", has an id that
starts with `user-` (curated ids may not), and is ranked after the curated routes unless
the traveler asks to rank it with the rest (`order`).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence
from typing import Any

from pydantic import ValidationError

from planner.errors import InputError
from planner.messages import t
from planner.models import (
    USER_ROUTE_PREFIX,
    ModeRecord,
    Place,
    Route,
    RouteNote,
    RouteOption,
    UserRoute,
)

MAX_USER_ROUTES = 50
# Means of crossing a route of each kind allows, when the person cannot say more.
KIND_MODES = {
    "land": ("car", "bus", "foot"),
    "air": ("plane",),
    "sea": ("ship",),
    "rail": ("train",),
}


def make_user_route(
    *,
    name: str,
    kind: str,
    to_country: str,
    place: Place,
    note: str,
    url: str,
    on: dt.date,
    taken: Iterable[str] = (),
) -> UserRoute:
    """The person's report as a UserRoute with a fresh id; InputError (one sentence) when
    something is missing or wrong."""
    name = " ".join(name.split())
    if not name:
        raise InputError(t("app.add.need_name"))
    if not to_country:
        raise InputError(t("app.add.need_country"))
    slug = re.sub(r"[^a-z0-9]+", "-", name.casefold()).strip("-")[:40].strip("-") or "route"
    taken = set(taken)
    route_id, n = f"{USER_ROUTE_PREFIX}{slug}", 2
    while route_id in taken:
        route_id, n = f"{USER_ROUTE_PREFIX}{slug}-{n}", n + 1
    return _validated(
        id=route_id,
        name=name,
        kind=kind,
        to_country=to_country,
        place=place,
        note=note.strip(),
        source_url=url.strip() or None,
        added=on,
    )


def _validated(**fields: Any) -> UserRoute:
    try:
        return UserRoute(**fields)
    except ValidationError as exc:
        err = exc.errors()[0]
        field = ".".join(map(str, err["loc"])) or "route"
        if field == "source_url":
            raise InputError(t("app.add.bad_url")) from None
        msg = err["msg"].removeprefix("Value error, ")
        raise InputError(f"{field}: {msg}") from None


def check_user_routes(routes: Sequence[UserRoute], curated_ids: Iterable[str]) -> None:
    """InputError unless the routes are few enough, have unique ids and shadow no curated
    route (whose ids never start with `user-`, but the data may change)."""
    if len(routes) > MAX_USER_ROUTES:
        raise InputError(f"at most {MAX_USER_ROUTES} routes of your own can be added")
    curated = set(curated_ids)
    seen: set[str] = set()
    for i, route in enumerate(routes):
        if route.id in seen or route.id in curated:
            raise InputError(f"user_routes.{i}.id: {route.id!r} is used twice")
        seen.add(route.id)


def to_route(user: UserRoute) -> Route:
    """The Route the planner ranks: marked as the person's, graded by whether it has a link,
    with the note dated on the day it was added."""
    lat, lon = user.place.lat, user.place.lon
    assert lat is not None and lon is not None  # UserRoute requires them
    source = user.source_url or _osm_link(lat, lon)
    confidence = "medium" if user.source_url else "unverified"
    text = user.note or t("app.add.default_note" if user.source_url else "app.add.no_source")
    return Route(
        id=user.id,
        kind=user.kind,
        name=user.name,
        departure=user.place,
        to_country=user.to_country,
        modes=(
            ModeRecord(
                date=user.added,
                modes=KIND_MODES[user.kind],
                source_url=source,
                confidence=confidence,
            ),
        ),
        notes=(RouteNote(text=text, as_of=user.added, source_url=source, confidence=confidence),),
        added_by_user=True,
        unsourced=user.source_url is None,
    )


def _osm_link(lat: float, lon: float) -> str:
    """Where the point is, for a route with no source of its own."""
    return (
        f"https://www.openstreetmap.org/?mlat={lat:.5f}&mlon={lon:.5f}#map=10/{lat:.4f}/{lon:.4f}"
    )


def order(options: Sequence[RouteOption], *, rank_with_rest: bool) -> list[RouteOption]:
    """The core's ranking with the person's own routes put in their place: blocked routes
    stay last; before them come the curated routes, then the person's own (or all ranked
    together, if they ask), and a route added without a source never comes before a sourced
    one of the same standing. A stable sort, so the ranking decides everything else."""

    def key(option: RouteOption) -> tuple[bool, bool, bool]:
        own = option.added_by_user
        return (option.verdict == "blocked", own and not rank_with_rest, own and option.unsourced)

    return sorted(options, key=key)


__all__ = [
    "KIND_MODES",
    "MAX_USER_ROUTES",
    "check_user_routes",
    "make_user_route",
    "order",
    "to_route",
]
