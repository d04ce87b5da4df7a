"""Route eligibility for one traveler on one date, and the ranking of the options.

Implements DESIGN.md's planning rules 1-6: exit passport and exit restrictions for
nationals, the best entry passport, the status on the date for the passport shown at that
border, the means of crossing, a verdict with sourced reasons, distance/time and waits.
"""

from __future__ import annotations

import datetime as dt
import functools
import math
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, TypeVar

import numpy as np
import pycountry
from pydantic import BaseModel

from planner import entry, geo
from planner.danger import Danger
from planner.models import (
    DECISIVE,
    Area,
    Country,
    EntryOverride,
    ExitRule,
    ModeRecord,
    Place,
    Reach,
    Reason,
    Route,
    RouteOption,
    Traveler,
    applies_to,
)
from planner.records import map_point, modes_on, recent_wait, statuses_on
from planner.rules import is_national, is_personal, is_stale, matches

M = TypeVar("M", bound=BaseModel)

STATUS_STALE_DAYS = 60  # a route status not re-confirmed for two months may have changed
AIR_BUFFER_HOURS = 3.0  # be at the airport three hours before an international flight
NO_CAR_MODES = frozenset({"bus", "foot", "train", "plane", "ship", "bicycle"})
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
    # Per destination, the strongest warning of the traveler's own governments on the date.
    dangers: Mapping[str, Danger] = field(default_factory=dict)


@functools.cache
def country_name(code: str) -> str:
    record = pycountry.countries.get(alpha_2=code)
    return getattr(record, "common_name", None) or (record.name if record else code)


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


def _reason(
    text: str,
    effect: str,
    fact,
    as_of: dt.date,
    ctx: Context,
    bounded: bool = False,
    *,
    about: str = "note",
):
    return _Reason(
        text=text,
        effect=effect,
        source_url=fact.source_url,
        as_of=as_of,
        confidence=fact.confidence,
        stale=is_stale(as_of, ctx.on, STATUS_STALE_DAYS, bounded=bounded),
        about=about,
    )


def _exit(to_country: str, ctx: Context) -> tuple[str | None, list[Reason]]:
    """Which document the traveler shows to the departure country's border guards."""
    traveler = ctx.traveler
    if not is_national(traveler, ctx.departure):
        return None, []  # a foreigner shows the passport chosen for entry
    country = ctx.country
    if country is not None and not country.exit_document.known and traveler.valid_passports:
        return _any_passport(ctx)
    if ctx.departure in traveler.valid_passports:
        return ctx.departure, []  # the rule itself is a risk note, not repeated per route
    if country is not None and to_country in country.internal_id_accepted_by:
        note = country.internal_id_note or country.exit_document
        text = f"No valid {ctx.departure} passport: the internal ID card is accepted here."
        reason = _reason(text, "caution", note, note.as_of, ctx, about="exit_document")
        return f"{ctx.departure} (internal ID)", [reason]
    allowed = [p for p in (country.foreign_passport_exit if country else ()) if p.in_force(ctx.on)]
    if allowed:
        period = allowed[0]
        reason = _reason(
            period.text, "caution", period, period.date, ctx, bounded=True, about="exit_document"
        )
        return FOREIGN, [reason]
    text = f"You hold no valid {ctx.departure} passport, and nationals must leave on one."
    if country is None:
        return None, [_Reason(text=text, effect="blocks", about="exit_document")]
    doc = country.exit_document
    return None, [_reason(text, "blocks", doc, doc.as_of, ctx, bounded=True, about="exit_document")]


def _any_passport(ctx: Context) -> tuple[str, list[Reason]]:
    """No source says which document a national must leave on: each passport held is
    offered (the country's own first), and the plan says the rule was not found."""
    held = ctx.traveler.valid_passports
    offered = sorted(held, key=lambda p: (p != ctx.departure, held.index(p)))
    assert ctx.country is not None
    doc = ctx.country.exit_document
    name = ctx.country.name
    text = (
        f"No source says which passport a {name} national must leave on: show "
        f"{' or '.join(offered)} and ask at the border. {doc.text}"
    )
    reason = _reason(text, "caution", doc, doc.as_of, ctx, bounded=True, about="exit_rule")
    return " or ".join(offered), [reason]


