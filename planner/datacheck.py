"""`python -m planner data check`: the checks a maintainer runs before committing data.

First the schema (catalog.load_catalog: every field, source_url, as-of date, ISO code, unique
id). Then checks over the loaded catalog that the schema cannot express: URLs over https, land
and rail route coordinates near the border they claim (data/borders, Natural Earth 1:50m),
facts dated in the future, rules and route statuses older than the planner's staleness
thresholds. Then the curated advice levels (data/advisories/levels.yaml): schema, known source
ids, https and dates. Errors fail the check (exit 1); warnings are printed and do not. A --data path
that is not a data folder (missing, a file, no countries/ inside) is an InputError: one line
and exit 2 from the CLI, like any other bad argument.
"""

from __future__ import annotations

import datetime as dt
import functools
import sys
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Literal, TextIO

import yaml
from pydantic import BaseModel

from planner.advisories import levels
from planner.borders import distance_to_border_km
from planner.catalog import DATA_DIR, Catalog, load_catalog
from planner.errors import DataError, InputError
from planner.models import ChecklistRule, EntryOverride, ExitRule, RiskRule, Route
from planner.risks import RULE_STALE_DAYS
from planner.routes import STATUS_STALE_DAYS
from planner.rules import is_stale

# How far a point may lie from its border, by how exactly the point was placed: a pin on the
# checkpoint itself, or the nearest settlement, town or city standing in for it.
PRECISION_KM: dict[str, float] = {
    "crossing": 15,
    "settlement": 30,
    "nearby_town": 80,
    "city": 150,
}
BORDER_KINDS = frozenset({"land", "rail"})
URL_FIELDS = frozenset({"source_url", "url", "more_sources"})
AGE_COLUMNS = 5  # years shown one by one in the age table; older ones are summed

Level = Literal["error", "warning"]


@dataclass(frozen=True)
class Finding:
    level: Level
    text: str

    def __str__(self) -> str:
        return f"{self.level}: {self.text}"


@dataclass(frozen=True)
class _Entry:
    """One top-level entry of a data file, with where it came from."""

    file: str  # relative to the data folder's parent, e.g. data/countries/RU/routes.yaml
    name: object  # the id, the folder code (country.yaml) or the index in the file
    owner: str  # the country code whose folder holds it, or "shared"
    model: BaseModel

    def where(self, field: str) -> str:
        return f"{self.file}: entry {self.name!r}: {field}"

    @functools.cached_property
    def nodes(self) -> list[tuple[str, BaseModel]]:
        """Every model nested in the entry, with its field path; walked once, read by each check."""
        return list(_walk(self.model))


def _entries(catalog: Catalog) -> Iterator[_Entry]:
    data_dir = catalog.data_dir

    def rel(path: Path) -> str:
        try:
            return str(path.relative_to(data_dir.parent))
        except ValueError:
            return str(path)

    folders = sorted(p for p in (data_dir / "countries").iterdir() if p.is_dir())
    for code, country in catalog.countries.items():
        yield _Entry(rel(data_dir / "countries" / code / "country.yaml"), code, code, country)
    for code, routes in catalog.routes.items():
        path = rel(data_dir / "countries" / code / "routes.yaml")
        for route in routes:
            yield _Entry(path, route.id, code, route)
    # embassies, checklist and overrides are merged from the shared file and each folder's,
    # in this order; the lengths of the files tell which item came from where
    merged = (
        ("embassies", catalog.embassies, data_dir / "embassies.yaml", "embassies.yaml"),
        ("items", catalog.checklist, data_dir / "checklist.yaml", "checklist.yaml"),
        ("overrides", catalog.overrides, data_dir / "entry" / "overrides.yaml", "overrides.yaml"),
    )
    for key, items, shared, name in merged:
        sources = [(shared, "shared"), *((f / name, f.name) for f in folders)]
        remaining = iter(items)
        for path, owner in sources:
            for i in range(_count(path, key)):
                item = next(remaining)
                yield _Entry(rel(path), getattr(item, "id", i), owner, item)


def _count(path: Path, key: str) -> int:
    if not path.exists():
        return 0
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # load_catalog already read it
    with path.open(encoding="utf-8") as fh:
        return len(yaml.load(fh, Loader=loader)[key])


def _walk(obj: object, path: str = "") -> Iterator[tuple[str, BaseModel]]:
    """(field path as the loader names it, e.g. `status.3`, model) for every nested model."""
    if isinstance(obj, BaseModel):
        yield path, obj
        for name in type(obj).model_fields:
            yield from _walk(getattr(obj, name), f"{path}.{name}" if path else name)
    elif isinstance(obj, tuple):
        for i, item in enumerate(obj):
            yield from _walk(item, f"{path}.{i}")


def _field(path: str, name: str) -> str:
    return f"{path}.{name}" if path else name


