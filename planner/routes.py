"""Route eligibility for one traveler on one date, and the ranking of the options.

Implements DESIGN.md's planning rules 1-6: exit passport and exit restrictions for
nationals, the best entry passport, the status on the date for the passport shown at that
border, the means of crossing, a verdict with sourced reasons, distance/time and waits.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import gc
import math
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any, TypeVar

import pycountry
from pydantic import BaseModel

from planner import entry, geo
from planner.models import (
    DECISIVE,
    Country,
    EntryOverride,
    ExitRule,
    ModeRecord,
    Place,
    Reason,
    Route,
    RouteOption,
    StatusRecord,
    Traveler,
    WaitReport,
    applies_to,
)
from planner.rules import is_national, is_stale, matches

M = TypeVar("M", bound=BaseModel)

STATUS_STALE_DAYS = 60  # a route status not re-confirmed for two months may have changed
WAIT_RECENT_DAYS = 7  # queue reports older than a week say little about today's queue
AIR_BUFFER_HOURS = 3.0  # be at the airport three hours before an international flight
NO_CAR_MODES = frozenset({"bus", "foot", "train", "plane", "ship", "bicycle"})
VERDICT_ORDER = {"go": 0, "caution": 1, "blocked": 2}
FOREIGN = "foreign"  # _exit's answer when a national may leave on the passport used for entry

# entry.REQUIREMENT words -> what the traveler must do about them
_ENTRY_EFFECT = {
    "citizen": "info",
    "visa free": "info",
    "visa on arrival": "info",
    "visa held": "info",
    "eta": "caution",
    "e-visa": "caution",
    "unknown": "caution",
    "visa required": "blocks",
    "no admission": "blocks",
}


@dataclass(frozen=True)
class Context:
    """Everything about this plan that every route is judged against."""

    traveler: Traveler
    on: dt.date
    country: Country | None  # the departure country's rules, if we have them
    departure: str
    location: Place | None
    overrides: tuple[EntryOverride, ...]


@functools.cache
def country_name(code: str) -> str:
    record = pycountry.countries.get(alpha_2=code)
    return getattr(record, "common_name", None) or (record.name if record else code)


_SEVERITY = {"open": 0, "restricted": 1, "closed": 2}


def status_on(
    route: Route,
    passport: str,
    on: dt.date,
    *,
    exit_passport: str | None = None,
    decisive_only: bool = False,
) -> StatusRecord | None:
    """The route's status on `on`: on each side of the border the latest record in force for
    the passport shown there (entry records: `passport`; exit records: `exit_passport`,
    default the same), a nationality-specific record beating an `all` record of the same
    date; then the stricter side, since a crossing is only as open as its closed side."""
    shown = {"entry": passport, "exit": exit_passport or passport}
    per_side = []
    for side, holder in shown.items():
        candidates = [
            r
            for r in route.status
            if r.side == side
            and r.in_force(on)
            and applies_to(r.applies_to, holder)
            and (not decisive_only or r.confidence in DECISIVE)
        ]
        if candidates:
            per_side.append(max(candidates, key=lambda r: (r.date, r.applies_to != "all")))
    if not per_side:
        return None
    return max(per_side, key=lambda r: (_SEVERITY[r.status], r.date))


def _statuses_on(
    route: Route, passport: str, on: dt.date, exit_passport: str | None
) -> tuple[StatusRecord | None, StatusRecord | None]:
    """status_on(...) and status_on(..., decisive_only=True) in one pass over the records,
    with the same ties (the first of equal records wins, as with max)."""
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
        if r.confidence in DECISIVE:
            old = best_decisive.get(r.side)
            if old is None or rank > (old.date, old.applies_to != "all"):
                best_decisive[r.side] = r
    return _stricter(best), _stricter(best_decisive)


def _stricter(per_side: dict[str, StatusRecord]) -> StatusRecord | None:
    # entry first, as status_on lists the sides: on a tie the entry record wins
    sides = [per_side[side] for side in ("entry", "exit") if side in per_side]
    if not sides:
        return None
    return max(sides, key=lambda r: (_SEVERITY[r.status], r.date))


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


def exit_rules_for(ctx: Context) -> list[ExitRule]:
    if ctx.country is None or not is_national(ctx.traveler, ctx.departure):
        return []
    return [
        r
        for r in ctx.country.exit_rules
        if r.in_force(ctx.on) and matches(r.when, ctx.traveler, ctx.departure)
    ]


def _constructor(model: type[M]) -> Callable[..., M]:
    """`model.model_construct` for trusted values, minus its per-call walk over aliases.

    The plan is built from validated data and a validated traveler, so its output models
    skip validation: at 100,000 routes, re-checking every field (or even model_construct's
    loop) was most of the time. Same instance as model_construct makes; models with
    aliases or post-init hooks get model_construct itself.
    """
    fields = model.model_fields
    plain = not model.__pydantic_post_init__ and not model.__pydantic_root_model__
    if not plain or any(f.alias or f.validation_alias for f in fields.values()):
        return model.model_construct
    defaults = {n: f.get_default(call_default_factory=True) for n, f in fields.items()}
    new, set_attr = model.__new__, object.__setattr__

    def build(**values: Any) -> M:
        instance = new(model)
        fields = defaults.copy()  # keeps the fields' order; values are all known fields
        fields.update(values)
        set_attr(instance, "__dict__", fields)
        set_attr(instance, "__pydantic_fields_set__", set(values))
        set_attr(instance, "__pydantic_extra__", None)
        set_attr(instance, "__pydantic_private__", None)
        return instance

    return build


_Reason = _constructor(Reason)
_RouteOption = _constructor(RouteOption)


def _reason(text: str, effect: str, fact, as_of: dt.date, ctx: Context, bounded: bool = False):
    return _Reason(
        text=text,
        effect=effect,
        source_url=fact.source_url,
        as_of=as_of,
        confidence=fact.confidence,
        stale=is_stale(as_of, ctx.on, STATUS_STALE_DAYS, bounded=bounded),
    )


def _exit(route: Route, ctx: Context) -> tuple[str | None, list[Reason]]:
    """Which document the traveler shows to the departure country's border guards."""
    traveler = ctx.traveler
    if not is_national(traveler, ctx.departure):
        return None, []  # a foreigner shows the passport chosen for entry
    country = ctx.country
    if ctx.departure in traveler.valid_passports:
        return ctx.departure, []  # the rule itself is a risk note, not repeated per route
    if country is not None and route.to_country in country.internal_id_accepted_by:
        note = country.internal_id_note or country.exit_document
        text = f"No valid {ctx.departure} passport: the internal ID card is accepted here."
        return f"{ctx.departure} (internal ID)", [_reason(text, "caution", note, note.as_of, ctx)]
    allowed = [p for p in (country.foreign_passport_exit if country else ()) if p.in_force(ctx.on)]
    if allowed:
        period = allowed[0]
        return FOREIGN, [_reason(period.text, "caution", period, period.date, ctx, bounded=True)]
    text = f"You hold no valid {ctx.departure} passport, and nationals must leave on one."
    if country is None:
        return None, [_Reason(text=text, effect="blocks")]
    doc = country.exit_document
    return None, [_reason(text, "blocks", doc, doc.as_of, ctx, bounded=True)]


