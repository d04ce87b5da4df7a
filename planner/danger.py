"""Danger at the destination: what the traveler's own governments say about each country a
route leads into, as it stood on the plan date.

A US citizen reads the US advice for Georgia, a British-Russian dual national the UK's; a
government's "do not travel" (level 4) for the country a route leads into makes that route
at least a caution and ranks it after the others, and a level 3 ("reconsider travel") is
said as information. The advice comes from a lookup passed in (`Lookup`: the advisory
history, planner/advisories/history.py), so this module reads no file and no clock.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from planner.models import Advisory

# The government whose advice a citizen reads, by citizenship: the feeds we have.
SOURCE_OF = {
    "US": "us_state_rss",
    "GB": "uk_fcdo",
    "CA": "canada",
    "DE": "germany",
    "AU": "australia",
}
Lookup = Callable[[str, str, dt.date], Advisory | None]  # (source id, country, date)
DANGER_LEVEL = 3  # reconsider travel and above are worth saying


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
    sources = [(c, SOURCE_OF[c]) for c in citizenships if c in SOURCE_OF]
    found: dict[str, Danger] = {}
    for country in sorted(set(destinations)):
        for government, source in sources:
            advisory = lookup(source, country, on)
            if advisory is None or advisory.level is None or advisory.level < DANGER_LEVEL:
                continue
            if getattr(advisory, "in_force", True) is False:
                continue
            best = found.get(country)
            if best is None or advisory.level > best.level:
                found[country] = Danger(country, advisory.level, government, advisory)
    return found
