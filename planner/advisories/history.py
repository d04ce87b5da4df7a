"""Government advice as it stood on a date, from every dated piece of evidence we hold.

Three kinds of evidence, per government (source) and country (docs/advisories.md, "Advice on
a date"):

- snapshot: every recorded feed payload in data/advisories/snapshot/. An entry updated on U
  and captured on C shows the advice standing from U to at least C.
- history: the GOV.UK change history in each recorded UK payload (uk_history.py): the level
  after each dated note, complete up to the capture date.
- curated: data/advisories/levels.yaml (levels.py), sourced levels from a date.

`advice_on` answers with the newest advice issued on or before the date (latest start; a
tie goes to live, then snapshot, then history, then curated), or None when nothing is known
or the newest known advice had ended by then. It is in force when the evidence shows it
standing within IN_FORCE_DAYS of the date: advice last seen years earlier may have changed
since without our knowing. No clock and no network: only the bundled files are read.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path

from pydantic import BaseModel, ConfigDict

from planner import precomputed
from planner.advisories import SOURCES, levels, snapshot, uk_history
from planner.errors import DataError, FeedError
from planner.models import Advisory

# How long after the last day evidence shows advice standing it still counts as in force.
# Governments re-issue their advice at least yearly (the US every 6 to 12 months); two years
# without any sign of it means we do not know what it said.
IN_FORCE_DAYS = 730

# Which evidence wins when two pieces start on the same day: the government's own live page,
# then a recorded payload, then the change history read from one, then our curated entry.
RANK: dict[str, int] = {"live": 3, "snapshot": 2, "history": 1, "curated": 0}

# The government whose advice a citizen reads: citizenship (ISO alpha-2) -> source id.
CITIZENS: dict[str, str] = {
    "US": "us_state_rss",
    "GB": "uk_fcdo",
    "CA": "canada",
    "DE": "germany",
    "AU": "australia",
}


class Evidence(BaseModel):
    """One dated piece of evidence of one government's advice for one country.

    The advice stood from `start` (the government's own date) and is seen standing up to
    `seen`; `until` is the last day it stood when a source dates its end."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    advisory: Advisory
    start: dt.date
    seen: dt.date
    until: dt.date | None = None

    @property
    def rank(self) -> int:
        return RANK[self.advisory.origin]


def advice_on(source_id: str, country: str, on: dt.date) -> Advisory | None:
    """The newest advice of `source_id` for `country` (ISO alpha-2) issued on or before `on`,
    with `in_force` set; None when nothing is known for that day.

    LookupError for an unknown source id. Reads only the bundled data."""
    if source_id not in SOURCES:
        valid = ", ".join(SOURCES)
        raise LookupError(f"unknown advisory source {source_id!r}; valid: {valid}")
    found = [e for e in evidence(country.upper()) if e.advisory.source == source_id]
    return pick(found, on)


def advice_for_citizen(citizenship: str, country: str, on: dt.date) -> Advisory | None:
    """What the traveler's own government advised about `country` on `on`: the advice of the
    government of `citizenship` (US, GB, CA, DE, AU), or None if we carry none for it."""
    source_id = CITIZENS.get(citizenship.upper())
    return advice_on(source_id, country, on) if source_id else None


def pick(found: Iterable[Evidence], on: dt.date) -> Advisory | None:
    """The newest of `found` standing on `on`, judged for that day; None if there is none."""
    started = [e for e in found if e.start <= on]
    if not started:
        return None
    best = max(started, key=lambda e: (e.start, e.rank, e.seen))
    if best.until is not None and on > best.until:
        return None  # it ended, and what came next is not known
    return best.advisory.model_copy(
        update={"in_force": is_in_force(best, on), "after_plan_date": False}
    )


def is_in_force(item: Evidence, on: dt.date) -> bool:
    """Started by `on`, and seen standing no more than IN_FORCE_DAYS before it."""
    last = min(item.seen, on)
    return item.start <= on and (on - last).days <= IN_FORCE_DAYS


def of_advisory(advisory: Advisory) -> Evidence | None:
    """A row as fetched (live) or as recorded (snapshot) as evidence: it stood from its
    `updated` day until it was fetched. None when it carries no date at all."""
    fetched = advisory.fetched.date() if advisory.fetched else None
    updated = advisory.updated.date() if advisory.updated else None
    if fetched is None and updated is None:
        return None
    start = min(d for d in (updated, fetched) if d is not None)
    return Evidence(advisory=advisory, start=start, seen=fetched or start)


def evidence(country: str, base: Path | None = None) -> tuple[Evidence, ...]:
    """Every piece of evidence for `country`, of every source, oldest first."""
    return _evidence(str(base or snapshot.root())).get(country, ())


@functools.lru_cache(maxsize=8)
def _evidence(base: str) -> dict[str, tuple[Evidence, ...]]:
    # Read once per process and snapshot folder, as the catalog is: a plan asks for dozens of
    # countries, and the bundled files do not change under a running program.
    root = Path(base)
    files = [snapshot.path_of(s, f, root) for s, f in _feed_files(root)]
    files += [root / s / snapshot.MANIFEST for s in SOURCES]
    files.append(levels.PATH)
    return _table(base, _stamp(files))


def _stamp(paths: list[Path]) -> tuple[tuple[str, int, int], ...]:
    """Size and mtime of each file: a changed or replaced file is read again."""
    stamps = []
    for path in paths:
        try:
            stat = path.stat()
        except OSError:
            stamps.append((str(path), -1, -1))
            continue
        stamps.append((str(path), stat.st_size, stat.st_mtime_ns))
    return tuple(stamps)


@functools.lru_cache(maxsize=4)
def _table(base: str, stamp: tuple[tuple[str, int, int], ...]) -> dict[str, tuple[Evidence, ...]]:
    # Parsed once per set of file versions, and kept on disk (precomputed.py): about 1.5 s.
    root = Path(base)
    sources = [Path(path) for path, _, _ in stamp]
    return precomputed.load("advice-evidence", sources, lambda: _build(root))


def _feed_files(root: Path) -> list[tuple[str, snapshot.SnapshotFile]]:
    return [
        (source_id, entry)
        for source_id in SOURCES
        for entry in snapshot.manifest(source_id, root).files
        if entry.role == "feed"
    ]


def _build(root: Path) -> dict[str, tuple[Evidence, ...]]:
    table: dict[str, list[Evidence]] = defaultdict(list)
    for source_id, entry in _feed_files(root):
        # fetch.py reports a missing or unreadable newest file; here each file is only history,
        # and one that is not a regular file (a pipe would never answer) is no evidence.
        if not snapshot.path_of(source_id, entry, root).is_file():
            continue
        try:
            payload = snapshot.read(source_id, entry, root)
            found = SOURCES[source_id].parse(payload)
        except (DataError, FeedError):
            continue
        captured = dt.datetime.combine(entry.captured, dt.time(), dt.UTC)
        for advisory in found:
            row = advisory.model_copy(update={"origin": "snapshot", "fetched": captured})
            table[advisory.country].append(_recorded(row, entry.captured))
        if source_id == uk_history.SOURCE:
            for item in _uk_history(payload, entry.captured):
                table[item.advisory.country].append(item)
    since: dict[tuple[str, str], tuple[int, dt.date, dt.date]] = {}
    for level in sorted(levels.load(), key=lambda x: (x.source, x.country, x.date)):
        # A run of entries at one level with no gap shows that level known since the first.
        key = (level.source, level.country)
        start = level.date
        if key in since:
            previous, first, seen = since[key]
            if previous == level.level and (level.date - seen).days <= IN_FORCE_DAYS:
                start = first
        since[key] = (level.level, start, level.seen)
        table[level.country].append(_curated(level, start))
    return {c: tuple(sorted(items, key=_order)) for c, items in table.items()}


def _recorded(advisory: Advisory, captured: dt.date) -> Evidence:
    updated = advisory.updated.date() if advisory.updated else captured
    return Evidence(advisory=advisory, start=min(updated, captured), seen=captured)


def _uk_history(payload: bytes, captured: dt.date) -> list[Evidence]:
    """One piece per note once the level is known: the page as it stood from that note."""
    try:
        history = uk_history.read(payload)
    except FeedError:
        return []
    items: list[Evidence] = []
    for change in history.changes:
        if not change.known or change.date > captured or change.since is None:
            continue
        advisory = Advisory(
            source=uk_history.SOURCE,
            country=history.country,
            level=change.level,
            label=change.label,
            summary=f"Read from the GOV.UK change history, note of {change.since.isoformat()}: "
            f"{change.basis}",
            level_since=change.since,
            updated=dt.datetime.combine(change.date, dt.time(), dt.UTC),
            url=history.url,
            origin="history",
        )
        # The history is complete up to the capture: each state stood until the next note.
        items.append(Evidence(advisory=advisory, start=change.date, seen=captured))
    return items


def _curated(level: levels.CuratedLevel, since: dt.date) -> Evidence:
    advisory = Advisory(
        source=level.source,
        country=level.country,
        level=level.level,
        label=level.label,
        summary=level.note,
        updated=dt.datetime.combine(level.date, dt.time(), dt.UTC),
        url=level.source_url,
        origin="curated",
        level_since=since,
        confidence=level.confidence,
        more_sources=level.more_sources,
    )
    return Evidence(advisory=advisory, start=level.date, seen=level.seen, until=level.until)


def _order(item: Evidence) -> tuple[str, dt.date, int, dt.date]:
    return (item.advisory.source, item.start, item.rank, item.seen)


__all__ = [
    "CITIZENS",
    "IN_FORCE_DAYS",
    "Evidence",
    "advice_for_citizen",
    "advice_on",
    "evidence",
    "is_in_force",
    "of_advisory",
    "pick",
]
