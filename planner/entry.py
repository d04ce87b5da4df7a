"""Entry requirements: may a holder of passport P enter country D on a given day, and how?

The base is the Passport Index data set (data/entry/passport-index/, MIT, compiled from
passportindex.org by ilyankou/passport-index-dataset): one file per release, the release in
force on a day being the newest one dated on or before it. On top of it, dated crisis
overrides from the catalog (tourist bans, closed land borders, temporary protection) replace
the answer when stricter, or, for a relaxation such as temporary protection, when laxer. A
visa or residence permit the traveler holds turns "visa required" into "visa held"; it does
not lift a crisis restriction.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass, replace
from pathlib import Path

from planner import precomputed
from planner.errors import DataError, InputError
from planner.models import EntryOverride, applies_to
from planner.paths import DATA_DIR

__all__ = [
    "DATASET_URL",
    "REQUIREMENT_RANK",
    "Entry",
    "EntryFinder",
    "best_entry",
    "passport_countries",
    "releases",
    "requirement",
]

PASSPORT_INDEX_DIR = DATA_DIR / "entry" / "passport-index"
DATASET_URL = "https://github.com/ilyankou/passport-index-dataset"

# Easiest first. "unknown" sorts last: with no answer the traveler must check before going.
REQUIREMENT_RANK: dict[str, int] = {
    "citizen": 0,
    "visa free": 1,
    "visa on arrival": 2,
    "eta": 3,
    "e-visa": 4,
    "visa held": 5,
    "restricted": 6,
    "visa required": 7,
    "no admission": 8,
    "unknown": 9,
}
# Requirements a visa or permit already in the passport satisfies.
_HELD_SATISFIES = {"visa required", "e-visa", "eta"}
_RELEASE_FILE = re.compile(r"^passport-index-tidy-iso2-(\d{4}-\d{2}-\d{2})\.csv$")
_CODE = re.compile(r"[A-Za-z]{2}")


@dataclass(frozen=True)
class Entry:
    passport: str
    destination: str
    requirement: str  # a key of REQUIREMENT_RANK, e.g. "visa free"
    days: int | None  # visa-free stay, when the data set gives one
    dataset: str  # the Passport Index release used, e.g. "2022-09-10"
    note: str
    source_url: str
    as_of: dt.date
    override_id: str | None  # the crisis override that decided `requirement`, if any

    @property
    def rank(self) -> int:
        return REQUIREMENT_RANK[self.requirement]


# ---------------------------------------------------------------- the data set

_lock = threading.Lock()
_tables: dict[dt.date, dict[tuple[str, str], str]] = {}
_releases: dict[Path, tuple[int, tuple[dt.date, ...]]] = {}
_passports: dict[tuple[dt.date, ...], frozenset[str]] = {}


def releases(directory: Path = PASSPORT_INDEX_DIR) -> list[dt.date]:
    """Dates of the Passport Index releases on disk, oldest first."""
    # Asked once per route and passport: listing the folder again only when it changed
    # (a file added or removed changes the folder's mtime) saves most of a plan's time.
    try:
        stamp = directory.stat().st_mtime_ns
    except OSError:
        stamp = None
    known = _releases.get(directory)
    if stamp is not None and known is not None and known[0] == stamp:
        return list(known[1])
    dates = _list_releases(directory)
    # A folder changed in the last seconds may change again within its mtime's resolution.
    if stamp is not None and time.time_ns() - stamp > 2_000_000_000:
        _releases[directory] = (stamp, tuple(dates))
    return dates


def _list_releases(directory: Path) -> list[dt.date]:
    dates = []
    for path in directory.glob("passport-index-tidy-iso2-*.csv"):
        match = _RELEASE_FILE.match(path.name)
        if match:
            dates.append(dt.date.fromisoformat(match[1]))
    if not dates:
        raise DataError(f"{directory}: no passport-index-tidy-iso2-YYYY-MM-DD.csv release found")
    return sorted(dates)


def _release_file(release: dt.date, directory: Path = PASSPORT_INDEX_DIR) -> Path:
    return directory / f"passport-index-tidy-iso2-{release.isoformat()}.csv"


def _read_release(path: Path) -> dict[tuple[str, str], str]:
    try:
        with path.open(encoding="utf-8", newline="") as fh:
            reader = csv.reader(fh)
            header = next(reader, None)
            if header != ["Passport", "Destination", "Requirement"]:
                raise DataError(
                    f"{path.name}: expected the header Passport,Destination,Requirement"
                )
            # The csv module keeps "NA" (Namibia) a string; pandas would make it NaN.
            return {(p, d): r for p, d, r in reader}
    except OSError as exc:
        raise DataError(f"{path.name}: cannot read: {exc.strerror}") from None
    except ValueError:
        raise DataError(f"{path.name}: line {reader.line_num}: expected 3 columns") from None


def _table(release: dt.date) -> dict[tuple[str, str], str]:
    """One release as {(passport, destination): requirement}, read once per process."""
    table = _tables.get(release)  # asked ~100 times a plan: no path built when known
    if table is None:
        path = _release_file(release)
        with _lock:
            table = _tables.get(release)
            if table is None:
                # ~40,000 rows: the parsed table is kept on disk between runs.
                table = _tables[release] = precomputed.load(
                    f"visa-{release.isoformat()}", [path], lambda: _read_release(path)
                )
    return table


def passport_countries() -> frozenset[str]:
    """Codes the visa data has passports for, in any release: the citizenships a traveler
    can hold. Territories that issue none of their own (UM, PR, GU) are not among them, so
    the planner has no entry answer for them and refuses them as a citizenship."""
    found = releases()
    known = _passports.get(tuple(found))
    if known is None:
        known = frozenset(p for release in found for p, _ in _table(release))
        _passports[tuple(found)] = known
    return known


def _release_on(on: dt.date) -> tuple[dt.date, str]:
    """The release in force on `on`, and a note when `on` is before the first one."""
    dates = releases()
    in_force = [d for d in dates if d <= on]
    if in_force:
        return in_force[-1], ""
    first = dates[0]
    # The note does not repeat the plan date (shown with the plan): the same note, and so
    # the same entry answer and route options, serves every day before the first release.
    return first, f"the first visa data release ({first}) is newer than the plan date; it is used"


def _default_overrides() -> tuple[EntryOverride, ...]:
    """Every override in the catalog (shared and per-country files), loaded once."""
    from planner.catalog import get_catalog  # the catalog imports nothing from here

    return get_catalog().overrides


# ---------------------------------------------------------------- answers


def _code(value: str, what: str) -> str:
    # Checked before upper-casing: "ß".upper() is "SS", a real code (South Sudan).
    code = value.strip() if isinstance(value, str) else ""
    if not _CODE.fullmatch(code):
        raise InputError(f"{what} {value!r} is not a two-letter ISO 3166-1 country code")
    return code.upper()


def _from_dataset(raw: str) -> tuple[str, int | None, str]:
    """(requirement, days, note) for a Passport Index cell."""
    value = raw.strip()
    if value == "-1":
        return "citizen", None, ""
    if value.isdigit():
        return "visa free", int(value), ""
    lowered = value.casefold()
    if lowered == "covid ban":
        return "no admission", None, "the visa data set marks a COVID-19 entry ban here"
    if lowered == "hayya entry permit":
        return "eta", None, "Qatar's Hayya entry permit (World Cup 2022) was needed"
    if lowered in REQUIREMENT_RANK and lowered not in {"citizen", "visa held", "restricted"}:
        return lowered, None, ""
    return "unknown", None, f"the visa data set says {value!r}, which this planner cannot read"


def _join(*parts: str) -> str:
    return "; ".join(p for p in parts if p)


def requirement(
    passport: str,
    destination: str,
    on: dt.date,
    *,
    kind: str = "land",
    visas: tuple[str, ...] = (),
    overrides: Iterable[EntryOverride] | None = None,
    departure: str | None = None,
) -> Entry:
    """What a holder of `passport` needs to enter `destination` on day `on` by a `kind` route.

    `visas` lists countries whose visa or residence permit the traveler holds. `overrides`
    defaults to the catalog's; an override in force replaces the data set's answer when it is
    stricter (a relaxation: laxer).
    """
    held = frozenset(_code(v, "visa country") for v in visas)
    rules = _default_overrides() if overrides is None else tuple(overrides)
    return _requirement(
        _code(passport, "passport"),
        _code(destination, "destination"),
        on,
        _release_on(on),
        kind=kind,
        held=held,
        rules=rules,
        departure=departure,
    )


def _requirement(
    passport: str,
    destination: str,
    on: dt.date,
    release_on: tuple[dt.date, str],
    *,
    kind: str,
    held: frozenset[str],
    rules: tuple[EntryOverride, ...],
    departure: str | None,
) -> Entry:
    """requirement() for checked codes and the release in force, worked out by the caller
    once for all of a traveler's passports."""
    release, release_note = release_on
    if passport == destination:
        req, days, note = "citizen", None, ""
    else:
        raw = _table(release).get((passport, destination))
        if raw is None:
            req, days, note = (
                "unknown",
                None,
                f"the visa data set has no entry for a {passport} passport to {destination}",
            )
        else:
            req, days, note = _from_dataset(raw)
    if destination in held and req in _HELD_SATISFIES:
        req, days = "visa held", None
        note = _join(note, f"the traveler holds a visa or permit for {destination}")
    entry = Entry(
        passport=passport,
        destination=destination,
        requirement=req,
        days=days,
        dataset=release.isoformat(),
        note=_join(release_note, note),
        source_url=DATASET_URL,
        as_of=release,
        override_id=None,
    )
    # Filter first: a plan asks this ~70 times and few rules concern one destination.
    relevant = [
        rule
        for rule in rules
        if rule.destination == destination
        and rule.in_force(on)
        and (not rule.kinds or kind in rule.kinds)
        and (not rule.departures or departure in rule.departures)
        and applies_to(rule.passports, passport)
    ]
    for rule in sorted(relevant, key=lambda r: (r.date, r.id)):
        entry = _apply(entry, rule, held)
    return entry