def _entry(route: Route, ctx: Context) -> tuple[entry.Entry | None, list[Reason]]:
    traveler = ctx.traveler
    passports = tuple(traveler.valid_passports)
    if not passports:
        return None, [_Reason(text="You hold no valid passport for entry.", effect="blocks")]
    chosen = entry.best_entry(
        passports,
        route.to_country,
        ctx.on,
        kind=route.kind,
        visas=traveler.visas,
        avoid=ctx.departure,
        overrides=ctx.overrides,
        departure=ctx.departure,
    )
    name = country_name(route.to_country)
    requirement = chosen.requirement
    effect = _ENTRY_EFFECT.get(requirement, "caution")
    if requirement == "restricted":
        effect = "caution" if route.to_country in traveler.visas else "blocks"
    stay = f" ({chosen.days} days)" if chosen.days else ""
    text = f"Entry to {name} on the {chosen.passport} passport: {requirement}{stay}."
    if chosen.note:
        text += f" {chosen.note}"
    reason = _Reason(
        text=text,
        effect=effect,
        source_url=chosen.source_url,
        as_of=chosen.as_of,
        confidence="medium" if chosen.override_id is None else "high",
    )
    return chosen, [reason]


def _status(route: Route, passport: str | None, exit_passport: str | None, ctx: Context):
    if passport is None:
        return None, []
    passport = passport.split(" ")[0]
    exit_passport = exit_passport.split(" ")[0] if exit_passport else None
    latest, decisive = _statuses_on(route, passport, ctx.on, exit_passport)
    reasons = []
    if decisive is None:
        reasons.append(
            _Reason(
                text=f"No confirmed status for {passport} passports on this date: check first.",
                effect="caution",
            )
        )
    else:
        effect = {"open": "info", "restricted": "caution", "closed": "blocks"}[decisive.status]
        text = f"{decisive.status.capitalize()} since {decisive.date.isoformat()}"
        if decisive.note:
            text += f": {decisive.note}"
        reasons.append(
            _reason(text, effect, decisive, decisive.date, ctx, bounded=decisive.until is not None)
        )
    if latest is not None and latest is not decisive:
        text = f"Unverified report ({latest.date.isoformat()}): {latest.status}. {latest.note}"
        reasons.append(_reason(text.strip(), "caution", latest, latest.date, ctx))
    return decisive, reasons


