"""UK FCDO travel advice from the GOV.UK content API, one country per request.

API docs: https://content-api.publishing.service.gov.uk/ ; the index
(`URL`) lists countries but carries no alert status, so fetching asks `country_url(code)`.
The level comes from `details.alert_status` (a list of codes, [] = no advice against travel);
"updated" is `public_updated_at` (`updated_at` also moves on technical rebuilds).
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from planner.advisories.countries import code_for_name, name_for_code
from planner.advisories.payload import brief, load_json, plausible, require
from planner.advisories.text import LABEL, SUMMARY, plain_text
from planner.errors import FeedError
from planner.models import Advisory

SOURCE = "uk_fcdo"
NAME = "United Kingdom (FCDO)"
URL = "https://www.gov.uk/api/content/foreign-travel-advice"
COUNTRY_URL = URL + "/{slug}"
PAGE_URL = "https://www.gov.uk/foreign-travel-advice/{slug}"

# alert_status code -> (common level, plain label). Regional codes count toward the level
# (the "max incl. regions" variant of docs/advisories.md) and also become a regional note.
ALERTS: dict[str, tuple[int, str]] = {
    "avoid_all_travel_to_whole_country": (4, "Advises against all travel to the whole country"),
    "avoid_all_but_essential_travel_to_whole_country": (
        3,
        "Advises against all but essential travel to the whole country",
    ),
    "avoid_all_travel_to_parts": (3, "Advises against all travel to parts of the country"),
    "avoid_all_but_essential_travel_to_parts": (
        2,
        "Advises against all but essential travel to parts of the country",
    ),
}
NO_ALERT_LABEL = "No advice against travel"
# A slug as GOV.UK writes them; anything else in the payload is not put into a URL.
_SLUG = re.compile(r"^(?=.{1,100}$)[a-z0-9]+(?:-[a-z0-9]+)*$")  # a page name, not an essay

# GOV.UK slugs that are not the plain lowercased English name.
SLUGS: dict[str, str] = {
    "RU": "russia", "US": "usa", "KR": "south-korea", "KP": "north-korea", "CD":
    "democratic-republic-of-the-congo", "CG": "congo", "CI": "cote-d-ivoire", "GM": "the-gambia",
    "BS": "bahamas", "MM": "myanmar", "LA": "laos", "VN": "vietnam", "SY": "syria", "IR": "iran",
    "MD": "moldova", "BO": "bolivia", "VE": "venezuela", "TZ": "tanzania", "TW": "taiwan",
    "CZ": "czech-republic", "TR": "turkey", "PS": "the-occupied-palestinian-territories",
    "MO": "macao", "FM": "micronesia", "KN": "st-kitts-and-nevis", "LC": "st-lucia",
    "VC": "st-vincent-and-the-grenadines", "SX": "st-maarten", "BN": "brunei", "XK": "kosovo",
    "GB": "", "VA": "", "AQ": "antarctica", "BQ": "bonaire-st-eustatius-saba",
}  # fmt: skip


def slug(country: str) -> str:
    """The GOV.UK path slug for an ISO code (RU -> 'russia'); '' when GOV.UK has no page."""
    code = country.upper()
    if code in SLUGS:
        return SLUGS[code]
    name = name_for_code(code)
    return re.sub(r"[^a-z0-9]+", "-", name.lower().replace("'", "")).strip("-")


def country_url(country: str) -> str:
    """The content API URL for one country."""
    return COUNTRY_URL.format(slug=slug(country))


def parse(payload: bytes) -> list[Advisory]:
    """One country's travel advice page as a one-item list."""
    doc = load_json(SOURCE, payload)
    require(SOURCE, isinstance(doc, dict), "top level is not an object")
    require(SOURCE, doc.get("document_type") == "travel_advice", "not a travel_advice document")
    details = doc.get("details")
    require(SOURCE, isinstance(details, dict), "no details object")
    return [_advisory(doc, details)]


def _advisory(doc: dict[str, Any], details: dict[str, Any]) -> Advisory:
    country = details.get("country") or {}
    require(SOURCE, isinstance(country, dict), "details.country is not an object")
    name = str(country.get("name") or "")
    codes = code_for_name(name)
    if len(codes) != 1:
        raise FeedError(f"{SOURCE}: unknown country {brief(name)}")
    alerts = details.get("alert_status")
    require(SOURCE, isinstance(alerts, list), "details.alert_status is not a list")
    level, label, regional = _level(alerts)
    given = country.get("slug")
    slug_ = given if isinstance(given, str) and _SLUG.match(given) else slug(codes[0])
    return Advisory(
        source=SOURCE,
        country=codes[0],
        level=level,
        label=label,
        regional_notes=regional,
        summary=_summary(details),
        updated=_timestamp(doc.get("public_updated_at") or details.get("updated_at")),
        url=PAGE_URL.format(slug=slug_),
    )


def _level(alerts: list[Any]) -> tuple[int | None, str, tuple[str, ...]]:
    if not alerts:
        return 1, NO_ALERT_LABEL, ()
    # Codes are strings; anything else (a list, an object) is an unknown code, not a crash.
    known = [ALERTS[a] for a in alerts if isinstance(a, str) and a in ALERTS]
    if len(known) != len(alerts):
        # A code we do not know may be more severe than those we do: unknown, not a guess.
        unknown = ", ".join(str(a) for a in alerts if not isinstance(a, str) or a not in ALERTS)
        return None, plain_text(f"Unknown FCDO alert status: {unknown}", limit=LABEL), ()
    top = max(known)
    regional = tuple(text for _, text in sorted(known, reverse=True) if "parts" in text)
    return top[0], top[1], regional


def _summary(details: dict[str, Any]) -> str:
    """The 'Warnings and insurance' part (where FCDO says 'leave'), else the first part."""
    if isinstance(details.get("summary"), str):  # pre-2020 payloads
        return plain_text(details["summary"], limit=SUMMARY)
    parts = details.get("parts")
    parts = [p for p in parts if isinstance(p, dict)] if isinstance(parts, list) else []
    chosen = next((p for p in parts if p.get("slug") == "warnings-and-insurance"), None)
    chosen = chosen or (parts[0] if parts else {})
    return plain_text(str(chosen.get("body") or ""), limit=SUMMARY)


def _timestamp(value: Any) -> dt.datetime | None:
    if not value:
        return None
    try:
        parsed = dt.datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError:
        raise FeedError(f"{SOURCE}: unreadable timestamp {brief(value)}") from None
    return plausible(parsed)  # GOV.UK always sends an offset; one without is read as UTC
