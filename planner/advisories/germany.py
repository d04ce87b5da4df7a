"""Germany (Auswärtiges Amt) travel warnings from the AA open-data API.

API: https://www.auswaertiges-amt.de/opendata/travelwarning (list) and `/travelwarning/<id>`
(one country with HTML `content`); spec in bundesAPI/travelwarning-api (openapi.yaml).
Both answer `{"response": {<contentId>: {...}, "lastModified": ..., "contentList": [...]}}`:
entries sit beside scalar siblings. There is no level, only four independent flags; the most
severe set flag decides. Timestamps are epoch seconds (a third-party doc says milliseconds,
so the unit is detected by magnitude).
"""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import quote

from planner.advisories.countries import is_iso
from planner.advisories.payload import brief, epoch_time, load_json, require
from planner.advisories.text import SUMMARY, plain_text
from planner.errors import FeedError
from planner.models import Advisory

SOURCE = "germany"
NAME = "Germany (Auswärtiges Amt)"
URL = "https://www.auswaertiges-amt.de/opendata/travelwarning"
DETAIL_URL = URL + "/{content_id}"

# Flag -> (common level, label), most severe first; no flag set -> level 1.
FLAGS: tuple[tuple[str, int, str], ...] = (
    ("warning", 4, "Reisewarnung (travel warning for the whole country)"),
    ("partialWarning", 3, "Teilreisewarnung (travel warning for parts of the country)"),
    ("situationWarning", 2, "Situationsbezogene Warnung (situation warning)"),
    ("situationPartWarning", 2, "Situationsbezogene Teilwarnung (partial situation warning)"),
)
NO_FLAG_LABEL = "Reise- und Sicherheitshinweise (no travel warning)"
# Above this an epoch stamp must be milliseconds (1e11 s is the year 5138).
_MILLISECONDS = 10**11


def parse(payload: bytes) -> list[Advisory]:
    """Every country entry of a list or detail response as Advisories."""
    doc = load_json(SOURCE, payload)
    require(SOURCE, isinstance(doc, dict), "top level is not an object")
    response = doc.get("response")
    require(SOURCE, isinstance(response, dict) and bool(response), "no 'response' object")
    advisories = [
        _advisory(str(content_id), entry)
        for content_id, entry in response.items()
        if isinstance(entry, dict)
    ]
    require(SOURCE, bool(advisories), "no country entries in 'response'")
    return advisories


def _advisory(content_id: str, entry: dict[str, Any]) -> Advisory:
    code = str(entry.get("countryCode") or entry.get("CountryCode") or "").upper()
    if not is_iso(code):
        raise FeedError(
            f"{SOURCE}: entry {brief(content_id)} has no ISO country code ({brief(code)})"
        )
    flags = [f for f in FLAGS if entry.get(f[0]) is True]
    unreadable = [f[0] for f in FLAGS if not isinstance(entry.get(f[0], False), bool)]
    if unreadable:
        level, label = None, f"Unknown flag values: {', '.join(unreadable)}"
    elif flags:
        level, label = flags[0][1], flags[0][2]
    else:
        level, label = 1, NO_FLAG_LABEL
    regional = tuple(f[2] for f in flags if f[0] in ("partialWarning", "situationPartWarning"))
    summary = plain_text(str(entry.get("lastChanges") or ""), limit=SUMMARY)
    return Advisory(
        source=SOURCE,
        country=code,
        level=level,
        label=label,
        regional_notes=regional,
        summary=summary or plain_text(str(entry.get("title") or ""), limit=SUMMARY),
        updated=_epoch(entry.get("lastModified"), content_id),
        # Ids are digits; quoted, any other key stays one path segment of the AA's own host.
        url=DETAIL_URL.format(content_id=quote(content_id, safe="")),
    )


def _epoch(value: Any, content_id: str) -> dt.datetime | None:
    if value is None:
        return None
    if not isinstance(value, int | float) or isinstance(value, bool):
        raise FeedError(f"{SOURCE}: entry {brief(content_id)}: lastModified is not a number")
    return epoch_time(value, per_second=1000 if value > _MILLISECONDS else 1)