def _apply(entry: Entry, rule: EntryOverride, held: frozenset[str]) -> Entry:
    """`entry` after a crisis override in force: replaced if the override is stricter (or,
    for a `visa free` relaxation, laxer, or, correcting the data set, either way). A visa
    already held still satisfies an override that asks for one."""
    relaxes = rule.requirement == "visa free"
    new, old = REQUIREMENT_RANK[rule.requirement], REQUIREMENT_RANK[entry.requirement]
    applies = entry.requirement == "unknown" or (new < old if relaxes else new > old)
    applies = applies or (rule.corrects_data and new != old)
    satisfied = entry.destination in held and rule.requirement in _HELD_SATISFIES
    if (
        entry.requirement == "citizen"
        or (entry.requirement == "visa held" and satisfied)
        or not applies
    ):
        # Still worth saying: a visa-required traveler who gets one is then only "restricted".
        return replace(entry, note=_join(entry.note, f"also: {rule.note}"))
    if satisfied:  # the data set said less was needed; the visa held is what counts now
        return replace(
            entry,
            requirement="visa held",
            days=None,
            note=_join(rule.note, f"the traveler holds a visa or permit for {entry.destination}"),
            source_url=rule.source_url,
            as_of=rule.date,
            override_id=rule.id,
        )
    note = rule.note
    if rule.requirement == "restricted" and entry.requirement == "visa held":
        note = _join(
            f"a visa or permit alone may not be enough: only some categories are admitted "
            f"({entry.destination} restricts {entry.passport} passport holders)",
            rule.note,
        )
    return replace(
        entry,
        requirement=rule.requirement,
        days=None,
        note=note,
        source_url=rule.source_url,
        as_of=rule.date,
        override_id=rule.id,
    )


