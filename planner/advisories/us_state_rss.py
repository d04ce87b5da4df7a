"""US Department of State travel advisories from the RSS feed (TAsTWs.xml).

Feed docs: https://travel.state.gov/content/travel/en/traveladvisories/traveladvisories.html
One <item> per destination: title "<Name> - Level N: <Label>", a date-only pubDate, HTML
description. Country tags are FIPS-style (`RS` Russia, `GB` Gabon): in `<category
domain="Country-Tag">` (2025) or only in `dc:identifier` (2019, order varies, may be missing).
The JSON API (cadataapi.state.gov) is not used: no payload of it was ever recorded.
"""

from __future__ import annotations

import datetime as dt
import re
from xml.etree.ElementTree import Element

from planner.advisories.countries import FIPS_TO_ISO, code_for_name
from planner.advisories.payload import brief, load_xml, plausible, require, web_url
from planner.advisories.text import LABEL, NOTE, NOTES, SUMMARY, plain_text, shorten
from planner.errors import FeedError
from planner.models import Advisory

SOURCE = "us_state_rss"
NAME = "United States (Department of State)"
URL = "https://travel.state.gov/_res/rss/TAsTWs.xml"

LEVELS: dict[str, int] = {
    "exercise normal precautions": 1,
    "exercise increased caution": 2,
    "reconsider travel": 3,
    "do not travel": 4,
}
# Items that are not a country's advice, and why they are left out.
SKIP: dict[str, str] = {
    "worldwide caution": "global notice for all countries, not one country's advisory",
}

_DC = "{http://purl.org/dc/elements/1.1/}"
# "Kenya  - Level 2: ...", "Mexico Travel Advisory - Level 2: ...",
# "Mainland China, Hong Kong & Macau - See Summaries - Level 2: ..."
_TITLE = re.compile(
    r"^\s*(?P<name>.*?)(?:\s+Travel\s+Advisory)?\s+-\s+(?:.*?\s+-\s+)?"
    r"Level\s+(?P<level>\d)\s*:\s*(?P<label>.+?)\s*$",
    re.IGNORECASE | re.DOTALL,
)
_CODE = re.compile(r"^[A-Z][A-Z0-9]$")
# Real titles are under 90 characters; _TITLE's lazy groups take quadratic time on a long
# one ("a - a - a - ..."), so a longer title is read as one that does not match.
_MAX_TITLE = 300


def parse(payload: bytes) -> list[Advisory]:
    """Every country item of the feed as Advisories (one per ISO country an item covers)."""
    root = load_xml(SOURCE, payload)
    require(SOURCE, root.tag == "rss", f"root element is <{root.tag}>, not <rss>")
    items = root.findall("./channel/item")
    require(SOURCE, bool(items), "no <item> elements")
    advisories: list[Advisory] = []
    for item in items:
        advisories.extend(_advisories(item))
    return advisories


def _advisories(item: Element) -> list[Advisory]:
    title = " ".join((item.findtext("title") or "").split())
    require(SOURCE, bool(title), "an <item> without a title")
    match = _TITLE.match(title) if len(title) <= _MAX_TITLE else None
    name = match.group("name") if match else title.split(" - ")[0]
    if name.strip().lower() in SKIP:
        return []
    codes = _codes(item, name)
    if not codes:
        raise FeedError(f"{SOURCE}: no country code for item {brief(title)}")
    if match:
        label = f"Level {match.group('level')}: {match.group('label')}"
        level = LEVELS.get(match.group("label").strip().lower())
        if level is not None and level != int(match.group("level")):
            level = None  # the number and the words disagree: unknown, not a guess
    else:
        label, level = title, None
    description = plain_text(item.findtext("description"))
    return [
        Advisory(
            source=SOURCE,
            country=code,
            level=level,
            label=plain_text(label, limit=LABEL) or "No level given",
            regional_notes=_regional(description, name),
            summary=shorten(description, SUMMARY),
            updated=_date(item.findtext("pubDate")),
            url=web_url(item.findtext("link")) or URL,
        )
        for code in codes
    ]


def _codes(item: Element, name: str) -> tuple[str, ...]:
    tags = [
        (c.text or "").strip() for c in item.findall("category") if c.get("domain") == "Country-Tag"
    ]
    identifier = item.findtext(f"{_DC}identifier") or ""
    tags += [part.strip() for part in identifier.split(",")]
    for tag in tags:
        if _CODE.match(tag) and tag in FIPS_TO_ISO:
            return FIPS_TO_ISO[tag]
    # Hong Kong and Macau (2025) carry no tag at all: fall back to the name.
    return code_for_name(name)


def _date(value: str | None) -> dt.datetime | None:
    """pubDate is date-only ('Tue, 07 Oct 2025'); older or future feeds may add a time."""
    if not value:
        return None
    text = " ".join(value.split())
    for fmt in ("%a, %d %b %Y", "%a, %d %b %Y %H:%M:%S %Z", "%a, %d %b %Y %H:%M:%S %z"):
        try:
            parsed = dt.datetime.strptime(text, fmt)
        except ValueError:
            continue
        return plausible(parsed if parsed.tzinfo else parsed.replace(tzinfo=dt.UTC))
    raise FeedError(f"{SOURCE}: unreadable pubDate {brief(value)}")


_REGIONAL = re.compile(r"Do not travel to:?\s+(?P<area>[^.;<]{3,160})", re.IGNORECASE)


def _regional(text: str, name: str) -> tuple[str, ...]:
    """'Do not travel to <area>' lines (not the whole country): the feed's only regional advice.

    `text` is the description already made plain.
    """
    country = name.strip().lower()
    seen: list[str] = []
    for match in _REGIONAL.finditer(text):
        area = match.group("area").strip()
        if area.lower().startswith((country, "the country")):
            continue
        note = shorten(f"Do not travel to {area}", NOTE)
        if note not in seen:
            seen.append(note)
    return tuple(seen[:NOTES])
