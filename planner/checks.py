"""Checks of a departure country and a date against the data, shared by every way in (the
form, the CLI, plan files, the changes): one wording for one mistake."""

from __future__ import annotations

import datetime as dt

import pycountry

from planner.catalog import Catalog
from planner.errors import InputError

MAX_DAYS_AHEAD = 366  # plans are for now or the near future; further out nothing is known


def check_country(code: str) -> str:
    raw = (code or "").strip()
    # ASCII letters before upper-casing: "ß".upper() is "SS", a real code (South Sudan).
    upper = raw.upper() if raw.isascii() and raw.isalpha() else ""
    if len(upper) != 2 or pycountry.countries.get(alpha_2=upper) is None:
        shown = raw.upper() if raw.isascii() else raw
        raise InputError(
            f"unknown country code {shown[:20]!r}: use an ISO 3166-1 alpha-2 code like RU"
        )
    return upper


def data_begins(catalog: Catalog, departure: str) -> dt.date:
    country = catalog.country(departure)
    if country is not None:
        return country.data_begins
    return min(c.data_begins for c in catalog.countries.values())


def check_date(as_of: dt.date, catalog: Catalog, departure: str, today: dt.date) -> None:
    begins = data_begins(catalog, departure)
    if as_of < begins:
        raise InputError(
            f"date {as_of.isoformat()} is before the data begins ({begins.isoformat()})"
        )
    if (as_of - today).days > MAX_DAYS_AHEAD:
        raise InputError(f"date {as_of.isoformat()} is more than a year ahead")
