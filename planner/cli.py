"""`python -m planner ...`: the plan without the web UI, over the same core.

Every PlannerError becomes one line on stderr and exit status 2 (as argparse does for usage
errors), so all bad input reads alike and no traceback reaches the user.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from collections.abc import Sequence
from pathlib import Path

from planner import geo
from planner.advisories import command as advisories_command
from planner.advisories.fetch import get_advisories
from planner.catalog import get_catalog
from planner.changes import DEFAULT_DAYS, changes
from planner.errors import PlannerError
from planner.export import command as export_command
from planner.models import MILITARY_STATUSES, Traveler
from planner.plaintext import changes_json, format_changes, format_plan, plan_json, terminal_safe
from planner.plan import build_plan, check_country, check_date, check_traveler
from planner.traveler import make_traveler, parse_date


def _add_plan(subparsers) -> argparse.ArgumentParser:
    p = subparsers.add_parser("plan", help="build a departure plan for one traveler")
    _add_traveler(p, near_required=True)
    p.add_argument("--date", help="plan date YYYY-MM-DD (default: today)")
    p.add_argument("--json", action="store_true", help="print the whole plan as JSON")
    p.add_argument(
        "--full",
        action="store_true",
        help="print the whole plan (default: the best routes, what to do now, where the rest is)",
    )
    p.add_argument("--offline", action="store_true", help="use no network at all")
    p.add_argument(
        "--online-geocode",
        action="store_true",
        help="opt in: send the --near text (only that) to OpenStreetMap Nominatim if not found",
    )
    p.set_defaults(func=run_plan)
    return p


def _add_traveler(p: argparse.ArgumentParser, *, near_required: bool) -> None:
    """The departure country and who travels: the same flags for every command about one
    traveler, read by _traveler."""
    p.add_argument("--from", dest="departure", required=True, help="country to leave (ISO2)")
    p.add_argument(
        "--near", required=near_required, help="where you are: a city name in any script"
    )
    p.add_argument(
        "--citizenship", action="append", required=True, help="ISO2 code; repeat for several"
    )
    p.add_argument(
        "--passport",
        action="append",
        help="valid passports you hold (ISO2; repeat); default: one per citizenship",
    )
    p.add_argument("--visa", action="append", default=[], help="visa/permit held for (ISO2)")
    p.add_argument(
        "--resident-of",
        action="append",
        default=[],
        help="permanent resident of (ISO2; repeat): some evacuation flights take residents",
    )
    p.add_argument(
        "--family-of",
        action="append",
        default=[],
        help="travelling with a spouse, child or parent who is a citizen of (ISO2; repeat)",
    )
    p.add_argument("--sex", choices=["male", "female"])
    p.add_argument("--age", type=int)
    p.add_argument("--military-status", default="none", help=", ".join(MILITARY_STATUSES))
    p.add_argument("--no-car", action="store_true", help="you have no car")
    p.add_argument("--children", type=int, default=0, help="children travelling with you")
    p.add_argument("--pets", action="store_true")
    p.add_argument(
        "--children-under-18", type=int, default=0, help="all your children under 18 (exemptions)"
    )
    p.add_argument("--disability", action="store_true", help="you have a disability")
    p.add_argument("--carer", action="store_true", help="you care for a person in need")
    p.add_argument(
        "--circumstance",
        action="append",
        default=[],
        help="a circumstance the country's rules name (see `python -m planner circumstances CC`)",
    )


def _traveler(args: argparse.Namespace) -> Traveler:
    return make_traveler(
        citizenships=tuple(c.upper() for c in args.citizenship),
        passports=tuple(p.upper() for p in args.passport) if args.passport else None,
        visas=tuple(v.upper() for v in args.visa),
        residences=tuple(c.upper() for c in args.resident_of),
        family_of=tuple(c.upper() for c in args.family_of),
        sex=args.sex,
        age=args.age,
        military_status=args.military_status,
        has_car=not args.no_car,
        children=args.children,
        pets=args.pets,
        children_under_18=args.children_under_18,
        disability=args.disability,
        carer=args.carer,
        circumstances=tuple(args.circumstance),
        near=args.near or "",
    )


def _locate(near: str, departure: str, online: bool) -> geo.Match:
    try:
        return geo.locate(near, country=departure)
    except PlannerError:
        if not online:
            raise
        return geo.Match(place=geo.geocode_online(near), query=near)


def run_plan(args: argparse.Namespace) -> int:
    departure = check_country(args.departure)
    as_of = parse_date(args.date) if args.date else dt.date.today()
    check_date(as_of, get_catalog(), departure, dt.date.today())
    traveler = _traveler(args)
    match = _locate(args.near, departure, args.online_geocode and not args.offline)
    if match.part:  # on stderr, not in the plan: a PDF without personal details omits places
        print(f"note: {terminal_safe(match.note())}", file=sys.stderr)
    plan = build_plan(
        traveler, as_of, departure, location=match.place, **_advisories(args, departure)
    )
    if args.json:
        print(plan_json(plan))
    else:
        print(format_plan(plan, full=args.full))
    export_command.after_plan(plan, args)
    return 0


def _advisories(args: argparse.Namespace, departure: str) -> dict:
    """Advisories for the plan: live unless --offline, always with the snapshot behind."""
    return get_advisories(departure, offline=args.offline).plan_kwargs()


def _add_changes(subparsers) -> None:
    p = subparsers.add_parser(
        "changes", help="what changed for one traveler between two dates, each with its source"
    )
    _add_traveler(p, near_required=False)
    p.add_argument(
        "--since",
        help=f"changes after this date, YYYY-MM-DD (default: {DEFAULT_DAYS} days before --date)",
    )
    p.add_argument("--date", help="up to and including this date, YYYY-MM-DD (default: today)")
    p.add_argument("--json", action="store_true", help="print the changes as a JSON list")
    p.set_defaults(func=run_changes)


def run_changes(args: argparse.Namespace) -> int:
    departure = check_country(args.departure)
    until = parse_date(args.date) if args.date else dt.date.today()
    since = parse_date(args.since) if args.since else until - dt.timedelta(days=DEFAULT_DAYS)
    traveler = _traveler(args)
    catalog = get_catalog()
    check_traveler(traveler, catalog, departure)
    found = changes(traveler, departure, since, until, catalog=catalog)
    if args.json:
        print(changes_json(found))
    else:
        name = catalog.country(departure).name if catalog.country(departure) else departure
        print(format_changes(found, since, until, name))
    return 0


def _add_circumstances(subparsers) -> None:
    p = subparsers.add_parser(
        "circumstances", help="list the circumstances a country's rules ask about"
    )
    p.add_argument("country", help="departure country (ISO2)")
    p.set_defaults(func=run_circumstances)


def run_circumstances(args: argparse.Namespace) -> int:
    country = get_catalog().country(check_country(args.country))
    items = country.circumstances if country else ()
    if not items:
        print(f"no circumstances are declared for {args.country.upper()}")
    for item in items:
        print(f"{item.id:<28} {item.label}")
    return 0


def _add_data(subparsers) -> None:
    p = subparsers.add_parser("data", help="maintainers: check the data files")
    sub = p.add_subparsers(dest="data_command", required=True)
    check = sub.add_parser("check", help="validate every data file")
    check.add_argument("--data", help="data directory (default: the bundled one)")
    check.add_argument("--today", help="judge staleness as of YYYY-MM-DD (default: today)")
    check.set_defaults(func=run_data_check)


def run_data_check(args: argparse.Namespace) -> int:
    from planner import datacheck  # loads the border outlines: maintainers only

    today = parse_date(args.today) if args.today else None
    return datacheck.run(Path(args.data) if args.data else None, today=today)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m planner", description="Departure Planner: leave a country safely, fast."
    )
    subparsers = parser.add_subparsers(dest="command", required=True)
    plan_parser = _add_plan(subparsers)
    export_command.add_plan_options(plan_parser)
    advisories_command.register(subparsers)
    export_command.register(subparsers)
    _add_changes(subparsers)
    _add_circumstances(subparsers)
    _add_data(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return args.func(args)
    except PlannerError as exc:
        print(f"error: {terminal_safe(str(exc))}", file=sys.stderr)
        return 2