def best_entry(
    passports: tuple[str, ...],
    destination: str,
    on: dt.date,
    *,
    kind: str = "land",
    visas: tuple[str, ...] = (),
    avoid: str | None = None,
    overrides: Iterable[EntryOverride] | None = None,
    departure: str | None = None,
) -> Entry:
    """The easiest entry among the traveler's passports.

    Ties go to the longer visa-free stay, then to a passport other than `avoid` (the departure
    country's, which may draw attention at the border), then alphabetically.
    """
    finder = EntryFinder(
        passports, on, visas=visas, avoid=avoid, overrides=overrides, departure=departure
    )
    return finder(destination, kind)


class EntryFinder:
    """best_entry() for one traveler on one day, for any destination: what every destination
    shares (the checked passports and visas, the release and the overrides in force) is
    worked out once, where a plan asks for ~40 destinations and kinds of route."""

    def __init__(
        self,
        passports: tuple[str, ...],
        on: dt.date,
        *,
        visas: tuple[str, ...] = (),
        avoid: str | None = None,
        overrides: Iterable[EntryOverride] | None = None,
        departure: str | None = None,
    ) -> None:
        self.codes = tuple(dict.fromkeys(_code(p, "passport") for p in passports))
        if not self.codes:
            raise InputError("no valid passport: add at least one passport the traveler holds")
        self.on = on
        self.held = frozenset(_code(v, "visa country") for v in visas)
        self.release_on = _release_on(on)
        self.avoid = avoid.strip().upper() if avoid else None
        self.departure = departure
        rules = _default_overrides() if overrides is None else tuple(overrides)
        in_force: dict[str, list[EntryOverride]] = {}
        for rule in rules:
            if rule.in_force(on):
                in_force.setdefault(rule.destination, []).append(rule)
        self.in_force = {d: tuple(rs) for d, rs in in_force.items()}

    def __call__(self, destination: str, kind: str = "land") -> Entry:
        destination = _code(destination, "destination")
        # The answer changes with the date only through the release and the overrides in
        # force: the next day's plan (or the next rerun) finds it here.
        in_force = self.in_force.get(destination, ())
        key = (
            self.codes,
            destination,
            kind,
            self.held,
            self.avoid,
            self.departure,
            self.release_on,
            in_force,
        )
        known = _answers.get(key)
        if known is not None:
            return known
        entries = [
            _requirement(
                p,
                destination,
                self.on,
                self.release_on,
                kind=kind,
                held=self.held,
                rules=in_force,
                departure=self.departure,
            )
            for p in self.codes
        ]

        def order(e: Entry) -> tuple[int, int, bool, str]:
            return (e.rank, -(e.days or 0), e.passport == self.avoid, e.passport)

        best = min(entries, key=order)
        if len(_answers) >= _ANSWERS_KEPT:
            _answers.clear()
        _answers[key] = best
        return best


_ANSWERS_KEPT = 4096
_answers: dict[tuple, Entry] = {}