def _entry(
    to_country: str, kind: str, ctx: Context, memo: dict
) -> tuple[entry.Entry | None, list[Reason]]:
    traveler = ctx.traveler
    passports = tuple(traveler.valid_passports)
    if not passports:
        return None, [
            _Reason(text="You hold no valid passport for entry.", effect="blocks", about="entry")
        ]
    find = memo.get("entry")  # one finder a plan: what all destinations share, worked out once
    if find is None:
        find = memo["entry"] = entry.EntryFinder(
            passports,
            ctx.on,
            visas=traveler.visas,
            avoid=ctx.departure,
            overrides=ctx.overrides,
            departure=ctx.departure,
        )
    chosen = find(to_country, kind)
    name = country_name(to_country)
    requirement = chosen.requirement
    effect = _ENTRY_EFFECT.get(requirement, "caution")
    if requirement == "restricted":
        effect = "caution" if to_country in traveler.visas else "blocks"
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
        about="entry",
    )
    return chosen, [reason]


def danger_level(to_country: str, ctx: Context) -> int:
    """The level (3 or 4) of the strongest warning against `to_country` by one of the
    traveler's governments on the plan date; 0 when none warns."""
    danger = ctx.dangers.get(to_country)
    return danger.level if danger is not None else 0


def danger_reasons(to_country: str, ctx: Context) -> list[Reason]:
    """The traveler's own government's warning against the destination, if any: level 4
    ("do not travel") a caution, level 3 ("reconsider") information (planner/danger.py)."""
    danger = ctx.dangers.get(to_country)
    if danger is None:
        return []
    advisory = danger.advisory
    when = advisory.updated.date() if advisory.updated else None
    since = f", as of {when.isoformat()}" if when else ""
    text = (
        f"{country_name(danger.government)} advises against going there: level "
        f"{danger.level} of 4 for {country_name(to_country)} ('{advisory.label}'{since})."
    )
    effect = "caution" if danger.level >= 4 else "info"
    return [_Reason(text=text, effect=effect, source_url=advisory.url, as_of=when, about="danger")]


@dataclass(frozen=True)
class Border:
    """What the two border posts see: the same for every route to one country by one kind."""

    exit_passport: str | None  # the document shown on leaving; None: none (or a foreigner's)
    chosen: entry.Entry | None  # the passport shown on arrival and what it needs
    exit_reasons: list[Reason]  # about the exit document
    entry_reasons: list[Reason]

    @property
    def holders(self) -> tuple[str, str] | None:
        """The nationality each side's status is read for (entry, exit); None: no passport.

        The departure country's guards check the exit document, the other side's the entry
        passport; a status scoped by nationality is about the passport shown there."""
        shown = self.chosen.passport if self.chosen is not None else self.exit_passport
        if shown is None:
            return None
        passport = shown.split(" ")[0]
        return passport, self.exit_passport.split(" ")[0] if self.exit_passport else passport


def border(to_country: str, kind: str, ctx: Context, memo: dict) -> Border:
    """The exit document and the entry passport for routes to `to_country` by `kind`;
    `memo` keeps the answers for the plan, since many routes share them."""
    key = ("exit", to_country)
    if key not in memo:
        memo[key] = _exit(to_country, ctx)
    exit_passport, exit_reasons = memo[key]
    key = ("entry", to_country, kind)
    if key not in memo:
        chosen, reasons = _entry(to_country, kind, ctx, memo)
        memo[key] = chosen, [*reasons, *danger_reasons(to_country, ctx)]
    chosen, entry_reasons = memo[key]
    foreigner = not is_national(ctx.traveler, ctx.departure)
    if chosen is not None and (exit_passport == FOREIGN or (exit_passport is None and foreigner)):
        exit_passport = chosen.passport
    return Border(exit_passport, chosen, exit_reasons, entry_reasons)


