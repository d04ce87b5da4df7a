"""Matching a traveler against the conditions that data files attach to rules.

Unknown sex or age matches a rule that asks for it: a warning shown to someone it may not
concern costs less than one hidden from someone it does.
"""

from __future__ import annotations

import datetime as dt

from planner.models import Condition, Traveler


def is_national(traveler: Traveler, departure: str) -> bool:
    return departure in traveler.citizenships


def matches(when: Condition, traveler: Traveler, departure: str) -> bool:
    national = is_national(traveler, departure)
    checks = (
        when.national is None or when.national == national,
        when.dual_national is None
        or when.dual_national == (national and len(traveler.citizenships) > 1),
        not when.citizenship_any or any(c in traveler.citizenships for c in when.citizenship_any),
        when.sex is None or traveler.sex is None or traveler.sex == when.sex,
        when.age_min is None or traveler.age is None or traveler.age >= when.age_min,
        when.age_max is None or traveler.age is None or traveler.age <= when.age_max,
        not when.military_status or traveler.military_status in when.military_status,
        when.has_car is None or when.has_car == traveler.has_car,
        when.children_min is None or traveler.children >= when.children_min,
        when.children_under_18_min is None
        or traveler.children_under_18 >= when.children_under_18_min,
        when.disability is None or when.disability == traveler.disability,
        when.carer is None or when.carer == traveler.carer,
        when.pets is None or when.pets == traveler.pets,
        when.holds_visa_for_departure is None
        or when.holds_visa_for_departure == (departure in traveler.visas),
        not when.circumstance_any
        or any(c in traveler.circumstances for c in when.circumstance_any),
    )
    return all(checks)


def is_personal(when: Condition) -> bool:
    """Whether a rule is chosen by what a PDF without personal details must not reveal: sex,
    age, military service, health, children or a declared personal circumstance (not
    citizenship: the passport to show on each route stays on the paper)."""
    return bool(
        when.sex is not None
        or when.age_min is not None
        or when.age_max is not None
        or when.military_status
        or when.disability is not None
        or when.carer is not None
        or when.children_under_18_min is not None
        or when.circumstance_any
    )


def is_stale(as_of: dt.date, on: dt.date, max_days: int, *, bounded: bool = False) -> bool:
    """A fact is stale when it is older than max_days on the plan date and not known to end.

    A record with a known end date (`bounded`) was confirmed for its whole span by later
    reporting, so its age alone does not make it doubtful.
    """
    return not bounded and (on - as_of).days > max_days
