"""Risk notes for this traveler from the departure country's rules (data/countries/*/country.yaml).

Dual-national notes (recognition, consular access, exit passport, notification duty),
conscription and mobilisation by sex, age and military status, and practical risks (cash,
cards, protests) are all rules with conditions in the data; this module only selects them.
"""

from __future__ import annotations

import datetime as dt

from planner.models import Country, RiskNote, Traveler
from planner.rules import is_personal, is_stale, matches

RULE_STALE_DAYS = 365  # laws and practices change more slowly than border statuses
_SEVERITY = {"high": 0, "medium": 1, "low": 2}


def risk_notes(country: Country | None, traveler: Traveler, on: dt.date) -> list[RiskNote]:
    """The rules in force on `on` that concern this traveler, most severe first."""
    if country is None:
        return []
    notes = [
        RiskNote(
            id=rule.id,
            category=rule.category,
            severity=rule.severity,
            title=rule.title,
            text=rule.text,
            source_url=rule.source_url,
            as_of=rule.date,
            confidence=rule.confidence,
            stale=is_stale(rule.date, on, RULE_STALE_DAYS, bounded=rule.until is not None),
            personal=is_personal(rule.when),
        )
        for rule in country.risks
        if rule.in_force(on) and matches(rule.when, traveler, country.code)
    ]
    return sorted(notes, key=lambda n: (_SEVERITY[n.severity], -n.as_of.toordinal(), n.id))
