"""CLI glue for the exports, for planner/cli.py to wire in.

    add_plan_options(plan_parser)   # --pdf FILE --paper {a4,letter} --no-personal
                                    # --checklist-only --save FILE
    after_plan(plan, args)          # after `plan` has built a Plan: writes those files
    register(subparsers)            # `pdf PLANFILE -o FILE [--paper] [--no-personal]
                                    #  [--checklist-only] [--full] [--star ROUTE_ID ...]`,
                                    # `open PLANFILE [--json]`

A saved plan file holds inputs, never a plan to trust: `pdf` and `open` build the plan again
from the bundled data and the offline advisory snapshot (`replan`). File problems become
InputError, which the CLI maps to `error: ...` and exit code 2.
"""

from __future__ import annotations

import argparse
import datetime as dt
from collections.abc import Sequence
from pathlib import Path

from planner.catalog import get_catalog
from planner.errors import InputError
from planner.export.papers import PAPERS
from planner.export.planfile import MAX_BYTES, PlanFile, dump_planfile, load_planfile
from planner.models import Plan, UserRoute


def add_plan_options(parser: argparse.ArgumentParser) -> None:
    """Add the export options to the `plan` sub-command."""
    group = parser.add_argument_group("export")
    group.add_argument("--pdf", metavar="FILE", type=Path, help="also write the plan as a PDF")
    _print_options(group)
    group.add_argument(
        "--save", metavar="FILE", type=Path, help="also save a plan file to reopen or print later"
    )


def after_plan(
    plan: Plan,
    args: argparse.Namespace,
    *,
    ticked: frozenset[str] = frozenset(),
    user_routes: Sequence[UserRoute] = (),
    rank_user_routes: bool = False,
) -> list[Path]:
    """Write the files the `plan` options asked for; returns the paths written."""
    written = []
    if args.pdf is not None:
        written.append(_write(args.pdf, _render(plan, args, ticked)))
    if args.save is not None:
        data = dump_planfile(
            plan, ticked=ticked, user_routes=user_routes, rank_user_routes=rank_user_routes
        )
        written.append(_write(args.save, data))
    return written


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add `pdf PLANFILE -o FILE` and `open PLANFILE`; each sets `func`."""
    parser = subparsers.add_parser(
        "pdf",
        help="print a saved plan file as a PDF",
        description=(
            "Print a plan file saved with `plan --save` (or the page) as a PDF. The plan is "
            "built again from the bundled data and the offline advisory snapshot."
        ),
    )
    parser.add_argument("planfile", metavar="PLANFILE", type=Path, help="a saved plan file")
    parser.add_argument(
        "-o", "--output", metavar="FILE", type=Path, required=True, help="the PDF to write"
    )
    _print_options(parser)
    parser.add_argument(
        "--full",
        action="store_true",
        help="details for every route (default: the best 5, and any you added or starred)",
    )
    parser.add_argument(
        "--star",
        metavar="ROUTE_ID",
        action="append",
        default=[],
        help="details for this route too, besides those starred in the file; repeat for "
        "several (route ids: `open PLANFILE --json`)",
    )
    parser.set_defaults(func=run_pdf)
    opener = subparsers.add_parser(
        "open",
        help="show the plan of a saved plan file",
        description=(
            "Build the plan of a saved plan file again from the bundled data and the offline "
            "advisory snapshot, and print it (routes from the file are marked 'added by you')."
        ),
    )
    opener.add_argument("planfile", metavar="PLANFILE", type=Path, help="a saved plan file")
    opener.add_argument("--json", action="store_true", help="print the whole plan as JSON")
    opener.add_argument(
        "--full", action="store_true", help="print the whole plan, not the short one"
    )
    opener.set_defaults(func=run_open)


def replan(saved: PlanFile, *, now: dt.datetime | None = None) -> Plan:
    """The plan of a loaded plan file, built again from the bundled data, offline."""
    from planner.advisories.fetch import get_advisories
    from planner.plan import build_plan

    inputs = saved.inputs
    return build_plan(
        inputs.traveler,
        inputs.as_of,
        inputs.departure,
        location=inputs.location,
        user_routes=saved.user_routes,
        rank_user_routes=inputs.rank_user_routes,
        now=now,
        **get_advisories(inputs.departure, offline=True).plan_kwargs(),
    )


def read_planfile(path: Path) -> PlanFile:
    return load_planfile(_read(path), get_catalog())


def run_pdf(args: argparse.Namespace) -> int:
    """The `pdf` sub-command: load the plan file, plan again, write the PDF; returns 0."""
    if args.checklist_only and (args.full or args.star):
        raise InputError("--full and --star choose route details; --checklist-only prints none")
    saved = read_planfile(args.planfile)
    plan = replan(saved)
    starred = saved.starred | check_stars(args.star, plan)
    _write(args.output, _render(plan, args, saved.ticked, starred=starred, full=args.full))
    return 0


def check_stars(ids: Sequence[str], plan: Plan) -> frozenset[str]:
    """The --star ids, or InputError naming the first that is not one of the plan's routes
    (a typo must not quietly print a PDF without the route the person asked for)."""
    known = {option.id for option in plan.routes}
    for route_id in ids:
        if route_id not in known:
            raise InputError(
                f"--star {route_id[:100]!r}: this plan has no route with that id "
                "(`open PLANFILE --json` lists them)"
            )
    return frozenset(ids)


def _render(
    plan: Plan,
    args: argparse.Namespace,
    ticked: frozenset[str],
    *,
    starred: frozenset[str] = frozenset(),
    full: bool = False,
) -> bytes:
    """The whole plan (details for the best routes, the `starred` ones, or `full`: all), or
    with --checklist-only the one- or two-page checklist."""
    # fpdf is slow to import: only when asked
    from planner.export.pdf import render_checklist_pdf, render_pdf

    common = {"paper": args.paper, "personal": args.personal, "ticked": ticked}
    if args.checklist_only:
        return render_checklist_pdf(plan, **common)
    return render_pdf(plan, starred=starred, full=full, **common)


def run_open(args: argparse.Namespace) -> int:
    """The `open` sub-command: load the plan file, plan again, print it; returns 0."""
    from planner.plaintext import format_plan, plan_json

    plan = replan(read_planfile(args.planfile))
    print(plan_json(plan) if args.json else format_plan(plan, full=args.full))
    return 0


def _print_options(parser: argparse.ArgumentParser | argparse._ArgumentGroup) -> None:
    parser.add_argument(
        "--paper", choices=sorted(PAPERS), default="a4", help="paper size (default: a4)"
    )
    parser.add_argument(
        "--no-personal",
        dest="personal",
        action="store_false",
        help="leave age, sex, military status, health, family, citizenships and location "
        "off the PDF",
    )
    parser.add_argument(
        "--checklist-only",
        action="store_true",
        help="print only the checklist (1-2 pages: tick boxes, the plan's date and country, "
        "the best 3 routes, emergency numbers) for the fridge door and the pocket",
    )


def _read(path: Path) -> bytes:
    if path.exists() and not path.is_file():  # a folder, a device, a pipe nobody writes to
        raise InputError(f"Cannot read the plan file {path}: it is not a regular file.")
    try:
        with path.open("rb") as f:
            # One byte over the limit is enough for load_planfile to reject it.
            return f.read(MAX_BYTES + 1)
    except OSError as exc:
        raise InputError(f"Cannot read the plan file {path}: {exc.strerror}.") from None


def _write(path: Path, data: bytes) -> Path:
    try:
        path.write_bytes(data)
    except OSError as exc:
        raise InputError(f"Cannot write {path}: {exc.strerror}.") from None
    return path