def known_on(route: Route, on: dt.date) -> bool:
    """Whether any fact about the route dates from on or before `on`: a connection first
    reported in 2025 says nothing about 2022."""
    return any(m.date <= on for m in route.modes) or any(s.date <= on for s in route.status)


def _means(route: Route, ctx: Context) -> tuple[tuple[str, ...], list[Reason]]:
    record = modes_on(route, ctx.on, decisive_only=True)
    reported = modes_on(route, ctx.on)
    rumour = []
    if reported is not record:
        text = f"[{reported.confidence}] Reported: {', '.join(reported.modes)}. {reported.note}"
        rumour = [_reason(text.strip(), "caution", reported, reported.date, ctx, bounded=True)]
    allowed, reasons = _allowed(record, route, ctx)
    return allowed, reasons + rumour


def _allowed(record: ModeRecord, route: Route, ctx: Context) -> tuple[tuple[str, ...], list]:
    allowed = record.modes
    if not allowed:
        text = "No source says how this route may be crossed (by car, bus or on foot)."
        return allowed, [_reason(text, "caution", record, record.date, ctx, bounded=True)]
    if ctx.traveler.has_car:
        return allowed, []
    usable = tuple(m for m in allowed if m in NO_CAR_MODES)
    if not usable:
        text = f"Only by {', '.join(allowed)} here, and you have no car."
        return usable, [_reason(text, "blocks", record, record.date, ctx, bounded=True)]
    reasons = []
    if route.kind == "land" and "foot" not in usable:
        ways = " or ".join(usable)
        text = f"No crossing on foot here: without a car you need a seat on a {ways}."
        reasons.append(_reason(text, "caution", record, record.date, ctx, bounded=True))
    return usable, reasons


def map_point(route: Route) -> Place:
    """Where the route starts on a map: its departure point, else the far side of the border
    (a crossing's two sides are a few km apart; sources often locate only one)."""
    if route.departure.lat is None and route.arrival is not None and route.arrival.lat is not None:
        return route.arrival
    return route.departure


def _distances(
    routes: list[Route], location: Place | None
) -> list[tuple[float | None, float | None]]:
    """(km, hours) from `location` to each route's map point, in one vectorised call."""
    out: list[tuple[float | None, float | None]] = [(None, None)] * len(routes)
    if location is None or location.lat is None:
        return out
    points = [(i, map_point(r)) for i, r in enumerate(routes)]
    points = [(i, p) for i, p in points if p.lat is not None]
    if not points:
        return out
    km = geo.geodesic_km(
        location.lat, location.lon, [p.lat for _, p in points], [p.lon for _, p in points]
    )
    for (i, _), d in zip(points, km.tolist(), strict=True):
        hours = geo.travel_hours(d)
        if routes[i].kind == "air":
            hours += AIR_BUFFER_HOURS
        out[i] = (round(d, 1), round(hours, 1))
    return out


