"""The UK advice level on past dates, read from a GOV.UK page's `details.change_history`.

The content API keeps every published change of a travel advice page as a dated free-text
note (`public_timestamp`, `note`), newest first; the `alert_status` in force at a past date is
not kept, so it is read from the notes, conservatively (docs/advisories.md, "UK change
history"). Per sentence of a note:

- "no longer advises against ..." ends the level in force: the level after it is unknown;
- "(now / continues to) advise(s) against all travel to [the whole of] <country>" -> 4;
- "... against all but essential travel to [the whole of] <country>" -> 3;
- "... against all travel to parts / areas / regions ..." or "areas ... where the FCDO advises
  against all travel" -> 3; the same with "all but essential travel" -> 2 (the house mapping
  of `avoid_all_*_to_parts`, docs/advisories.md);
- anything else says nothing about the level, and the level before it carries on.

A note that names another country ("against all travel to Ukraine" on the Russia page) or
only "all but essential international travel" (the 2020 worldwide advice) gives no level.
Several statements in one note: the most severe wins, as with several alert codes.
No clock and no I/O: `read` takes the payload bytes.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass
from typing import Any

from planner.advisories import uk_fcdo
from planner.advisories.countries import code_for_name
from planner.advisories.payload import load_json, require
from planner.advisories.text import plain_text
from planner.errors import FeedError

SOURCE = uk_fcdo.SOURCE

# The words of the level each reading gives, as uk_fcdo labels the alert codes.
LABELS: dict[int, str] = {
    4: uk_fcdo.ALERTS["avoid_all_travel_to_whole_country"][1],
    3: uk_fcdo.ALERTS["avoid_all_but_essential_travel_to_whole_country"][1],
    2: uk_fcdo.ALERTS["avoid_all_but_essential_travel_to_parts"][1],
}
PARTS_ALL_LABEL = uk_fcdo.ALERTS["avoid_all_travel_to_parts"][1]
ENDED_LABEL = "Level not stated: a change history note ended the previous advice"

_ADVISE = r"advis(?:e|es|ing)\s+against\s+all\s+"
_ESSENTIAL = r"but\s+essential\s+"
_PARTS = r"(?:the\s+)?(?:parts?|areas?|regions?|some|certain|within)\b"
_AREAS_WHERE = re.compile(
    r"\b(?:parts?|areas?|regions?)\b[^.;]{0,60}?\bwhere\s+(?:the\s+)?(?:FCDO|FCO|we)\s+"
    r"advis(?:e|es)\s+against\s+all\s+(" + _ESSENTIAL + r")?travel\b",
    re.IGNORECASE,
)
_NO_LONGER = re.compile(r"\bno\s+longer\s+advis", re.IGNORECASE)


@dataclass(frozen=True)
class Reading:
    """What one note says about the level: a level, the end of one, or nothing."""

    level: int | None = None
    label: str = ""
    ended: bool = False


@dataclass(frozen=True)
class Change:
    """One dated note of a page's history and the level in force after it.

    `level` None with `known` True: the level was ended and the new one is not stated.
    `known` False: no note up to here said anything about the level. `since` and `basis`:
    the day and the note that began the level in force (a later note that only confirms
    it, "continues to advise", changes neither).
    """

    date: dt.date
    note: str
    level: int | None
    label: str
    known: bool
    reading: Reading
    since: dt.date | None = None
    basis: str = ""


@dataclass(frozen=True)
class History:
    """A page's changes, oldest first: complete up to the day the payload was captured."""

    country: str  # ISO alpha-2
    url: str  # the page a person reads
    changes: tuple[Change, ...]


