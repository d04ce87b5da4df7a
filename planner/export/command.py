"""CLI glue for the exports, for planner/cli.py to wire in.

    add_plan_options(plan_parser)   # --pdf FILE --paper {a4,letter} --no-personal --save FILE
    after_plan(plan, args)          # after `plan` has built a Plan: writes those files
    register(subparsers)            # `pdf PLANFILE -o FILE [--paper] [--no-personal]`

File problems become InputError, which the CLI maps to `error: ...` and exit code 2.
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from pathlib import Path

from planner.errors import InputError
from planner.export.papers import PAPERS
from planner.export.planfile import MAX_BYTES, dump_planfile, load_planfile
from planner.models import Plan, Route


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
    user_routes: Sequence[Route] = (),
) -> list[Path]:
    """Write the files the `plan` options asked for; returns the paths written."""
    written = []
    if args.pdf is not None:
        from planner.export.pdf import render_pdf  # fpdf is slow to import: only when asked

        pdf = render_pdf(
            plan,
            paper=args.paper,
            personal=args.personal,
            ticked=ticked,
            user_routes=user_routes,
        )
        written.append(_write(args.pdf, pdf))
    if args.save is not None:
        data = dump_planfile(plan, ticked=ticked, user_routes=list(user_routes))
        written.append(_write(args.save, data))
    return written


def register(subparsers: argparse._SubParsersAction) -> argparse.ArgumentParser:
    """Add `pdf PLANFILE -o FILE`: print a saved plan file; sets `func` to `run_pdf`."""
    parser = subparsers.add_parser(
        "pdf",
        help="print a saved plan file as a PDF",
        description="Print a plan file saved with `plan --save` as a PDF.",
    )
    parser.add_argument("planfile", metavar="PLANFILE", type=Path, help="a saved plan file")
    parser.add_argument(
        "-o", "--output", metavar="FILE", type=Path, required=True, help="the PDF to write"
    )
    _print_options(parser)
    parser.set_defaults(func=run_pdf)
    return parser


def run_pdf(args: argparse.Namespace) -> int:
    """The `pdf` sub-command: load the plan file, render it, write the PDF; returns 0."""
    from planner.export.pdf import render_pdf  # fpdf is slow to import: only when asked

    saved = load_planfile(_read(args.planfile))
    pdf = render_pdf(
        saved.plan,
        paper=args.paper,
        personal=args.personal,
        ticked=saved.ticked,
        user_routes=saved.user_routes,
    )
    _write(args.output, pdf)
    return 0


def _print_options(parser: argparse.ArgumentParser | argparse._ArgumentGroup) -> None:
    parser.add_argument(
        "--paper", choices=sorted(PAPERS), default="a4", help="paper size (default: a4)"
    )
    parser.add_argument(
        "--no-personal",
        dest="personal",
        action="store_false",
        help="leave age, sex, military status, citizenships and location off the PDF",
    )


def _read(path: Path) -> bytes:
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