def _arranged(route: Route, ctx: Context) -> list[Reason]:
    """A government-arranged departure boards only those it was arranged for."""
    arranged = route.arranged
    if arranged is None:
        return []
    eligible = any(c in arranged.eligible for c in ctx.traveler.citizenships)
    who = ", ".join(arranged.eligible)
    text = f"Arranged by the {country_name(arranged.government)} government for {who} citizens"
    text += f"; cost: {arranged.cost}. {arranged.text}"
    if not eligible:
        text = f"Not for you: {text}"
    effect = "info" if eligible else "blocks"
    return [_reason(text, effect, arranged, arranged.as_of, ctx, bounded=True)]


def evaluate(
    route: Route,
    ctx: Context,
    exit_reasons: Iterable[tuple[tuple[str, ...], Reason]],
    *,
    distance: tuple[float | None, float | None] | None = None,
    memo: dict | None = None,
) -> RouteOption:
    """One route for this traveler on this date: verdict, passports, reasons, time.

    plan_routes passes `distance` (computed for all routes at once) and a `memo` shared by
    the plan's routes: exit and entry depend only on the destination and the kind of route.
    """
    memo = {} if memo is None else memo
    key = ("exit", route.to_country)
    if key not in memo:
        memo[key] = _exit(route, ctx)
    exit_passport, exit_doc_reasons = memo[key]
    reasons = list(exit_doc_reasons)
    key = ("entry", route.to_country, route.kind)
    if key not in memo:
        memo[key] = _entry(route, ctx)
    chosen, entry_reasons = memo[key]
    foreigner = not is_national(ctx.traveler, ctx.departure)
    if chosen is not None and (exit_passport == FOREIGN or (exit_passport is None and foreigner)):
        exit_passport = chosen.passport
    # The departure country's border guards check the exit document; the other side's the
    # entry passport. A status scoped by nationality is about the passport shown there.
    shown = chosen.passport if chosen is not None else exit_passport
    record, status_reasons = _status(route, shown, exit_passport, ctx)
    modes, mode_reasons = _means(route, ctx)
    applicable = [r for kinds, r in exit_reasons if not kinds or route.kind in kinds]
    reasons = [
        *applicable,
        *reasons,
        *status_reasons,
        *entry_reasons,
        *mode_reasons,
        *_arranged(route, ctx),
    ]
    for note in route.notes:
        if note.as_of <= ctx.on:
            label = "" if note.confidence in DECISIVE else f"[{note.confidence}] "
            reasons.append(_reason(label + note.text, "info", note, note.as_of, ctx))
    wait = recent_wait(route, ctx.on)
    if wait is not None:
        text = f"Reported wait {wait.hours:g} h ({wait.direction}, {wait.source_type}). {wait.note}"
        reasons.append(
            _Reason(
                text=text.strip(),
                effect="info",
                source_url=wait.source_url,
                as_of=wait.date,
                confidence=wait.confidence,
            )
        )
    distance, hours = _distances([route], ctx.location)[0] if distance is None else distance
    # An equal reason elsewhere in the list has the same `stale`, so identity is enough.
    status_ids = {id(r) for r in status_reasons}
    effects = {r.effect for r in reasons if r.confidence in DECISIVE or r.effect == "info"}
    verdict = "blocked" if "blocks" in effects else "caution" if "caution" in effects else "go"
    # An unverified fact never decides a verdict alone, but it must still be seen.
    if verdict == "go" and any(r.effect != "info" for r in reasons):
        verdict = "caution"
    order = {"blocks": 0, "caution": 1, "info": 2}
    reasons.sort(key=lambda r: order[r.effect])
    point = map_point(route)
    return _RouteOption(
        id=route.id,
        kind=route.kind,
        name=route.name,
        name_local=route.name_local,
        to_country=route.to_country,
        to_country_name=country_name(route.to_country),
        verdict=verdict,
        exit_passport=exit_passport,
        entry_passport=chosen.passport if chosen is not None else None,
        entry_requirement=chosen.requirement if chosen is not None else "unknown",
        status=record.status if record is not None else "unknown",
        status_as_of=record.date if record is not None else None,
        distance_km=distance,
        hours=hours,
        wait_hours=wait.hours if wait is not None else None,
        wait_as_of=wait.date if wait is not None else None,
        wait_source_type=wait.source_type if wait is not None else None,
        lat=point.lat,
        lon=point.lon,
        modes=modes,
        carriers=route.carriers,
        destinations=route.destinations,
        reasons=tuple(reasons),
        # Old background notes are expected; an old status or warning is what to re-check.
        stale=any(r.stale for r in reasons if r.effect != "info" or id(r) in status_ids),
        added_by_user=route.added_by_user,
    )


