"""Curated advice levels: what a government advised about a country, from when, with sources.

Where neither a recorded feed payload nor a published change history covers a date, a
maintainer writes the level into data/advisories/levels.yaml, in the government's own words,
with the page or report that shows it (docs/adding-a-country.md, "Curated advisory levels").
Each entry is validated on load, here and by `python -m planner data check`; a broken entry
is a DataError naming the file, the entry and the field.
"""

from __future__ import annotations

import datetime as dt
import threading
from pathlib import Path
from typing import Any

import yaml
from pydantic import Field, ValidationError, field_validator, model_validator

from planner.advisories import SOURCES
from planner.errors import DataError
from planner.models import CountryCode, Dated, Name, Text
from planner.paths import DATA_DIR

PATH = DATA_DIR / "advisories" / "levels.yaml"
KEY = "levels"

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_lock = threading.Lock()
_cache: dict[tuple[str, int, int], tuple[CuratedLevel, ...]] = {}


class CuratedLevel(Dated):
    """One government's level for one country from `date` (the day it was issued) until
    `until` (the last day it stood, inclusive) if a source dates its end.

    `confirmed`: the latest day a cited source shows the level still standing (default: its
    `date`); the planner counts an open-ended entry as in force for a while after that day
    only (planner/advisories/history.py, IN_FORCE_DAYS)."""

    id: str = Field(pattern=r"^[a-z0-9]+(?:-[a-z0-9]+)*$", max_length=80)
    source: str
    country: CountryCode
    level: int = Field(ge=1, le=4)
    label: Name  # the government's own words, e.g. "Level 4: Do Not Travel"
    confirmed: dt.date | None = None
    note: Text = ""

    @field_validator("source")
    @classmethod
    def _known_source(cls, value: str) -> str:
        if value not in SOURCES:
            raise ValueError(f"unknown source {value!r}; valid: {', '.join(SOURCES)}")
        return value

    @model_validator(mode="after")
    def _confirmed_in_range(self) -> CuratedLevel:
        if self.confirmed is not None and self.confirmed < self.date:
            raise ValueError(f"confirmed {self.confirmed} is before date {self.date}")
        if self.confirmed and self.until and self.confirmed > self.until:
            raise ValueError(f"confirmed {self.confirmed} is after until {self.until}")
        return self

    @property
    def seen(self) -> dt.date:
        """The last day a source shows this level standing."""
        return self.until or self.confirmed or self.date


def load(path: Path | None = None) -> tuple[CuratedLevel, ...]:
    """Every curated level in `path` (default: the bundled file); () if there is no file.

    Read once per file version (size and mtime), under a lock; DataError for a broken entry."""
    path = path or PATH
    try:
        stat = path.stat()
    except FileNotFoundError:
        return ()
    except OSError as exc:
        raise DataError(f"{path}: cannot read: {exc.strerror}") from None
    key = (str(path), stat.st_size, stat.st_mtime_ns)
    with _lock:
        if key not in _cache:
            _cache[key] = _parse(path)
        return _cache[key]


def shown(path: Path) -> str:
    """`path` as error messages name it: from the project root for the bundled data."""
    try:
        return str(path.relative_to(DATA_DIR.parent))
    except ValueError:
        return str(path)


def _parse(path: Path) -> tuple[CuratedLevel, ...]:
    where = shown(path)
    if not path.is_file():
        raise DataError(f"{where}: cannot read: not a regular file")
    try:
        doc = yaml.load(path.read_text(encoding="utf-8"), Loader=_Loader)  # noqa: S506 - safe
    except UnicodeDecodeError:
        raise DataError(f"{where}: not UTF-8 text") from None
    except yaml.YAMLError as exc:
        raise DataError(f"{where}: not valid YAML: {exc}") from None
    if not isinstance(doc, dict) or not isinstance(doc.get(KEY), list):
        raise DataError(f"{where}: expected a top-level list '{KEY}:'")
    levels: list[CuratedLevel] = []
    for i, raw in enumerate(doc[KEY]):
        levels.append(_entry(path, raw, i))
    _check(path, levels)
    return tuple(levels)


def _entry(path: Path, raw: Any, index: int) -> CuratedLevel:
    where = shown(path)
    name = raw.get("id", index) if isinstance(raw, dict) else index
    try:
        return CuratedLevel.model_validate(raw)
    except ValidationError as exc:
        err = exc.errors()[0]
        field = ".".join(map(str, err["loc"])) or "(top level)"
        raise DataError(f"{where}: entry {name!r}: {field}: {err['msg']}") from None


def _check(path: Path, levels: list[CuratedLevel]) -> None:
    """Unique ids, and no two entries of one government and country on the same day: which
    one stood that day would be a guess."""
    where = shown(path)
    ids: set[str] = set()
    days: dict[tuple[str, str, dt.date], str] = {}
    for level in levels:
        if level.id in ids:
            raise DataError(f"{where}: entry {level.id!r}: id: duplicate id")
        ids.add(level.id)
        day = (level.source, level.country, level.date)
        if day in days:
            raise DataError(
                f"{where}: entry {level.id!r}: date: {days[day]!r} has the same source, "
                "country and date"
            )
        days[day] = level.id


__all__ = ["PATH", "CuratedLevel", "load", "shown"]
