"""What an advisory look-up returns: the advisories found and where each source stands.

`AdvisoryReport.sources` has one `SourceStatus` per registered source, also for a source
with no data for the country, so no government silently disappears from the screen.
`for_date` judges the report for a plan date: per source, the newest advice known on that
date (history.py), with `in_force`, and the newer advice as fetched, labelled as after the
plan date. `headline` condenses the rows in force into one line for the plan.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Literal

from pydantic import BaseModel, ConfigDict

from planner.advisories import government, history
from planner.danger import counts
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
    """Per source, its advice for one country: as fetched (`on` None), or judged for the
    plan date `on` (see `for_date`)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    country: str
    advisories: tuple[Advisory, ...]
    sources: tuple[SourceStatus, ...]
    on: dt.date | None = None  # the plan date the rows are judged for; None: as fetched
    latest: tuple[Advisory, ...] = ()  # dated reports keep the rows as fetched, to re-date
    evidence: tuple[history.Evidence, ...] = ()  # every dated piece known for the country

    @property
    def live(self) -> tuple[str, ...]:
        return tuple(s.id for s in self.sources if s.origin == "live")

    @property
    def from_snapshot(self) -> tuple[str, ...]:
        return tuple(s.id for s in self.sources if s.origin == "snapshot")

    def for_date(self, on: dt.date) -> AdvisoryReport:
        """This report judged for plan date `on`. Per source: the newest advice issued on or
        before `on` (as fetched, recorded, read from a change history or curated), with
        `in_force`; then, if the advice as fetched is newer than `on`, that too, marked
        `after_plan_date` (shown for reference, never counted). A source with neither says
        "no advice known on <date>"."""
        fetched = self.latest if self.on is not None else self.advisories
        rows: list[Advisory] = []
        statuses: list[SourceStatus] = []
        for status in self.sources:
            current = next((a for a in fetched if a.source == status.id), None)
            found = [e for e in self.evidence if e.advisory.source == status.id]
            now = history.of_advisory(current) if current is not None else None
            dated = history.pick([*found, *([now] if now else [])], on)
            if dated is None and current is not None and now is None:
                dated = current.model_copy(update={"in_force": False})  # no date to judge by
            if dated is not None:
                rows.append(dated)
            if now is not None and now.start > on:
                rows.append(current.model_copy(update={"in_force": False, "after_plan_date": True}))
            note = status.note if status.origin != "none" else ""
            if dated is None:
                note = f"no advice known on {on.isoformat()}"
            statuses.append(status.model_copy(update={"note": note}))
        return self.model_copy(
            update={
                "advisories": tuple(rows),
                "sources": tuple(statuses),
                "on": on,
                "latest": tuple(fetched),
            }
        )

    def notices(self) -> tuple[str, ...]:
        """What the plan must say about where its advice comes from: snapshots, gaps, and
        (judged for a date) advice too old to count or newer than the plan date."""
        lines = []
        for s in self.sources:
            if s.origin == "snapshot":
                when = s.snapshot_date.isoformat() if s.snapshot_date else "an unknown date"
                lines.append(f"{s.name}: offline snapshot from {when}.")
            elif s.origin == "none" and self.on is None:
                lines.append(f"{s.name}: no advice for {self.country} ({s.note or s.error}).")
        if self.on is None:
            return tuple(lines)
        on = self.on.isoformat()
        shown = {a.source for a in self.advisories if not a.after_plan_date}
        for s in self.sources:
            if s.id not in shown:
                lines.append(f"{s.name}: no advice known for {self.country} on {on}.")
        for a in self.advisories:
            if a.in_force is False and not a.after_plan_date:
                when = a.updated.date().isoformat() if a.updated else "an unknown date"
                lines.append(
                    f"{government(a.source)}: the newest advice known on {on} is dated {when} "
                    f"and was last seen more than {history.IN_FORCE_DAYS // 365} years before "
                    "that day; it may no longer have held, so it does not count."
                )
        after = [a for a in self.advisories if a.after_plan_date]
        if after:
            listed = ", ".join(
                f"{government(a.source)} ({a.updated.date().isoformat() if a.updated else '?'})"
                for a in after
            )
            lines.append(
                f"Advice dated after your plan date is shown for reference only, not what it "
                f"said on {on}: {listed}. It does not count toward the headline."
            )
        return tuple(lines)

    def headline(self) -> AdvisoryHeadline:
        """The headline over the rows in force (all rows, for a report not judged for a date)."""
        return headline(self.advisories)

    def plan_kwargs(self) -> dict:
        """The keyword arguments build_plan takes from an advisory report: the report itself,
        which build_plan judges for the plan date."""
        return {"advisory_report": self}


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
    """Highest level, the sources that say it, and whether any source says leave now: over
    the rows that count (see `counts`); rows as fetched, not judged for a date, all count."""
    if not advisories:
        return AdvisoryHeadline(
            level=None, sources=(), leave_now=False, text="No government advisory available."
        )
    usable = [a for a in advisories if counts(a)]
    if not usable:
        return AdvisoryHeadline(
            level=None,
            sources=(),
            leave_now=False,
            text="No government advice known to be in force on the plan date.",
        )
    levels = [a.level for a in usable if a.level is not None]
    leavers = tuple(
        dict.fromkeys(
            a.source
            for a in usable
            if says_leave_now(" ".join((a.label, a.summary, *a.regional_notes)))
        )
    )
    if not levels:
        top = None
        sources = tuple(dict.fromkeys(a.source for a in usable))
        text = f"Advisory level unknown ({_names(sources)})."
    else:
        top = max(levels)
        sources = tuple(dict.fromkeys(a.source for a in usable if a.level == top))
        text = f"Level {top} of 4 ({LEVEL_WORDS[top]}): {_names(sources)}."
    if leavers:
        text += f" Leave now, say: {_names(leavers)}."
    return AdvisoryHeadline(level=top, sources=sources, leave_now=bool(leavers), text=text)


def _names(source_ids: tuple[str, ...]) -> str:
    return ", ".join(government(s) for s in source_ids)
