"""The departure country's alerts in force on the plan date (data/countries/*/country.yaml).

An alert (an embassy's "depart immediately", a declaration of martial law) is in force from
its date until the day it says it ends (`until`), until a later alert names it in `replaces`,
or until it is older than ALERT_DAYS: alerts are issued for the situation of the day, and an
older one is background, not news. Nothing dated after the plan date is ever shown: a
replayed date shows only what was known then.
"""

from __future__ import annotations

import datetime as dt
import re

from planner.models import Alert, AlertNote, Country

ALERT_DAYS = 60  # an alert older than two months, never replaced, is no longer shown as news
_CONFIDENCE = {"high": 0, "medium": 1, "low": 2, "unverified": 3}


def in_force(alert: Alert, known: list[Alert], on: dt.date) -> bool:
    """Whether `alert` is in force on `on`, given the alerts `known` on that date."""
    if alert.as_of > on or (alert.until is not None and on > alert.until):
        return False
    if (on - alert.as_of).days > ALERT_DAYS:
        return False
    return alert.id is None or not any(alert.id in later.replaces for later in known)


def alerts_on(country: Country | None, on: dt.date) -> list[AlertNote]:
    """The alerts in force on `on`, newest first (then the surer first)."""
    if country is None:
        return []
    known = [a for a in country.alerts if a.as_of <= on]
    shown = [a for a in known if in_force(a, known, on)]
    shown.sort(key=lambda a: (-a.as_of.toordinal(), _CONFIDENCE[a.confidence]))
    return [
        AlertNote(
            text=a.text,
            source_url=a.source_url,
            as_of=a.as_of,
            confidence=a.confidence,
            issuer=a.issuer,
        )
        for a in shown
    ]


def first_sentence(text: str) -> str:
    """The text up to its first full stop (with "…" if more follows): where space is short
    (the PDF's first page, the short CLI plan), an alert's gist; its whole text elsewhere.
    The stop of an abbreviation with inner stops ("U.S. citizens should depart") ends no
    sentence."""
    for stop in re.finditer(r"\. ", text):
        word = text[: stop.start() + 1].rsplit(" ", 1)[-1]
        if word.count(".") == 1:
            return text[: stop.start() + 1] + " …"
    return text
