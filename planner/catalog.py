"""Loads and validates every curated data file in data/ once; the rest of the core asks it.

Layout (see docs/adding-a-country.md): one folder per departure country,
data/countries/<CC>/ with country.yaml, routes.yaml and optionally embassies.yaml,
checklist.yaml and overrides.yaml (merged with the shared data/embassies.yaml,
data/checklist.yaml and data/entry/overrides.yaml), so adding a country is adding a folder.
A file that breaks its schema raises DataError naming the file, the entry and the field.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from planner import precomputed
from planner.errors import DataError
from planner.models import (
    USER_ROUTE_PREFIX,
    ChecklistRule,
    Country,
    Embassy,
    EntryOverride,
    Route,
)
from planner.paths import DATA_DIR

M = TypeVar("M", bound=BaseModel)


@dataclass(frozen=True)
class Catalog:
    data_dir: Path
    countries: dict[str, Country]
    routes: dict[str, tuple[Route, ...]]
    embassies: tuple[Embassy, ...]
    checklist: tuple[ChecklistRule, ...]
    overrides: tuple[EntryOverride, ...]

    def country(self, code: str) -> Country | None:
        return self.countries.get(code)

    def routes_from(self, code: str) -> tuple[Route, ...]:
        return self.routes.get(code, ())


# libyaml's safe loader is ~10x faster than the pure-Python one; same safety, same result.
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _read_yaml(path: Path) -> Any:
    if path.exists() and not path.is_file():  # a folder, or a pipe that would never answer
        raise DataError(f"{_rel(path)}: cannot read: not a regular file")
    try:
        with path.open(encoding="utf-8") as fh:
            return yaml.load(fh, Loader=_Loader)  # noqa: S506 - a safe loader
    except OSError as exc:
        raise DataError(f"{_rel(path)}: cannot read: {exc.strerror}") from None
    except UnicodeDecodeError:
        raise DataError(f"{_rel(path)}: not UTF-8 text") from None
    except yaml.YAMLError as exc:
        raise DataError(f"{_rel(path)}: not valid YAML: {exc}") from None


def _rel(path: Path) -> str:
    try:
        return str(path.relative_to(DATA_DIR.parent))
    except ValueError:
        return str(path)


def _validate(path: Path, model: type[M], raw: Any, entry: object) -> M:
    try:
        return model.model_validate(raw)
    except ValidationError as exc:
        err = exc.errors()[0]
        where = ".".join(map(str, err["loc"])) or "(top level)"
        raise DataError(f"{_rel(path)}: entry {entry!r}: {where}: {err['msg']}") from None


def _validate_list(path: Path, key: str, model: type[M]) -> tuple[M, ...]:
    doc = _read_yaml(path)
    if not isinstance(doc, dict) or not isinstance(doc.get(key), list):
        raise DataError(f"{_rel(path)}: expected a top-level list '{key}:'")
    items = []
    for i, raw in enumerate(doc[key]):
        entry = raw.get("id", i) if isinstance(raw, dict) else i
        items.append(_validate(path, model, raw, entry))
    _check_unique(path, items)
    return tuple(items)


def _check_unique(path: Path, items: list[Any]) -> None:
    seen: set[str] = set()
    for item in items:
        ident = getattr(item, "id", None)
        if ident is None:
            continue
        if ident in seen:
            raise DataError(f"{_rel(path)}: entry {ident!r}: id: duplicate id")
        seen.add(ident)


def _check_circumstances(path: Path, country: Country) -> None:
    """Every circumstance a rule asks about must be declared, or no one could ever match it."""
    declared = {c.id for c in country.circumstances}
    for rule in (*country.exit_rules, *country.risks):
        conditions = [("when", rule.when)]
        conditions += [
            (f"exemptions.{i}.when", x.when) for i, x in enumerate(getattr(rule, "exemptions", ()))
        ]
        for where, cond in conditions:
            unknown = sorted(set(cond.circumstance_any) - declared)
            if unknown:
                raise DataError(
                    f"{_rel(path)}: entry {rule.id!r}: {where}.circumstance_any: "
                    f"{', '.join(unknown)} not declared under circumstances"
                )


def _check_curated(path: Path, route: Route) -> None:
    """Curated data never says it is a person's own: the page marks those routes "added by
    you", and their ids (user-...) must never meet a curated one."""
    if route.id.startswith(USER_ROUTE_PREFIX):
        raise DataError(
            f"{_rel(path)}: entry {route.id!r}: id: {USER_ROUTE_PREFIX}... is for routes a "
            "person adds"
        )
    for field in ("added_by_user", "unsourced"):
        if getattr(route, field):
            raise DataError(f"{_rel(path)}: entry {route.id!r}: {field}: not for curated data")


