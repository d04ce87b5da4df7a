"""The `advisories` CLI sub-command: look up a country, parse a saved payload, refresh.

    python -m planner advisories COUNTRY [--offline] [--json] [--budget S] [--date YYYY-MM-DD]
    python -m planner advisories parse SOURCE FILE [--json]
    python -m planner advisories refresh

`register(subparsers)` adds it to the main parser; every PlannerError becomes one line
`error: ...` on stderr and exit status 2 (as argparse does for usage errors). `parse` reads at
most the feed size cap + 1 byte, so /dev/zero or a huge file is refused at once; a pipe is
read until its writer closes it, as `cat` would (a FIFO nobody has open for writing reads as
empty rather than blocking). `--budget` must be finite and above 0; above MAX_BUDGET it is
capped, since no feed needs more. `--date` judges the advice for that plan date: per source
the advice known on it (in force or not) and newer advice marked as after it.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import math
import os
import stat
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from planner.advisories import SOURCES, source
from planner.advisories.countries import normalize_country
from planner.advisories.fetch import DEFAULT_BUDGET, MAX_BUDGET, MAX_BYTES, get_advisories
from planner.advisories.refresh import refresh
from planner.advisories.report import AdvisoryReport
from planner.errors import InputError, PlannerError
from planner.models import Advisory
from planner.plaintext import json_safe, terminal_safe

USAGE = (
    "%(prog)s COUNTRY [--offline] [--json] [--date YYYY-MM-DD] | %(prog)s parse SOURCE FILE "
    "[--json] | %(prog)s refresh"
)


def register(subparsers: Any) -> argparse.ArgumentParser:
    """Add the `advisories` sub-command to an argparse subparsers object."""
    parser = subparsers.add_parser(
        "advisories",
        help="official travel advisories for a country (US, UK, Canada, Germany, Australia)",
        description=(
            "Show each government's travel advisory for COUNTRY (ISO code or English name), "
            "live when the feeds answer within the budget, else from the bundled snapshot. "
            "'parse SOURCE FILE' reads a saved payload; 'refresh' re-downloads the snapshot. "
            f"Sources: {', '.join(SOURCES)}."
        ),
        usage=USAGE,
    )
    parser.add_argument("target", metavar="COUNTRY|parse|refresh")
    parser.add_argument("rest", nargs="*", metavar="ARG", help="parse: SOURCE FILE")
    parser.add_argument("--offline", action="store_true", help="open no connection; snapshot only")
    parser.add_argument("--json", action="store_true", help="print JSON instead of a table")
    parser.add_argument(
        "--budget",
        type=float,
        default=DEFAULT_BUDGET,
        help=f"total seconds to wait for all feeds (default {DEFAULT_BUDGET:g}, at most "
        f"{MAX_BUDGET:g})",
    )
    parser.add_argument(
        "--date",
        type=_date,
        default=None,
        help="judge the advice for this plan date: what was known and in force then",
    )
    parser.set_defaults(func=run)
    return parser


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date like 2022-09-28") from None


def run(args: argparse.Namespace) -> int:
    """Handle `advisories ...`; returns the exit status."""
    try:
        if args.target == "parse":
            return _parse(args)
        if args.target == "refresh":
            if args.rest:
                raise InputError("refresh takes no arguments")
            written = refresh()
            print(f"refreshed {len(written)} snapshot file(s)")
            return 0
        if args.rest:
            raise InputError(f"unexpected arguments: {' '.join(args.rest)}")
        if not (math.isfinite(args.budget) and args.budget > 0):
            raise InputError(
                f"--budget must be a finite number of seconds above 0, not {args.budget:g}"
            )
        report = get_advisories(
            normalize_country(args.target),
            offline=args.offline,
            budget=args.budget,
            on=getattr(args, "date", None),
        )
        text = _report_json(report) if args.json else _report_table(report)
        print(json_safe(text) if args.json else terminal_safe(text, lines=True))
        return 0
    except PlannerError as exc:
        print(f"error: {terminal_safe(_one_line(str(exc)))}", file=sys.stderr)
        return 2


def main(argv: Sequence[str] | None = None) -> int:
    """Standalone entry point (python -m planner.advisories ...)."""
    parser = argparse.ArgumentParser(prog="python -m planner")
    register(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(argv)
    return int(args.func(args))


def _parse(args: argparse.Namespace) -> int:
    if len(args.rest) != 2:
        raise InputError("usage: advisories parse SOURCE FILE")
    source_id, file = args.rest
    try:
        module = source(source_id)
    except LookupError as exc:
        raise InputError(str(exc).strip("'\"")) from None
    advisories = module.parse(_read_payload(Path(file)))
    if args.json:
        print(
            json_safe(
                json.dumps([_advisory_dict(a) for a in advisories], ensure_ascii=False, indent=2)
            )
        )
    else:
        for a in advisories:
            row = _row(a.country, a.level, a.label, a.updated.date() if a.updated else None)
            print(terminal_safe(row))
        print(f"{len(advisories)} advisories from {source_id}")
    return 0


def _read_payload(path: Path, limit: int = MAX_BYTES) -> bytes:
    """At most `limit` bytes of `path`; InputError for a folder, a missing file or more."""
    try:
        # O_NONBLOCK: opening a FIFO with no writer would otherwise wait forever
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
    except OSError as exc:
        raise InputError(f"cannot read {path}: {exc.strerror}") from None
    info = os.fstat(fd)
    if stat.S_ISDIR(info.st_mode):
        os.close(fd)
        raise InputError(f"cannot read {path}: Is a directory")
    with os.fdopen(fd, "rb") as file:
        if stat.S_ISREG(info.st_mode) and info.st_size > limit:
            raise InputError(f"{path} has {info.st_size} bytes, over the {limit}-byte feed cap")
        os.set_blocking(fd, True)  # a pipe with a writer: wait for its data, as cat would
        try:
            payload = file.read(limit + 1)
        except OSError as exc:
            raise InputError(f"cannot read {path}: {exc.strerror}") from None
    if len(payload) > limit:
        raise InputError(f"{path} is over the {limit}-byte feed cap")
    return payload


def _advisory_dict(a: Advisory) -> dict[str, Any]:
    return a.model_dump(mode="json")


def _report_json(report: AdvisoryReport) -> str:
    rows = []
    for status in report.sources:
        for advisory in _rows(report, status.id):
            row: dict[str, Any] = {
                "source": status.id,
                "name": status.name,
                "country": report.country,
                "level": None,
                "label": "",
                "updated": None,
                "url": None,
                "origin": status.origin,
                "fetched": None,
                "summary": "",
                "regional_notes": [],
                "in_force": None,
                "after_plan_date": False,
            }
            if advisory is not None:
                row.update(_advisory_dict(advisory))
            row["plan_date"] = report.on.isoformat() if report.on else None
            row["snapshot_date"] = (
                status.snapshot_date.isoformat() if status.snapshot_date else None
            )
            row["error"] = status.error
            row["note"] = status.note
            rows.append(row)
    return json.dumps(rows, ensure_ascii=False, indent=2)


def _report_table(report: AdvisoryReport) -> str:
    lines = [_row("SOURCE", "LEVEL", "LABEL", "UPDATED", "FROM")]
    for status in report.sources:
        found = _rows(report, status.id)
        for a in found:
            origin = status.origin
            if a is not None and a.origin in ("history", "curated"):
                origin = a.origin
            elif a is not None and a.origin == "snapshot" and a.fetched:
                origin = f"snapshot {a.fetched.date()}"
            elif origin == "snapshot":
                origin = f"snapshot {status.snapshot_date}"
            extra = "; ".join(
                x
                for x in (
                    _state(a, report.on),
                    status.note if a is None else "",
                    status.error and f"live failed: {status.error}",
                )
                if x
            )
            lines.append(
                _row(
                    status.id,
                    a.level if a and a.level is not None else "-",
                    a.label if a else "-",
                    a.updated.date() if a and a.updated else "-",
                    origin + (f" ({extra})" if extra else ""),
                )
            )
    lines.append("")
    lines.append(report.headline().text)
    return "\n".join(lines)


def _rows(report: AdvisoryReport, source_id: str) -> list[Advisory | None]:
    """A source's rows: the advice on the date (None: nothing known), then any newer one."""
    mine = [a for a in report.advisories if a.source == source_id]
    dated = [a for a in mine if not a.after_plan_date]
    return [*(dated or [None]), *(a for a in mine if a.after_plan_date)]


def _state(advisory: Advisory | None, on: dt.date | None) -> str:
    """ "in force" / "not in force" / "after <date>" for a report judged for a date."""
    if advisory is None or on is None:
        return ""
    if advisory.after_plan_date:
        return f"after {on.isoformat()}"
    return "in force" if advisory.in_force else "not in force"


def _row(*cells: object) -> str:
    widths = (13, 6, 52, 11)
    out = []
    for i, cell in enumerate(cells):
        text = "-" if cell is None else str(cell)
        if i < len(widths):
            text = (
                text[: widths[i] - 1].ljust(widths[i])
                if len(text) >= widths[i]
                else text.ljust(widths[i])
            )
        out.append(text)
    return " ".join(out).rstrip()


def _one_line(text: str) -> str:
    return " ".join(text.split())