def weigh(reasons: Iterable[Reason]) -> tuple[bool, bool, int]:
    """(a decisive fact blocks, anything is more than information, how many cautions).

    The verdict follows: blocked, else caution, else go. An unverified fact never decides a
    verdict alone, but it must still be seen, so it makes a `go` a `caution`."""
    blocks = flagged = False
    cautions = 0
    for r in reasons:
        if r.effect == "info":
            continue
        flagged = True
        cautions += r.effect == "caution"
        blocks = blocks or (r.effect == "blocks" and r.confidence in DECISIVE)
    return blocks, flagged, cautions


def verdict_of(blocks: bool, flagged: bool) -> str:
    return "blocked" if blocks else "caution" if flagged else "go"


def _status(route: Route, holders: tuple[str, str] | None, ctx: Context):
    if holders is None:
        return None, []
    passport, exit_passport = holders
    latest, decisive = statuses_on(route, passport, ctx.on, exit_passport)
    reasons = []
    if decisive is None:
        reasons.append(
            _Reason(
                text=f"No confirmed status for {passport} passports on this date: check first.",
                effect="caution",
                about="status",
            )
        )
    else:
        effect = {"open": "info", "restricted": "caution", "closed": "blocks"}[decisive.status]
        text = f"{decisive.status.capitalize()} since {decisive.dated_as()}"
        if decisive.note:
            text += f": {decisive.note}"
        bounded = decisive.until is not None
        reasons.append(
            _reason(text, effect, decisive, decisive.date, ctx, bounded=bounded, about="status")
        )
    if latest is not None and latest is not decisive:
        if latest.confidence in DECISIVE:  # roughly dated: within the period it names
            text = f"Reported for {latest.dated_as()} (the day is not known): {latest.status}."
            text += f" {latest.note}"
        else:
            text = f"Unverified report ({latest.date.isoformat()}): {latest.status}. {latest.note}"
        reasons.append(_reason(text.strip(), "caution", latest, latest.date, ctx, about="status"))
    return decisive, reasons


def _means(route: Route, ctx: Context) -> tuple[tuple[str, ...], list[Reason]]:
    record = modes_on(route, ctx.on, decisive_only=True)
    reported = modes_on(route, ctx.on)
    rumour = []
    if reported is not record:
        text = f"[{reported.confidence}] Reported: {', '.join(reported.modes)}. {reported.note}"
        rumour = [
            _reason(
                text.strip(), "caution", reported, reported.date, ctx, bounded=True, about="means"
            )
        ]
    allowed, reasons = _allowed(record, route, ctx)
    return allowed, reasons + rumour


def usable_modes(
    modes: tuple[str, ...], land: bool, has_car: bool
) -> tuple[tuple[str, ...], str | None]:
    """The modes this traveler can cross by, and what stands in the way: "unknown" (no
    source says how), "car only" (and no car), "no foot" (a land crossing without walkers:
    a seat is needed), "no car" (a land crossing a car may not take: leave it), or None.
    evaluate() words it; the array ranking counts it."""
    if not modes:
        return modes, "unknown"
    if has_car:
        # A land crossing without cars (walkers, buses only): the car stays on this side.
        return modes, "no car" if land and "car" not in modes else None
    usable = tuple(m for m in modes if m in NO_CAR_MODES)
    if not usable:
        return usable, "car only"
    return usable, "no foot" if land and "foot" not in usable else None


