"""What an advisory look-up returns: the advisories found and where each source stands.

`AdvisoryReport.sources` has one `SourceStatus` per registered source, also for a source
with no data for the country, so no government silently disappears from the screen.
`headline` condenses the advisories into one line for the plan.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Literal

from pydantic import BaseModel, ConfigDict

from planner.advisories import government
from planner.models import Advisory, AdvisoryHeadline

Origin = Literal["live", "snapshot", "none"]


class SourceStatus(BaseModel):
    """One source's state in a report: live, from the bundled snapshot, or nothing."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str
    name: str
    origin: Origin
    snapshot_date: dt.date | None = None
    error: str | None = None  # why the live fetch was not used, if it was tried
    note: str = ""  # e.g. "no snapshot for this country", "no entry for RU in this feed"


class AdvisoryReport(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    country: str
    advisories: tuple[Advisory, ...]
    sources: tuple[SourceStatus, ...]

    @property
    def live(self) -> tuple[str, ...]:
        return tuple(s.id for s in self.sources if s.origin == "live")

    @property
    def from_snapshot(self) -> tuple[str, ...]:
        return tuple(s.id for s in self.sources if s.origin == "snapshot")

    def notices(self) -> tuple[str, ...]:
        """What the plan must say about where its advice comes from: snapshots and gaps."""
        lines = []
        for s in self.sources:
            if s.origin == "snapshot":
                when = s.snapshot_date.isoformat() if s.snapshot_date else "an unknown date"
                lines.append(f"{s.name}: offline snapshot from {when}.")
            elif s.origin == "none":
                lines.append(f"{s.name}: no advice for {self.country} ({s.note or s.error}).")
        return tuple(lines)

    def plan_kwargs(self) -> dict:
        """The keyword arguments build_plan takes from an advisory report."""
        return {
            "advisories": self.advisories,
            "headline": headline(self.advisories),
            "notices": self.notices(),
        }


LEVEL_WORDS: dict[int, str] = {
    1: "normal precautions",
    2: "increased caution",
    3: "reconsider travel",
    4: "do not travel",
}

# A directive to get out now, not "have a plan to leave" or "be prepared to depart".
_LEAVE_NOW = re.compile(
    r"(?<!prepared to )\b(?:leave|depart)\b(?:\s+(?:the\s+country|[A-Z][\w'-]+)){0,3}"
    r"\s+(?:immediately|now|as soon as possible|without delay|while (?:commercial )?options)"
    r"|\b(?:urge|urges|advise|advises)\s+(?:\w+\s+){0,4}to\s+(?:leave|depart)\b"
    r"|\bshould\s+(?:leave|depart)\s+(?:the country\s+)?immediately\b",
    re.IGNORECASE,
)


def says_leave_now(text: str) -> bool:
    """Whether `text` tells readers to leave the country now (not merely not to travel)."""
    return bool(_LEAVE_NOW.search(text))


def headline(advisories: list[Advisory] | tuple[Advisory, ...]) -> AdvisoryHeadline:
    """Highest level, the sources that say it, and whether any source says leave now."""
    levels = [a.level for a in advisories if a.level is not None]
    if not advisories:
        return AdvisoryHeadline(
            level=None, sources=(), leave_now=False, text="No government advisory available."
        )
    leavers = tuple(
        dict.fromkeys(
            a.source
            for a in advisories
            if says_leave_now(" ".join((a.label, a.summary, *a.regional_notes)))
        )
    )
    if not levels:
        top = None
        sources = tuple(dict.fromkeys(a.source for a in advisories))
        text = f"Advisory level unknown ({_names(sources)})."
    else:
        top = max(levels)
        sources = tuple(dict.fromkeys(a.source for a in advisories if a.level == top))
        text = f"Level {top} of 4 ({LEVEL_WORDS[top]}): {_names(sources)}."
    if leavers:
        text += f" Leave now, say: {_names(leavers)}."
    return AdvisoryHeadline(level=top, sources=sources, leave_now=bool(leavers), text=text)


def _names(source_ids: tuple[str, ...]) -> str:
    return ", ".join(government(s) for s in source_ids)
