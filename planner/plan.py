"""build_plan: the one entry to the core. Traveler + date -> Plan, from data on disk only.

Advisories are passed in (fetched or from the snapshot by the caller), so building a plan
never touches the network by itself.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from planner import collector, geo
from planner.advisories import government
from planner.advisories.history import advice_on
from planner.advisories.report import AdvisoryReport
from planner.alerts import alerts_on
from planner.catalog import Catalog, get_catalog
from planner.changes import recent_changes
from planner.checklist import build_checklist
from planner.checks import check_country, check_date
from planner.danger import Lookup, dangers
from planner.errors import InputError
from planner.grouping import shared_groups
from planner.messages import t
from planner.models import (
    Advisory,
    AdvisoryHeadline,
    Contact,
    Place,
    Plan,
    SourceRef,
    Traveler,
    UserRoute,
)
from planner.positions import positioned
from planner.ranking import plan_routes
from planner.records import WAIT_RECENT_DAYS
from planner.risks import risk_notes
from planner.routes import (
    AIR_BUFFER_HOURS,
    STATUS_STALE_DAYS,
    Context,
    country_name,
)
from planner.traveler import check_states
from planner.user_routes import check_user_routes, to_route
from planner.user_routes import order as place_user_routes


def method_note() -> str:
    return (
        f"Distances are straight-line (geodesic) x {geo.ROAD_FACTOR:g} for roads, "
        f"driven at {geo.ROAD_SPEED_KMH:g} km/h; flights add {AIR_BUFFER_HOURS:g} h at the "
        f"airport. Waits count reports from the last {WAIT_RECENT_DAYS} days. A route status "
        f"older than {STATUS_STALE_DAYS} days with no known end is marked stale."
    )


def ordering_note(options) -> str:
    """How the routes were put in order, as the plan says it (ranking.rank_routes)."""
    note = t("plan.ordering")
    if any(o.hours is None for o in options if o.verdict != "blocked"):
        note += " " + t("plan.ordering.unknown_time")
    return note


def check_traveler(traveler: Traveler, catalog: Catalog, departure: str) -> None:
    """What the Traveler model cannot check alone: its states must issue passports (the
    visa data's), circumstances must be the departure country's own (declared in its data)."""
    check_states(traveler)
    country = catalog.country(departure)
    declared = {c.id for c in country.circumstances} if country else set()
    unknown = [c for c in traveler.circumstances if c not in declared]
    if unknown:
        valid = ", ".join(sorted(declared)) or "none for this country"
        raise InputError(f"unknown circumstance {unknown[0][:60]!r}: use one of {valid}")


def _contacts(catalog: Catalog, traveler: Traveler, departure: str, on: dt.date) -> list[Contact]:
    """Embassies for the traveler's citizenships, with the limits known on the plan date,
    then the country's emergency numbers. A contact itself is kept whatever its date: a
    number confirmed later was most likely the number then too."""
    contacts = [
        Contact(
            label=e.label,
            phone=e.phone,
            email=e.email,
            url=e.url,
            address=e.address,
            as_of=e.as_of,
            source_url=e.source_url,
            more_sources=e.more_sources,
            confidence=e.confidence,
            notes=tuple(n for n in (*e.notes, *e.limits) if n.as_of <= on),
        )
        for e in catalog.embassies
        if e.country == departure and e.citizenship in traveler.citizenships
    ]
    country = catalog.country(departure)
    if country is not None:
        contacts.extend(country.emergency_numbers)
    return contacts


def _sources(plan_parts: Iterable[tuple[str | None, dt.date | None]]) -> list[SourceRef]:
    newest: dict[str, dt.date | None] = {}
    for url, as_of in plan_parts:
        if not url:
            continue
        if url not in newest or (as_of and (newest[url] is None or as_of > newest[url])):
            newest[url] = as_of
    return [SourceRef(url=u, as_of=d) for u, d in sorted(newest.items())]


@collector.paused()  # thousands of new objects and no cycles: see planner/collector.py
def build_plan(
    traveler: Traveler,
    as_of: dt.date,
    departure: str,
    *,
    location: Place | None = None,
    catalog: Catalog | None = None,
    advisories: Iterable[Advisory] = (),
    headline: AdvisoryHeadline | None = None,
    notices: Iterable[str] = (),
    advisory_report: AdvisoryReport | None = None,
    user_routes: Iterable[UserRoute] = (),
    rank_user_routes: bool = False,
    destination_advice: Lookup | None = advice_on,
    now: dt.datetime | None = None,
) -> Plan:
    """The whole plan for `traveler` leaving `departure` on `as_of`.

    `user_routes` are the traveler's own reports: ranked after the curated routes unless
    `rank_user_routes`, and never before a sourced route when they have no source.
    `destination_advice` looks up a government's advice for a country on a date (danger at
    each route's destination, planner/danger.py): the bundled advisory history by default;
    None: no destination is judged.
    `advisory_report` (AdvisoryReport.plan_kwargs) is judged for `as_of`: the advice known on
    that date, the headline over the rows in force, and notes on what is newer or missing;
    it takes the place of `advisories`, `headline` and the advice part of `notices`."""
    catalog = catalog or get_catalog()
    now = now or dt.datetime.now(dt.UTC)
    departure = check_country(departure)
    check_date(as_of, catalog, departure, now.date())
    check_traveler(traveler, catalog, departure)
    country = catalog.country(departure)
    curated = positioned(catalog.routes_from(departure), departure)
    own = list(user_routes)
    destinations = {r.to_country for r in curated} | {r.to_country for r in own}
    ctx = Context(
        traveler=traveler,
        on=as_of,
        country=country,
        departure=departure,
        location=location,
        overrides=catalog.overrides,
        dangers=(
            dangers(traveler.citizenships, destinations, as_of, destination_advice)
            if destination_advice is not None
            else {}
        ),
    )
    check_user_routes(own, (r.id for r in curated))
    options = plan_routes([*curated, *map(to_route, own)], ctx)
    if own:
        options = place_user_routes(options, rank_with_rest=rank_user_routes)
    risks = risk_notes(country, traveler, as_of)
    alerts = alerts_on(country, as_of)
    changes = recent_changes(traveler, departure, as_of, catalog)
    checklist = build_checklist(catalog.checklist, traveler, departure, as_of, options)
    contacts = _contacts(catalog, traveler, departure, as_of)
    all_notices = list(notices)
    if own:
        all_notices.append(t("plan.user_routes_ranked" if rank_user_routes else "plan.user_routes"))
    if country is not None and country.historical:
        all_notices.append(t("plan.historical", country=country.name, text=country.historical))
    with_data = tuple(sorted(code for code, rs in catalog.routes.items() if rs))
    if not catalog.routes_from(departure):
        all_notices.append(
            f"No route data for {country_name(departure)} yet; route data exists for: "
            f"{', '.join(catalog.countries[c].name for c in with_data)}. "
            "The general checklist still applies."
        )
    refs = [(r.source_url, r.as_of) for o in options for r in o.reasons]
    refs += [(n.source_url, n.as_of) for n in risks]
    refs += [(a.source_url, a.as_of) for a in alerts]
    refs += [(c.source_url, c.date) for c in changes]
    refs += [(i.source_url, i.as_of) for i in checklist]
    refs += [(c.source_url, c.as_of) for c in contacts]
    refs += [(n.source_url, n.as_of) for c in contacts for n in c.notes]
    advisories = tuple(advisories)
    if advisory_report is not None:
        dated = advisory_report.for_date(as_of)
        advisories, headline = dated.advisories, dated.headline()
        all_notices[:0] = dated.notices()
    elif any(a.updated and a.updated.date() > as_of for a in advisories):
        # Rows passed without their report cannot be judged for the date: say which are newer.
        newer = ", ".join(
            f"{government(a.source)} ({a.updated.date().isoformat()})"
            for a in advisories
            if a.updated and a.updated.date() > as_of
        )
        all_notices.append(
            f"Advice dated after your plan date is shown for reference only, not what it said "
            f"on {as_of.isoformat()}: {newer}."
        )
    refs += [(a.url, a.updated.date() if a.updated else None) for a in advisories]
    return Plan(
        as_of=as_of,
        generated=now,
        departure_country=departure,
        departure_country_name=country.name if country else country_name(departure),
        has_route_data=bool(catalog.routes_from(departure)),
        countries_with_data=with_data,
        traveler=traveler,
        location=location,
        routes=tuple(options),
        risks=tuple(risks),
        checklist=tuple(checklist),
        contacts=tuple(contacts),
        alerts=tuple(alerts),
        changes=tuple(changes),
        advisories=advisories,
        headline=headline,
        notices=tuple(all_notices),
        method=method_note(),
        ordering=ordering_note(options),
        shared=shared_groups(options, country.name if country else country_name(departure)),
        sources=tuple(_sources(refs)),
    )