def _allowed(record: ModeRecord, route: Route, ctx: Context) -> tuple[tuple[str, ...], list]:
    usable, problem = usable_modes(record.modes, route.kind == "land", ctx.traveler.has_car)
    if problem is None:
        return usable, []
    effect = "blocks" if problem == "car only" else "caution"
    if problem == "unknown":
        text = "No source says how this route may be crossed (by car, bus or on foot)."
    elif problem == "car only":
        text = f"Only by {', '.join(record.modes)} here, and you have no car."
    elif problem == "no car":
        text = f"No cars cross here ({', '.join(record.modes)} only): leave the car on this side."
    else:
        text = (
            f"No crossing on foot here: without a car you need a seat on a {' or '.join(usable)}."
        )
    return usable, [_reason(text, effect, record, record.date, ctx, bounded=True, about="means")]


def distances(
    lats: np.ndarray,
    lons: np.ndarray,
    air: np.ndarray,
    location: Place | None,
    areas: Mapping[int, Area] | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """(km, hours) from `location` to each point, vectorised; NaN where either is unknown.
    Flights add the time to be at the airport before take-off. A point reachable by road
    only from its area (`areas`, by position) gets no hours from outside it: the road time
    there would cross another border."""
    km = np.full(len(lats), np.nan)
    hours = km.copy()
    known = ~np.isnan(lats)
    if location is None or location.lat is None or not known.any():
        return km, hours
    d = geo.geodesic_km(location.lat, location.lon, lats[known], lons[known])
    km[known] = np.round(d, 1)
    hours[known] = np.round(geo.travel_hours(d) + np.where(air[known], AIR_BUFFER_HOURS, 0.0), 1)
    for i, area in (areas or {}).items():
        if not area.holds(location.lat, location.lon):
            hours[i] = np.nan
    return km, hours


def reach_state(reach: Reach | None, location: Place | None) -> int:
    """0: reachable by road from `location` (or no limit); 1: not from there; 2: unknown
    (no place given). reach_reasons() words it; the ranking keys kept options by it."""
    if reach is None:
        return 0
    if location is None or location.lat is None or location.lon is None:
        return 2
    return 0 if reach.area.holds(location.lat, location.lon) else 1


def reach_reasons(route: Route, ctx: Context) -> list[Reason]:
    """A route reached by road only from its own area (an exclave, an island): from
    anywhere else, a caution that says how to get there."""
    state = reach_state(route.reach, ctx.location)
    if state == 0:
        return []
    reach = route.reach
    how = " or ".join(reach.by)
    if state == 1:
        text = (
            "Not reachable by road from where you are without crossing another border: "
            f"go by {how}. {reach.text}"
        )
    else:
        text = f"Reachable by road only from its own area; from elsewhere by {how}. {reach.text}"
    # Geography does not go stale the way a status does.
    effect = "caution" if state == 1 else "info"
    return [_reason(text, effect, reach, reach.as_of, ctx, bounded=True)]


def none_if_nan(x: float) -> float | None:
    return None if math.isnan(x) else float(x)


def arranged_reasons(route: Route, ctx: Context) -> list[Reason]:
    """A government-arranged departure boards only those it was arranged for."""
    arranged = route.arranged
    if arranged is None:
        return []
    basis = boards_as(arranged, ctx.traveler)
    who = ", ".join(arranged.eligible)
    also = [
        word
        for flag, word in (
            (arranged.residents, "permanent residents"),
            (arranged.family, "their close family"),
        )
        if flag
    ]
    whom = f"{who} citizens" + "".join(f" and {w}" for w in also)
    text = f"Arranged by the {country_name(arranged.government)} government for {whom}"
    text += f"; cost: {arranged.cost.rstrip('.')}. {arranged.text}"
    if basis is None:
        text = f"Not for you: {text}"
    elif basis != "citizen":
        text = f"For you as {BOARDS_AS[basis]}: {text}"
    effect = "info" if basis is not None else "blocks"
    reason = _reason(text, effect, arranged, arranged.as_of, ctx, bounded=True, about="arranged")
    # Boarding as a resident or as family says something personal: not on an anonymous paper.
    return [_personal(reason, basis in ("resident", "family"))]


BOARDS_AS = {
    "citizen": "a citizen",
    "resident": "a permanent resident",
    "family": "close family of a citizen",
}


def boards_as(arranged, traveler: Traveler) -> str | None:
    """On what ground the traveler may board an arranged departure: "citizen", "resident"
    (of the government's country, when it takes its permanent residents), "family"
    (travelling with a citizen it takes, when it takes their close family), or None."""
    if any(c in arranged.eligible for c in traveler.citizenships):
        return "citizen"
    if arranged.residents and arranged.government in traveler.residences:
        return "resident"
    if arranged.family and any(c in arranged.eligible for c in traveler.family_of):
        return "family"
    return None


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
    at = border(route.to_country, route.kind, ctx, {} if memo is None else memo)
    chosen, exit_passport = at.chosen, at.exit_passport
    record, status_reasons = _status(route, at.holders, ctx)
    modes, mode_reasons = _means(route, ctx)
    reasons = [
        *applicable(exit_reasons, route.kind),
        *at.exit_reasons,
        *status_reasons,
        *at.entry_reasons,
        *mode_reasons,
        *arranged_reasons(route, ctx),
        *reach_reasons(route, ctx),
    ]
    citizenships = ctx.traveler.citizenships
    for note in route.notes:
        if note.as_of <= ctx.on and any(applies_to(note.applies_to, c) for c in citizenships):
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
                about="wait",
            )
        )
    if distance is None:
        point = map_point(route)
        lat, lon = (np.nan, np.nan) if point.lat is None else (point.lat, point.lon)
        km, h = distances(
            np.array([lat]),
            np.array([lon]),
            np.array([route.kind == "air"]),
            ctx.location,
            {} if route.reach is None else {0: route.reach.area},
        )
        distance = (none_if_nan(km[0]), none_if_nan(h[0]))
    distance, hours = distance
    # An equal reason elsewhere in the list has the same `stale`, so identity is enough.
    status_ids = {id(r) for r in status_reasons}
    verdict = verdict_of(*weigh(reasons)[:2])
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
        start=route.departure.name,
        approximate=point.precision == "approximate",
        modes=modes,
        carriers=route.carriers,
        destinations=route.destinations,
        reasons=tuple(reasons),
        # Old background notes are expected; an old status or warning is what to re-check.
        stale=any(r.stale for r in reasons if r.effect != "info" or id(r) in status_ids),
        added_by_user=route.added_by_user,
        unsourced=route.unsourced,
    )


