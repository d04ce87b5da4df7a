"""What a route's dated records say on a date, before any traveler is judged against them."""

from __future__ import annotations

import datetime as dt

from planner.models import DECISIVE, ModeRecord, Place, Route, StatusRecord, WaitReport, applies_to

WAIT_RECENT_DAYS = 7  # queue reports older than a week say little about today's queue
SEVERITY = {"open": 0, "restricted": 1, "closed": 2}


def statuses_on(
    route: Route, passport: str, on: dt.date, exit_passport: str | None = None
) -> tuple[StatusRecord | None, StatusRecord | None]:
    """The route's status on `on` from every record, and from the decisive ones only.

    On each side of the border: the latest record in force for the passport shown there
    (entry records: `passport`; exit records: `exit_passport`, default the same), a
    nationality-specific record beating an `all` record of the same date, and the first of
    equal records winning. Then the stricter side, since a crossing is only as open as its
    closed side. A roughly dated record (month, year) is decisive only once the period it
    names is over (Dated.decides_from)."""
    shown = {"entry": passport, "exit": exit_passport or passport}
    best: dict[str, StatusRecord] = {}
    best_decisive: dict[str, StatusRecord] = {}
    for r in route.status:
        if not r.in_force(on) or not applies_to(r.applies_to, shown[r.side]):
            continue
        rank = (r.date, r.applies_to != "all")
        old = best.get(r.side)
        if old is None or rank > (old.date, old.applies_to != "all"):
            best[r.side] = r
        if r.confidence in DECISIVE and r.decides_from <= on:
            old = best_decisive.get(r.side)
            if old is None or rank > (old.date, old.applies_to != "all"):
                best_decisive[r.side] = r
    return _stricter(best), _stricter(best_decisive)


def _stricter(per_side: dict[str, StatusRecord]) -> StatusRecord | None:
    # entry first: on a tie the entry record wins
    sides = [per_side[side] for side in ("entry", "exit") if side in per_side]
    if not sides:
        return None
    return max(sides, key=lambda r: (SEVERITY[r.status], r.date))


def modes_on(route: Route, on: dt.date, *, decisive_only: bool = False) -> ModeRecord:
    """The set of modes in force on `on`; before the first record, the first one. With
    `decisive_only`, records graded low or unverified are passed over when others exist."""
    records = [m for m in route.modes if m.confidence in DECISIVE] if decisive_only else []
    records = records or list(route.modes)
    in_force = [m for m in records if m.in_force(on)]
    if in_force:
        return max(in_force, key=lambda m: m.date)
    return min(records, key=lambda m: m.date)


def recent_wait(route: Route, on: dt.date) -> WaitReport | None:
    recent = [w for w in route.waits if 0 <= (on - w.date).days <= WAIT_RECENT_DAYS]
    return max(recent, key=lambda w: (w.date, w.hours)) if recent else None


def known_on(route: Route, on: dt.date) -> bool:
    """Whether any fact about the route dates from on or before `on`: a connection first
    reported in 2025 says nothing about 2022."""
    return any(m.date <= on for m in route.modes) or any(s.date <= on for s in route.status)


def map_point(route: Route) -> Place:
    """Where the route starts on a map: its departure point, else, for a land or rail
    crossing, the far side of the border (its two sides are a few km apart; sources often
    locate only one). A flight's or a ship's far end is another country: never its start."""
    far = route.arrival
    if route.departure.lat is None and crosses_by_land(route) and far and far.lat is not None:
        return far
    return route.departure


def crosses_by_land(route: Route) -> bool:
    return route.kind in ("land", "rail")