def _check_alerts(path: Path, country: Country) -> None:
    """`replaces` names earlier alerts of the same country, by id."""
    dated = {a.id: a.as_of for a in country.alerts if a.id is not None}
    ids = [a.id for a in country.alerts if a.id is not None]
    if len(ids) != len(dated):
        twice = next(i for i in ids if ids.count(i) > 1)
        raise DataError(f"{_rel(path)}: entry {twice!r}: id: duplicate alert id")
    for alert in country.alerts:
        for old in alert.replaces:
            if old not in dated or dated[old] > alert.as_of:
                raise DataError(
                    f"{_rel(path)}: entry {alert.id or alert.as_of.isoformat()!r}: replaces: "
                    f"{old!r} is no earlier alert of this country"
                )


def _merged(paths: list[Path], key: str, model: type[M]) -> tuple[M, ...]:
    items = [item for path in paths if path.exists() for item in _validate_list(path, key, model)]
    _check_unique(paths[0], items)
    return tuple(items)


def load_catalog(data_dir: Path = DATA_DIR) -> Catalog:
    """Read and validate everything under data_dir; raise DataError on the first problem."""
    countries: dict[str, Country] = {}
    routes: dict[str, tuple[Route, ...]] = {}
    folders = sorted(p for p in (data_dir / "countries").iterdir() if p.is_dir())
    for folder in folders:
        path = folder / "country.yaml"
        country = _validate(path, Country, _read_yaml(path), folder.name)
        if country.code != folder.name:
            raise DataError(f"{_rel(path)}: entry {folder.name!r}: code: must match the folder")
        _check_circumstances(path, country)
        _check_alerts(path, country)
        countries[country.code] = country
        route_file = folder / "routes.yaml"
        routes[country.code] = (
            _validate_list(route_file, "routes", Route) if route_file.exists() else ()
        )
        for route in routes[country.code]:
            _check_curated(route_file, route)
    all_routes = [r for rs in routes.values() for r in rs]
    _check_unique(data_dir / "countries", all_routes)

    return Catalog(
        data_dir=data_dir,
        countries=countries,
        routes=routes,
        embassies=_merged(
            [data_dir / "embassies.yaml", *(f / "embassies.yaml" for f in folders)],
            "embassies",
            Embassy,
        ),
        checklist=_merged(
            [data_dir / "checklist.yaml", *(f / "checklist.yaml" for f in folders)],
            "items",
            ChecklistRule,
        ),
        overrides=_merged(
            [data_dir / "entry" / "overrides.yaml", *(f / "overrides.yaml" for f in folders)],
            "overrides",
            EntryOverride,
        ),
    )


_lock = threading.Lock()
_cache: dict[Path, Catalog] = {}


_OVR = "overrides.yaml"


def source_files(data_dir: Path = DATA_DIR) -> list[Path]:
    """Every file load_catalog reads (or would read, if it existed), in a stable order."""
    folders = sorted(p for p in (data_dir / "countries").iterdir() if p.is_dir())
    shared = [data_dir / "embassies.yaml", data_dir / "checklist.yaml"]
    shared.append(data_dir / "entry" / "overrides.yaml")
    per_country = [
        folder / name
        for folder in folders
        for name in ("country.yaml", "routes.yaml", "embassies.yaml", "checklist.yaml", _OVR)
    ]
    return [data_dir / "countries", *folders, *shared, *per_country]


def get_catalog(data_dir: Path = DATA_DIR) -> Catalog:
    """The catalog for data_dir, loaded once per process (thread-safe). Validating ~2 MB of
    YAML takes a while, so the result is also kept on disk between runs (precomputed.py)."""
    with _lock:
        if data_dir not in _cache:
            _cache[data_dir] = precomputed.load(
                "catalog", source_files(data_dir), lambda: load_catalog(data_dir)
            )
        return _cache[data_dir]
