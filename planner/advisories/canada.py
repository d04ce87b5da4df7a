"""Canada (Global Affairs Canada) travel advice from the open-data index of all countries.

Feed: https://data.international.gc.ca/travel-voyage/index-alpha-eng.json (OGL-Canada).
`data` maps ISO alpha-2 keys to entries; `advisory-state` 0..3 is the level (the English text
changed wording and case over the years, so only the integer decides). Keys drifted 2014->2026
(`country-iso` etc. added, `see-other-iso` dropped) and 2014 French text uses HTML entities.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from planner.advisories.countries import is_iso
from planner.advisories.payload import brief, epoch_time, load_json, plausible, require
from planner.advisories.text import LABEL, SUMMARY, plain_text, shorten
from planner.errors import FeedError
from planner.models import Advisory

SOURCE = "canada"
NAME = "Canada (Global Affairs Canada)"
URL = "https://data.international.gc.ca/travel-voyage/index-alpha-eng.json"
PAGE_URL = "https://travel.gc.ca/destinations/{slug}"

# advisory-state -> common level (0 normal precautions ... 3 avoid all travel).
LEVELS: dict[int, int] = {0: 1, 1: 2, 2: 3, 3: 4}
# Keys that are regions of a country with its own entry, and why they are left out.
SKIP: dict[str, str] = {
    "PT-20": "Azores: a region of Portugal (PT has its own entry)",
    "IC": "Canary Islands: a region of Spain (ES has its own entry)",
}
# A slug as travel.gc.ca writes them; anything else in the payload is not put into a URL.
_SLUG = re.compile(r"^(?=.{1,100}$)[a-z0-9]+(?:-[a-z0-9]+)*$")  # a page name, not an essay
_FRACTION = re.compile(r"\.(\d+)")


def parse(payload: bytes) -> list[Advisory]:
    """Every country of the index as Advisories."""
    doc = load_json(SOURCE, payload)
    require(SOURCE, isinstance(doc, dict), "top level is not an object")
    data = doc.get("data")
    require(SOURCE, isinstance(data, dict) and bool(data), "no 'data' object of countries")
    advisories = []
    for key, entry in data.items():
        if key in SKIP:
            continue
        require(SOURCE, isinstance(entry, dict), f"entry {brief(key)} is not an object")
        advisories.append(_advisory(key, entry))
    return advisories


def _advisory(key: str, entry: dict[str, Any]) -> Advisory:
    code = str(entry.get("country-iso") or key).upper()
    if not is_iso(code):
        raise FeedError(f"{SOURCE}: entry {brief(key)} has no ISO country code")
    eng = entry.get("eng")
    require(SOURCE, isinstance(eng, dict), f"entry {brief(key)} has no 'eng' object")
    state = entry.get("advisory-state")
    level = LEVELS.get(state) if isinstance(state, int) and not isinstance(state, bool) else None
    text = plain_text(str(eng.get("advisory-text") or ""), limit=LABEL)
    regional = ()
    if entry.get("has-regional-advisory") in (1, True, "1"):
        regional = ("Regional advisories in effect: some areas have a higher level",)
    updates = plain_text(str(eng.get("recent-updates") or ""), limit=SUMMARY)
    slug = str(eng.get("url-slug") or "").strip("/")
    return Advisory(
        source=SOURCE,
        country=code,
        level=level,
        label=text or plain_text(f"advisory-state {brief(state)}", limit=LABEL),
        regional_notes=regional,
        summary=shorten(f"{text.rstrip('.')}. Latest update: {updates}", SUMMARY)
        if updates
        else text,
        updated=_published(entry.get("date-published"), key),
        url=PAGE_URL.format(slug=slug) if _SLUG.match(slug) else URL,
    )


def _published(value: Any, key: str) -> dt.datetime | None:
    """Epoch `timestamp` (UTC); `date` is local Ottawa time without an offset, so not used."""
    if not isinstance(value, dict):
        return None
    stamp = value.get("timestamp")
    if isinstance(stamp, int | float) and not isinstance(stamp, bool):
        return epoch_time(stamp)
    asp = value.get("asp")
    if isinstance(asp, str) and asp:
        try:
            # Python 3.11 takes at most 6 fractional digits; the feed sends 7.
            parsed = dt.datetime.fromisoformat(_trim_fraction(asp))
        except ValueError:
            raise FeedError(f"{SOURCE}: entry {brief(key)}: unreadable date {brief(asp)}") from None
        return plausible(parsed) if parsed.tzinfo else None
    return None


def _trim_fraction(stamp: str) -> str:
    """'...12.7772197-04:00' -> '...12.777219-04:00': the fraction cut, the offset kept."""
    return _FRACTION.sub(lambda m: "." + m.group(1)[:6], stamp, count=1)