def _listing(exemptions: Iterable) -> str:
    return "; ".join(x.text.rstrip(". ") for x in exemptions) + "."


def exit_restriction_reasons(ctx: Context) -> list[tuple[tuple[str, ...], Reason]]:
    """Exit rules for a national apply to every route (of the rule's kinds) alike; each
    comes with the route kinds it covers. Exemptions in force are named, met or not; those
    first documented after the plan date are named with that date but never relied on."""
    reasons = []
    for rule in exit_rules_for(ctx):
        exemptions = [
            x
            for x in rule.exemptions
            if x.as_of <= ctx.on and (x.until is None or ctx.on <= x.until)
        ]
        later = [
            x
            for x in rule.exemptions
            if x.as_of > ctx.on and (rule.until is None or x.as_of <= rule.until)
        ]
        met = [x for x in exemptions if matches(x.when, ctx.traveler, ctx.departure)]
        label = "" if rule.confidence in DECISIVE else f"[{rule.confidence}] "
        if met:
            text = f"{label}{rule.text} You appear exempt: {met[0].text}"
            reasons.append((rule.kinds, _reason(text, "caution", met[0], met[0].as_of, ctx)))
            continue
        effect = "blocks" if rule.effect == "banned" else "caution"
        text = label + rule.text
        if exemptions:
            text += " Exemptions: " + _listing(exemptions)
        if later:
            first = min(x.as_of for x in later).isoformat()
            text += f" Exemptions first documented on {first} (not confirmed for this date): "
            text += _listing(later)
        reasons.append((rule.kinds, _reason(text, effect, rule, rule.date, ctx, bounded=True)))
    return reasons


def rank(options: Iterable[RouteOption]) -> list[RouteOption]:
    """Blocked last; then by time to be across (travel + wait); cautions break ties."""

    def key(o: RouteOption):
        total = (o.hours if o.hours is not None else math.inf) + (o.wait_hours or 0)
        cautions = sum(r.effect == "caution" for r in o.reasons)
        return (o.verdict == "blocked", total, cautions, VERDICT_ORDER[o.verdict], o.name)

    return sorted(options, key=key)


# From this many routes on, the cyclic garbage collector is paused while they are evaluated.
GC_PAUSE_ROUTES = 5_000


def plan_routes(routes: Iterable[Route], ctx: Context) -> list[RouteOption]:
    exit_reasons = exit_restriction_reasons(ctx)
    known = [r for r in routes if known_on(r, ctx.on)]
    distances = _distances(known, ctx.location)
    memo: dict = {}
    with _gc_paused(len(known) >= GC_PAUSE_ROUTES):
        return rank(
            evaluate(r, ctx, exit_reasons, distance=d, memo=memo)
            for r, d in zip(known, distances, strict=True)
        )


@contextlib.contextmanager
def _gc_paused(pause: bool) -> Iterator[None]:
    """Evaluating creates hundreds of thousands of small objects and no reference cycles, so
    the cyclic collector only re-scans a growing heap for nothing: a third of the time at
    100,000 routes. Reference counting still frees everything; the collector is switched back
    on only by the call that switched it off (another thread's pause is left alone)."""
    if not pause or not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()