def _fact_date(model: BaseModel) -> dt.date | None:
    for name in ("as_of", "date"):
        value = getattr(model, name, None)
        if isinstance(value, dt.date):
            return value
    return None


def _urls(entry: _Entry) -> Iterator[Finding]:
    for path, model in entry.nodes:
        for name in URL_FIELDS & set(type(model).model_fields):
            value = getattr(model, name)
            urls = value if isinstance(value, tuple) else (value,)
            for i, url in enumerate(urls):
                if isinstance(url, str) and url.startswith("http://"):
                    field = _field(path, name) + (f".{i}" if isinstance(value, tuple) else "")
                    yield Finding(
                        "warning",
                        f"{entry.where(field)}: {url} is plain http; use https if the page has it",
                    )


def _future(entry: _Entry, today: dt.date) -> Iterator[Finding]:
    for path, model in entry.nodes:
        when = _fact_date(model)
        if when is not None and when > today:
            name = "as_of" if getattr(model, "as_of", None) == when else "date"
            yield Finding("warning", f"{entry.where(_field(path, name))}: {when} is in the future")


def _borders(entry: _Entry, catalog: Catalog) -> Iterator[Finding]:
    route = entry.model
    if not isinstance(route, Route) or route.kind not in BORDER_KINDS:
        return
    border = f"{entry.owner}–{route.to_country}"
    for side, place in (("departure", route.departure), ("arrival", route.arrival)):
        if place is None or place.lat is None or place.lon is None:
            continue
        allowed = PRECISION_KM.get(place.precision)
        if allowed is None:  # airport, port, none: not a point meant to be near the border
            continue
        distances = [
            distance_to_border_km(place.lat, place.lon, code, route.to_country)
            for code in (entry.owner, *_territories(catalog, entry.owner))
        ]
        km = min((d for d in distances if d is not None), default=None)
        if km is None:
            yield Finding(
                "warning",
                f"{entry.where(side + '.lat/lon')}: no outline for the {border} border; "
                "distance not checked",
            )
        elif km > allowed:
            yield Finding(
                "error",
                f"{entry.where(side + '.lat/lon')}: {km:.0f} km from the {border} border "
                f"(precision {place.precision} allows {allowed:.0f} km)",
            )


def _countries(entry: _Entry) -> Iterator[Finding]:
    route = entry.model
    if not isinstance(route, Route):
        return
    expected = (
        (route.departure, entry.owner, "departure"),
        (route.arrival, route.to_country, "arrival"),
    )
    for place, code, side in expected:
        if place is not None and place.country is not None and place.country != code:
            yield Finding(
                "error", f"{entry.where(side + '.country')}: {place.country}, expected {code}"
            )


def _stale(entry: _Entry, today: dt.date) -> Iterator[Finding]:
    model = entry.model
    if isinstance(model, Route):
        recent = [r.date for r in model.status if r.date <= today]
        if not recent:
            yield Finding("warning", f"{entry.where('status')}: no status record")
        elif (today - max(recent)).days > STATUS_STALE_DAYS:
            yield Finding(
                "warning",
                f"{entry.where('status')}: latest record {max(recent)}, none in the last "
                f"{STATUS_STALE_DAYS} days; add a record confirming the current status",
            )
        return
    for path, rule in entry.nodes:
        if not isinstance(rule, (ExitRule, RiskRule, EntryOverride)) or not rule.in_force(today):
            continue
        if is_stale(rule.date, today, RULE_STALE_DAYS, bounded=rule.until is not None):
            yield Finding(
                "warning",
                f"{entry.where(_field(path, 'date'))}: rule {rule.id!r} dated {rule.date}, "
                f"older than {RULE_STALE_DAYS} days with no end date; re-confirm it",
            )


def _age_table(entries: list[_Entry], today: dt.date) -> list[str]:
    """Count of dated facts by year of their as-of date, one row per country folder."""
    counts: dict[str, Counter[int]] = {}
    for entry in entries:
        row = counts.setdefault(entry.owner, Counter())
        for _, model in entry.nodes:
            when = _fact_date(model)
            if when is not None and _is_fact(model):
                row[when.year] += 1
    first = today.year - AGE_COLUMNS + 1
    headers = [f"<{first}", *(str(y) for y in range(first, today.year + 1)), "later", "total"]
    owners = sorted(k for k in counts if k != "shared") + (["shared"] if "shared" in counts else [])
    lines = ["facts by year of as-of date:", "  " + f"{'':8}" + "".join(f"{h:>7}" for h in headers)]
    for owner in owners:
        row = counts[owner]
        cells = [
            sum(n for y, n in row.items() if y < first),
            *(row[y] for y in range(first, today.year + 1)),
            sum(n for y, n in row.items() if y > today.year),
            sum(row.values()),
        ]
        lines.append("  " + f"{owner:8}" + "".join(f"{c:>7}" for c in cells))
    return lines