def read_note(note: str, country_name: str) -> Reading:
    """The level one note states, by the rules in the module docstring."""
    text = _normalise(note)
    name = re.escape(country_name)
    whole = rf"(?:the\s+whole\s+of\s+)?{name}(?![’'\w])"
    levels: list[tuple[int, str]] = []
    ended = False
    for sentence in re.split(r"(?<=[.;])\s+|\n+", text):
        if _NO_LONGER.search(sentence):
            ended = True  # what follows "no longer" is the advice that ended, not a level
            continue
        if re.search(_ADVISE + r"travel\s+to\s+" + whole, sentence, re.IGNORECASE):
            levels.append((4, LABELS[4]))
        if re.search(_ADVISE + _ESSENTIAL + r"travel\s+to\s+" + whole, sentence, re.IGNORECASE):
            levels.append((3, LABELS[3]))
        if re.search(_ADVISE + r"travel\s+to\s+" + _PARTS, sentence, re.IGNORECASE):
            levels.append((3, PARTS_ALL_LABEL))
        if re.search(_ADVISE + _ESSENTIAL + r"travel\s+to\s+" + _PARTS, sentence, re.IGNORECASE):
            levels.append((2, LABELS[2]))
        for match in _AREAS_WHERE.finditer(sentence):
            levels.append((2, LABELS[2]) if match.group(1) else (3, PARTS_ALL_LABEL))
    if levels:
        level, label = max(levels)
        return Reading(level=level, label=label)
    return Reading(ended=ended)


def read(payload: bytes) -> History:
    """The dated level history of one GOV.UK travel advice payload; FeedError if unreadable."""
    doc = load_json(SOURCE, payload)
    require(SOURCE, isinstance(doc, dict), "top level is not an object")
    details = doc.get("details")
    require(SOURCE, isinstance(details, dict), "no details object")
    country = details.get("country") or {}
    require(SOURCE, isinstance(country, dict), "details.country is not an object")
    name = str(country.get("name") or "")
    codes = code_for_name(name)
    if len(codes) != 1:
        raise FeedError(f"{SOURCE}: unknown country {name!r}")
    entries = details.get("change_history")
    require(SOURCE, isinstance(entries, list), "details.change_history is not a list")
    notes = sorted(
        {(_date(e), plain_text(str(e.get("note") or ""))) for e in entries if _entry(e)}
    )  # a set: GOV.UK repeats some entries word for word (Russia, 2020-06-08)
    changes: list[Change] = []
    level: int | None = None
    label = ""
    known = False
    since: dt.date | None = None
    basis = ""
    for date, note in notes:
        reading = read_note(note, name)
        if reading.level is not None or reading.ended:
            new_level = reading.level
            new_label = reading.label if reading.level is not None else ENDED_LABEL
            if not known or (new_level, new_label) != (level, label):
                since, basis = date, note
            level, label, known = new_level, new_label, True
        changes.append(Change(date, note, level, label, known, reading, since, basis))
    slug = str(country.get("slug") or uk_fcdo.slug(codes[0]))
    return History(
        country=codes[0],
        url=uk_fcdo.PAGE_URL.format(slug=slug),
        changes=tuple(changes),
    )


def _entry(entry: Any) -> bool:
    if not isinstance(entry, dict):
        raise FeedError(f"{SOURCE}: a change_history entry is not an object")
    return bool(entry.get("public_timestamp"))


def _date(entry: dict[str, Any]) -> dt.date:
    stamp = _timestamp(entry["public_timestamp"])
    assert stamp is not None  # _entry kept only entries with a timestamp
    return stamp


def _timestamp(value: Any) -> dt.date | None:
    if not value:
        return None
    try:
        moment = dt.datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError:
        raise FeedError(f"{SOURCE}: unreadable timestamp {value!r}") from None
    # The UTC day: notes are stamped in UTC ("Z") and the page's dates are shown as days.
    return moment.astimezone(dt.UTC).date() if moment.tzinfo else moment.date()


def _normalise(note: str) -> str:
    # NFKC turns the "ﬂ" ligature of some 2022 notes into "fl"; curly quotes stay as they are.
    return re.sub(r"\s+", " ", unicodedata.normalize("NFKC", note)).strip()


__all__ = ["Change", "History", "Reading", "read", "read_note"]