def applicable(exit_reasons: Iterable[tuple[tuple[str, ...], Reason]], kind: str) -> list[Reason]:
    """The exit restrictions (from exit_restriction_reasons) that cover routes of `kind`."""
    return [r for kinds, r in exit_reasons if not kinds or kind in kinds]


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
        personal = is_personal(rule.when)
        if met:
            text = f"{label}{rule.text} You appear exempt: {met[0].text}"
            reason = _reason(text, "caution", met[0], met[0].as_of, ctx, about="exit_rule")
            reasons.append((rule.kinds, _personal(reason, personal or is_personal(met[0].when))))
            continue
        # A rule known only to the month or year does not block before that period is over.
        rough = ctx.on < rule.decides_from
        effect = "blocks" if rule.effect == "banned" and not rough else "caution"
        text = label + rule.text
        if rough:
            text += f" (Reported for {rule.dated_as()}: the day it began is not known.)"
        if exemptions:
            text += " Exemptions: " + _listing(exemptions)
        if later:
            first = min(x.as_of for x in later).isoformat()
            text += f" Exemptions first documented on {first} (not confirmed for this date): "
            text += _listing(later)
        reason = _reason(text, effect, rule, rule.date, ctx, bounded=True, about="exit_rule")
        reasons.append((rule.kinds, _personal(reason, personal)))
    return reasons


def _personal(reason: Reason, personal: bool) -> Reason:
    return reason.model_copy(update={"personal": True}) if personal else reason
