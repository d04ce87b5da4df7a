"""Australia (DFAT Smartraveller) travel advice from the destinations export.

Feed: https://www.smartraveller.gov.au/destinations-export (JSON array, one object per
destination). There are no country codes: the title is matched by name (explicit table, then
pycountry's exact lookup). `changed` is Canberra local time without a zone. The export has
HTML entities in titles and "&amp;**" where apostrophes belong; text.plain_text repairs both.
"""

from __future__ import annotations

import datetime as dt
import re
from itertools import islice
from typing import Any
from zoneinfo import ZoneInfo

from planner.advisories.countries import code_for_name
from planner.advisories.payload import brief, load_json, plausible, require, web_url
from planner.advisories.text import LABEL, MAX_INPUT, NOTE, NOTES, SUMMARY, plain_text
from planner.errors import FeedError
from planner.models import Advisory

SOURCE = "australia"
NAME = "Australia (Smartraveller, DFAT)"
URL = "https://www.smartraveller.gov.au/destinations-export"

LEVELS: dict[str, int] = {
    "exercise normal safety precautions": 1,
    "exercise a high degree of caution": 2,
    "reconsider your need to travel": 3,
    "do not travel": 4,
}
# Entries that are not a country's advice, and why they are left out.
SKIP: dict[str, str] = {
    "no travel advice": "placeholder page for places without advice, not a country",
}
_CANBERRA = ZoneInfo("Australia/Sydney")
# field_advice_levels joins every level sentence with ", "; a new one starts with a level name.
_LEVEL_SPLIT = re.compile(
    r",\s+(?=(?:Exercise normal safety precautions|Exercise a high degree of caution|"
    r"Reconsider your need to travel|Do not travel)\b)",
    re.IGNORECASE,
)


def parse(payload: bytes) -> list[Advisory]:
    """Every destination of the export as Advisories."""
    doc = load_json(SOURCE, payload)
    require(SOURCE, isinstance(doc, list) and bool(doc), "top level is not a non-empty array")
    advisories: list[Advisory] = []
    for i, entry in enumerate(doc):
        require(SOURCE, isinstance(entry, dict), f"entry {i} is not an object")
        title = plain_text(str(entry.get("title") or ""), limit=LABEL)
        if title.lower() in SKIP:
            continue
        codes = code_for_name(title) or _codes_from_url(entry.get("field_url"))
        if not codes:
            raise FeedError(f"{SOURCE}: unknown destination {brief(title)}")
        advisories.extend(_advisory(code, title, entry) for code in codes)
    return advisories


def _codes_from_url(url: Any) -> tuple[str, ...]:
    """'.../destinations/africa/cote-divoire-ivory-coast' -> name words for the table."""
    if not isinstance(url, str) or "/" not in url:
        return ()
    return code_for_name(url.rstrip("/").rsplit("/", 1)[-1].replace("-", " "))


def _advisory(code: str, title: str, entry: dict[str, Any]) -> Advisory:
    label = plain_text(str(entry.get("field_overall_advice_level") or ""), limit=LABEL)
    levels = _LEVEL_SPLIT.split(str(entry.get("field_advice_levels") or "")[:MAX_INPUT])
    parts = (plain_text(part, limit=NOTE) for part in levels[1:] if part.strip())
    regional = tuple(islice(parts, NOTES))
    return Advisory(
        source=SOURCE,
        country=code,
        level=LEVELS.get(label.lower()),
        label=label or "No level given",
        regional_notes=regional,
        summary=plain_text(str(entry.get("field_last_update") or ""), limit=SUMMARY),
        updated=_changed(entry.get("changed"), title),
        url=web_url(entry.get("field_url")) or URL,
    )


def _changed(value: Any, title: str) -> dt.datetime | None:
    """'Fri, 2026-02-20 16:46' in Canberra time."""
    if not value:
        return None
    try:
        parsed = dt.datetime.strptime(" ".join(str(value).split()), "%a, %Y-%m-%d %H:%M")
    except ValueError:
        raise FeedError(f"{SOURCE}: {brief(title)}: unreadable date {brief(value)}") from None
    return plausible(parsed.replace(tzinfo=_CANBERRA))
