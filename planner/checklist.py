"""The checklist for this plan, from the rules in data/checklist.yaml.

A rule applies when its condition matches the traveler, it concerns this departure country
(or any), it is in force on the plan date, and, if it needs one, a usable route of its kind
exists in the plan.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from planner.models import ChecklistItem, ChecklistRule, RouteOption, Traveler
from planner.rules import is_personal, matches

# The order checklist categories are shown in, on screen and on paper.
CATEGORY_ORDER = (
    "documents",
    "money",
    "transport",
    "military",
    "family",
    "health",
    "communication",
    "safety",
)


def build_checklist(
    rules: Iterable[ChecklistRule],
    traveler: Traveler,
    departure: str,
    on: dt.date,
    routes: Iterable[RouteOption],
) -> list[ChecklistItem]:
    usable_kinds = {r.kind for r in routes if r.verdict != "blocked"}
    items = [
        ChecklistItem(
            id=rule.id,
            category=rule.category,
            priority=rule.priority,
            text=rule.text,
            reason=rule.reason,
            source_url=rule.source_url,
            as_of=rule.as_of,
            personal=is_personal(rule.when),
        )
        for rule in rules
        if (not rule.countries or departure in rule.countries)
        and (rule.date is None or rule.date <= on)
        and (rule.until is None or on <= rule.until)
        and (rule.needs_route_kind is None or rule.needs_route_kind in usable_kinds)
        and matches(rule.when, traveler, departure)
    ]
    return sorted(items, key=lambda i: (i.priority, i.category, i.id))


def with_reason(item: ChecklistItem) -> str:
    """The task and why, as two sentences: "Enrol in STEP. Why: STEP sends …", never
    "Enrol in STEP: Why" or "… (step.state.gov) Why:" (task texts carry no full stop)."""
    text = item.text.rstrip().rstrip(":;,").rstrip()
    if not text.endswith((".", "!", "?", "…")):
        text += "."
    return f"{text} Why: {item.reason}"
