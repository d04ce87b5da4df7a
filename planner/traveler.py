"""Building a Traveler from raw input (CLI flags or form fields) with one-sentence errors."""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import ValidationError

from planner.entry import passport_countries
from planner.errors import InputError
from planner.models import MILITARY_STATUSES, Traveler
from planner.routes import country_name

_FIELD_NAMES = {
    "citizenships": "citizenship",
    "passports": "passport",
    "visas": "visa",
    "residences": "permanent residence",
    "family_of": "family member's citizenship",
    "military_status": "military status",
}


_CODE_FIELDS = ("citizenships", "passports", "visas", "residences", "family_of")
# Fields that name a state a person belongs to: each must issue passports of its own.
_STATE_FIELDS = ("citizenships", "passports", "residences", "family_of")


def _check_ascii_codes(fields: dict[str, Any]) -> None:
    """A code must be typed in ASCII: the model upper-cases first, and "ß".upper() is "SS"
    (South Sudan), "\ufb01" (the fi ligature) "FI" (Finland)."""
    for field in _CODE_FIELDS:
        values = fields.get(field)
        if not isinstance(values, list | tuple):
            continue
        for value in values:
            if isinstance(value, str) and not value.isascii():
                name = _FIELD_NAMES[field]
                raise InputError(f"{name}: {value!r} is not an ISO 3166-1 alpha-2 country code")


def check_states(traveler: Traveler) -> None:
    """Refuse a territory that issues no passports of its own (UM, PR) as a citizenship,
    passport, residence or family member's citizenship: the visa data has no answer for it,
    and the person's passport is that of the state it belongs to."""
    known = passport_countries()
    for field in _STATE_FIELDS:
        for code in getattr(traveler, field) or ():
            if code not in known:
                raise InputError(
                    f"{_FIELD_NAMES[field]}: {code} ({country_name(code)}) issues no passports "
                    "of its own; give the country whose passport is used there"
                )


def make_traveler(**fields: Any) -> Traveler:
    """Validate input into a Traveler; raise InputError naming the field and the problem."""
    _check_ascii_codes(fields)
    status = fields.get("military_status")
    if status is not None and status not in MILITARY_STATUSES:
        raise InputError(
            f"unknown military status {status!r}: use one of {', '.join(MILITARY_STATUSES)}"
        )
    try:
        traveler = Traveler(**fields)
    except ValidationError as exc:
        err = exc.errors()[0]
        field = str(err["loc"][0]) if err["loc"] else "input"
        name = _FIELD_NAMES.get(field, field)
        value = err.get("input")
        if field == "age":
            raise InputError(
                f"impossible age {value!r}: give a whole number from 0 to 120"
            ) from None
        msg = err["msg"].removeprefix("Value error, ")
        raise InputError(f"{name}: {msg}") from None
    check_states(traveler)
    return traveler


def parse_date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise InputError(f"impossible date {text!r}: use YYYY-MM-DD, e.g. 2022-09-28") from None
