"""Danger at the destination: what the traveler's own governments say about each country a
route leads into, as it stood on the plan date.

A US citizen reads the US advice for Georgia, a British-Russian dual national the UK's; a
government's "do not travel" (level 4) for the country a route leads into makes that route
at least a caution and ranks it after the others, and a level 3 ("reconsider travel") is
said as information. The advice comes from a lookup passed in (`Lookup`; build_plan passes
the advisory history's `advice_on`, planner/advisories/history.py), so this module reads no
file and no clock.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from planner.advisories.history import CITIZENS
from planner.models import DECISIVE, Advisory

Lookup = Callable[[str, str, dt.date], Advisory | None]  # (source id, country, date)
DANGER_LEVEL = 3  # reconsider travel and above are worth saying


def counts(advisory: Advisory) -> bool:
    """Whether advice may decide a verdict: in force on the date (or not judged against
    one), and not a curated level graded low or unverified (planner.advisories.report)."""
    if advisory.in_force is False or advisory.after_plan_date:
        return False
    return advisory.confidence is None or advisory.confidence in DECISIVE


@dataclass(frozen=True)
class Danger:
    """The strongest advice of the traveler's governments against going to one country."""

    country: str
    level: int
    government: str  # ISO code of the government that says it
    advisory: Advisory


def dangers(
    citizenships: Iterable[str], destinations: Iterable[str], on: dt.date, lookup: Lookup
) -> dict[str, Danger]:
    """Per destination, the highest level (3 or 4) any of the traveler's governments gives
    it on `on`, in force on that date; destinations none of them warns about are left out.
    On a tie the first citizenship given wins, so the answer does not depend on set order."""
    sources = [(c, CITIZENS[c]) for c in citizenships if c in CITIZENS]
    found: dict[str, Danger] = {}
    for country in sorted(set(destinations)):
        for government, source in sources:
            advisory = lookup(source, country, on)
            if advisory is None or advisory.level is None or advisory.level < DANGER_LEVEL:
                continue
            if not counts(advisory):  # out of force, or graded low/unverified: said elsewhere
                continue
            best = found.get(country)
            if best is None or advisory.level > best.level:
                found[country] = Danger(country, advisory.level, government, advisory)
    return found