def _territories(catalog: Catalog, code: str) -> tuple[str, ...]:
    """Other territories on whose borders the country runs crossings (country.yaml)."""
    country = catalog.country(code)
    return country.border_territories if country else ()


def _is_fact(model: BaseModel) -> bool:
    return "source_url" in type(model).model_fields or isinstance(model, ChecklistRule)


def check(catalog: Catalog, today: dt.date) -> tuple[list[Finding], list[str]]:
    """Findings (errors first) and the summary lines for a catalog that loaded."""
    entries = list(_entries(catalog))
    findings: list[Finding] = []
    historical = {code: c for code, c in catalog.countries.items() if c.historical}
    unconfirmed: Counter[str] = Counter()
    for entry in entries:
        findings += _borders(entry, catalog)
        findings += _countries(entry)
        findings += _urls(entry)
        findings += _future(entry, today)
        stale = list(_stale(entry, today))
        if entry.owner in historical:
            unconfirmed[entry.owner] += len(stale)
        else:
            findings += stale
    for code, n in sorted(unconfirmed.items()):
        if n:
            where = f"data/countries/{code}/country.yaml: historical"
            text = f"{where} ({historical[code].historical.rstrip('.')}): {n} facts not "
            findings.append(Finding("warning", text + "re-confirmed for today, not listed"))
    findings.sort(key=lambda f: f.level != "error")  # stable: file order within a level
    n_routes = sum(len(r) for r in catalog.routes.values())
    summary = [
        *_age_table(entries, today),
        f"checked {len(catalog.countries)} countries, {n_routes} routes, "
        f"{len(catalog.checklist)} checklist rules, {len(catalog.embassies)} embassies, "
        f"{len(catalog.overrides)} entry overrides as of {today}",
    ]
    return findings, summary


def report(findings: list[Finding], summary: list[str], out: TextIO = sys.stdout) -> int:
    """Print one line per finding, then the summary; 1 if any error, else 0."""
    for finding in findings:
        print(finding, file=out)
    for line in summary:
        print(line, file=out)
    errors = sum(f.level == "error" for f in findings)
    print(f"{errors} error(s), {len(findings) - errors} warning(s)", file=out)
    return 1 if errors else 0


def run(
    data_dir: Path | None = None, out: TextIO = sys.stdout, *, today: dt.date | None = None
) -> int:
    """`python -m planner data check [--data DIR]`: read the data afresh, check, print."""
    data_dir = data_dir or DATA_DIR
    _check_folder(data_dir)
    try:
        catalog = load_catalog(data_dir)
    except DataError as exc:  # the schema check stops at the first broken entry
        return report([Finding("error", str(exc))], ["schema check stopped at this error"], out)
    except OSError as exc:  # e.g. a folder where a YAML file should be, an unreadable file
        raise InputError(f"cannot read {exc.filename or data_dir}: {exc.strerror}") from None
    today = today or dt.date.today()
    findings, summary = check(catalog, today)
    curated, lines = check_levels(data_dir / "advisories" / "levels.yaml", today)
    findings = sorted([*findings, *curated], key=lambda f: f.level != "error")
    return report(findings, [*lines, *summary], out)


def check_levels(path: Path, today: dt.date) -> tuple[list[Finding], list[str]]:
    """The curated advice levels (planner/advisories/levels.py): the schema (a known source id,
    a source_url, dates in order), then URLs over https and no date in the future. A data
    folder without the file has nothing to check."""
    if not path.exists():
        return [], []
    try:
        entries = levels.load(path)
    except DataError as exc:
        return [Finding("error", str(exc))], ["curated advice levels: check stopped at this error"]
    findings: list[Finding] = []
    for level in entries:
        where = f"{levels.shown(path)}: entry {level.id!r}"
        for i, url in enumerate((level.source_url, *level.more_sources)):
            if url.startswith("http://"):
                field = "source_url" if i == 0 else f"more_sources.{i - 1}"
                findings.append(
                    Finding("warning", f"{where}: {field}: {url} is plain http; use https")
                )
        for name in ("date", "until", "confirmed"):
            when = getattr(level, name)
            if when is not None and when > today:
                findings.append(Finding("error", f"{where}: {name}: {when} is in the future"))
    return findings, [f"checked {len(entries)} curated advice levels"]


def _check_folder(data_dir: Path) -> None:
    """InputError unless `data_dir` is a folder holding a countries/ folder."""
    if not data_dir.exists():
        raise InputError(f"no data folder at {data_dir}")
    if not data_dir.is_dir():
        raise InputError(f"{data_dir} is not a folder; point --data at the data folder")
    if not (data_dir / "countries").is_dir():
        raise InputError(
            f"{data_dir} has no countries/ folder; point --data at the folder that holds it"
        )
