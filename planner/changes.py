"""What changed for this traveler between two dates, and each route's verdict over time.

In a crisis the situation moves daily, and no official site says what changed *for these
passports* since last week. Every fact in data/ is dated, so the changes are read off the
data: a route's verdict turning (worked out only on the days something it depends on
changes, not every day), a status record starting or ending for the passports this traveler
shows, a queue report, an exit rule or risk starting or ending for this profile, an alert, a
government's advice for the departure country (the dated history of
planner/advisories/history.py), an entry answer changing (a visa data release or a crisis
override). What does not touch this traveler's routes or rules is left out: a closure for
another nationality is not news for this passport. Nothing after `until` is read: a
replayed date shows only what was known then.
"""

from __future__ import annotations

import bisect
import datetime as dt
import functools
import itertools
import threading
from collections.abc import Iterable
from dataclasses import dataclass

from pydantic import BaseModel, ConfigDict

from planner import entry
from planner.advisories import government
from planner.advisories.history import CITIZENS, IN_FORCE_DAYS, advice_on, evidence
from planner.alerts import first_sentence
from planner.catalog import Catalog, get_catalog
from planner.checks import check_country, check_date, data_begins
from planner.danger import dangers
from planner.errors import InputError
from planner.messages import t
from planner.models import (
    Change,
    ChangeKind,
    Country,
    ExitRule,
    Reason,
    Route,
    RouteOption,
    StatusRecord,
    Traveler,
    applies_to,
)
from planner.positions import positioned
from planner.ranking import compiled, rank_routes
from planner.routes import Context, boards_as, country_name, evaluate, exit_restriction_reasons
from planner.rules import is_national, is_personal, matches

MAX_WINDOW_DAYS = 366  # a year of changes is already more than anyone reads
DEFAULT_DAYS = 7  # "what changed this week": the page's and the PDF's default window
_WORSE = {"go": 0, "caution": 1, "blocked": 2}
_EFFECT = {"blocks": 0, "caution": 1, "info": 2}
# Which changes of a day are said first: what decides a way out, then what may.
_WEIGHT = ("verdict", "alert", "entry", "exit_rule", "status", "risk", "advisory", "wait")
_DAY = dt.timedelta(days=1)


class Segment(BaseModel):
    """A stretch of days over which a route's verdict stayed the same (both ends included)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    route_id: str
    name: str
    start: dt.date
    end: dt.date
    verdict: str


def check_window(
    since: dt.date, until: dt.date, catalog: Catalog, departure: str, today: dt.date
) -> None:
    """The window must be a real stretch of days within the data, as a plan date is."""
    check_date(until, catalog, departure, today)
    if since > until:
        raise InputError(
            f"since date {since.isoformat()} is after the date {until.isoformat()}: "
            "give an earlier since date"
        )
    if (until - since).days > MAX_WINDOW_DAYS:
        raise InputError(f"since date {since.isoformat()} is more than a year before the date")
    check_date(since, catalog, departure, today)


def changes(
    traveler: Traveler,
    departure: str,
    since: dt.date,
    until: dt.date,
    *,
    catalog: Catalog | None = None,
    today: dt.date | None = None,
) -> list[Change]:
    """Every change after `since` up to and including `until` that matters to `traveler`
    leaving `departure`, oldest first (then by kind and subject, so the order is stable)."""
    catalog = catalog or get_catalog()
    departure = check_country(departure)
    check_window(since, until, catalog, departure, today or dt.date.today())
    return _all_changes(_judge(traveler, departure, catalog), since, until)


def _all_changes(judge: _Judge, since: dt.date, until: dt.date) -> list[Change]:
    """The window's changes, day by day: a page's window moves with the plan date, and each
    day's changes are worked out once (a rerun, a tick, asks for the same days again)."""
    found: list[Change] = []
    day = since + _DAY
    while day <= until:
        known = judge.days.get(day)
        if known is None:
            if len(judge.days) >= _DAYS_KEPT:
                judge.days.clear()
            known = judge.days[day] = tuple(_on_day(judge, day))
        found += known
        day += _DAY
    return found


def _on_day(judge: _Judge, day: dt.date) -> list[Change]:
    """What changed on `day` (since the day before), by kind."""
    traveler, departure, before = judge.traveler, judge.departure, day - _DAY
    found = judge.verdict_changes(before, day)
    caused = {(c.route_id, c.source_url) for c in found}
    found += [
        c for c in judge.status_changes(before, day) if (c.route_id, c.source_url) not in caused
    ]
    found += judge.wait_changes(before, day)
    found += judge.entry_changes(before, day)
    found += _rule_changes(judge.country, traveler, departure, before, day)
    found += _alert_changes(judge.country, before, day)
    name = judge.country.name if judge.country else country_name(departure)
    found += _advisory_changes(departure, name, before, day)
    order = {k: i for i, k in enumerate(ChangeKind.__args__)}  # type: ignore[attr-defined]
    return sorted(found, key=lambda c: (order[c.kind], c.subject, c.text))


def timeline(
    traveler: Traveler,
    departure: str,
    since: dt.date,
    until: dt.date,
    route_ids: Iterable[str],
    *,
    catalog: Catalog | None = None,
    today: dt.date | None = None,
) -> list[Segment]:
    """Each named route's verdict from `since` to `until`, as stretches of equal verdict,
    in the order the ids are given; a route not yet known on a day has no stretch then."""
    catalog = catalog or get_catalog()
    departure = check_country(departure)
    check_window(since, until, catalog, departure, today or dt.date.today())
    judge = _judge(traveler, departure, catalog)
    wanted = list(dict.fromkeys(route_ids))
    names = {r.id: r.name for r in judge.routes}
    days = [since, *judge.verdict_dates(since, until)]
    segments: list[Segment] = []
    for route_id in (r for r in wanted if r in names):
        open_at: tuple[dt.date, str] | None = None
        for i, day in enumerate(days):
            verdict = judge.verdicts(day).get(route_id)
            if open_at is not None and verdict != open_at[1]:
                segments.append(_segment(route_id, names, open_at, day - _DAY))
                open_at = None
            if open_at is None and verdict is not None:
                open_at = (day, verdict)
            if i == len(days) - 1 and open_at is not None:
                segments.append(_segment(route_id, names, open_at, until))
    return segments


def _segment(route_id: str, names: dict, start: tuple[dt.date, str], end: dt.date) -> Segment:
    return Segment(
        route_id=route_id, name=names[route_id], start=start[0], end=end, verdict=start[1]
    )


_JUDGES_KEPT = 16
_DAYS_KEPT = 1500  # days of changes a judge keeps: a few years of windows
_judges: dict[tuple[str, str, int], _Judge] = {}
_lock = threading.Lock()


def _judge(traveler: Traveler, departure: str, catalog: Catalog) -> _Judge:
    # One per traveler and data: the page asks for the changes and the timeline on every
    # render, and each day's verdicts are kept inside. Sessions run in threads: the lock
    # keeps the table whole (two threads may still work out the same day twice, harmlessly).
    key = (traveler.model_dump_json(), departure, id(catalog))
    with _lock:
        judge = _judges.get(key)
        if judge is None or judge.catalog is not catalog:
            if len(_judges) >= _JUDGES_KEPT:
                _judges.pop(next(iter(_judges)))
            judge = _judges[key] = _Judge(traveler, departure, catalog)
    return judge


@dataclass
class _Judge:
    """The verdicts of one traveler's routes on any date, worked out once per date."""

    traveler: Traveler
    departure: str
    catalog: Catalog

    def __post_init__(self) -> None:
        self.country: Country | None = self.catalog.country(self.departure)
        self.routes: tuple[Route, ...] = positioned(
            self.catalog.routes_from(self.departure), self.departure
        )
        self.by_id = {r.id: r for r in self.routes}
        self.destinations = sorted({r.to_country for r in self.routes})
        # Worked out once per day (or route and day) and kept: a page asks for a window that
        # moves with the plan date, and most of its days were seen before.
        self._verdicts: dict[dt.date, dict[str, str]] = {}
        self._contexts: dict[dt.date, Context] = {}
        self._turns: dict[tuple[str, dt.date], Change] = {}
        self._entries: dict[dt.date, dict[tuple[str, str], entry.Entry]] = {}
        self.days: dict[dt.date, tuple[Change, ...]] = {}
        self._dates = self._candidate_dates()

    def context(self, on: dt.date) -> Context:
        ctx = self._contexts.get(on)
        if ctx is None:
            ctx = self._contexts[on] = Context(
                traveler=self.traveler,
                on=on,
                country=self.country,
                departure=self.departure,
                location=None,  # where one stands changes the order, never a verdict
                overrides=self.catalog.overrides,
                dangers=dangers(self.traveler.citizenships, self.destinations, on, advice_on),
            )
        return ctx

    def verdicts(self, on: dt.date) -> dict[str, str]:
        """Route id -> verdict on `on`, for the routes known by then (ranking.rank_routes)."""
        known = self._verdicts.get(on)
        if known is None:
            ranking = rank_routes(compiled(list(self.routes)), self.context(on))
            known = self._verdicts[on] = {
                ranking.route_id(i): ranking.verdict(i) for i in range(len(ranking))
            }
        return known

    def option(self, route_id: str, on: dt.date) -> RouteOption:
        ctx = self.context(on)
        return evaluate(self.by_id[route_id], ctx, exit_restriction_reasons(ctx))

    def _candidate_dates(self) -> list[dt.date]:
        """Every day on which a verdict may turn: a route's own records (ranking's change
        dates), and what is the same for all routes: exit rules, entry data and overrides,
        the traveler's governments' advice on the destinations."""
        table = compiled(list(self.routes))
        days = {dt.date.fromordinal(d) for d in set(table.b_date.tolist())}
        if self.country is not None:
            for rule in self.country.exit_rules:
                days |= _spans(rule.date, rule.until, rule.decides_from)
                for x in rule.exemptions:
                    days |= _spans(x.as_of, x.until)
        for rule in self.catalog.overrides:
            days |= _spans(rule.date, rule.until, rule.decides_from)
        days |= set(entry.releases())
        days |= {r.arranged.as_of for r in self.routes if r.arranged is not None}
        sources = {CITIZENS[c] for c in self.traveler.citizenships if c in CITIZENS}
        for country in self.destinations if sources else ():
            for item in evidence(country):
                if item.advisory.source in sources:
                    days |= _spans(item.start, item.until)
                    days.add(item.seen + dt.timedelta(days=IN_FORCE_DAYS + 1))
        return sorted(days)

    def verdict_on(self, route_id: str, on: dt.date) -> str | None:
        """The route's verdict on `on`: as on the last day before it that a verdict may
        have turned (verdicts only turn on candidate days)."""
        i = bisect.bisect_right(self._dates, on)
        return self.verdicts(self._dates[i - 1] if i else on).get(route_id)

    def verdict_dates(self, since: dt.date, until: dt.date) -> list[dt.date]:
        """The days after `since` up to `until` on which a verdict may turn."""
        dates = self._dates
        return dates[bisect.bisect_right(dates, since) : bisect.bisect_right(dates, until)]

    def verdict_changes(self, since: dt.date, until: dt.date) -> list[Change]:
        found = []
        for day in self.verdict_dates(since, until):
            after = self.verdicts(day)
            for route_id, verdict in after.items():
                old = self.verdict_on(route_id, day - _DAY)  # as on the last day it turned
                if old is not None and old != verdict:
                    found.append(self._verdict_change(route_id, day, old, verdict))
        return found

    def _verdict_change(self, route_id: str, day: dt.date, old: str, new: str) -> Change:
        known = self._turns.get((route_id, day))
        if known is None:
            known = self._turns[(route_id, day)] = self._turn(route_id, day, old, new)
        return known

    def _turn(self, route_id: str, day: dt.date, old: str, new: str) -> Change:
        then, now = self.option(route_id, day - _DAY), self.option(route_id, day)
        cause = _cause(then, now, worse=_WORSE[new] > _WORSE[old])
        name = self.by_id[route_id].name
        text = t(
            "changes.verdict",
            before=t(f"pdf.verdict.{old}"),
            after=t(f"pdf.verdict.{new}"),
            why=cause.text if cause else t("changes.verdict.no_reason"),
        )
        return Change(
            date=day,
            kind="verdict",
            subject=name,
            text=text,
            source_url=cause.source_url if cause else self.by_id[route_id].status[0].source_url,
            confidence=cause.confidence if cause else "high",
            route_id=route_id,
            verdict_before=old,
            verdict_after=new,
            personal=cause.personal if cause else False,
        )

    def _shown(self) -> tuple[str, ...]:
        """The passports this traveler may show at a border: their own country's on exit,
        and any valid one on entry (a foreigner's one passport on both sides)."""
        held = self.traveler.valid_passports or self.traveler.citizenships
        return tuple(dict.fromkeys((*held, *self._exit_passports())))

    def _exit_passports(self) -> tuple[str, ...]:
        return (self.departure,) if is_national(self.traveler, self.departure) else ()

    @functools.cached_property
    def _statuses(self) -> list[tuple[Route, list[StatusRecord]]]:
        """Per route, its status records for a passport this traveler shows on that side.
        A departure arranged for others (another government's charter) is no news for this
        traveler whatever its status."""
        shown = {"entry": self._shown(), "exit": self._exit_passports() or self._shown()}
        return [
            (
                route,
                [
                    r
                    for r in route.status
                    if any(applies_to(r.applies_to, p) for p in shown[r.side])
                ],
            )
            for route in self.routes
            if route.arranged is None or boards_as(route.arranged, self.traveler) is not None
        ]

    def status_changes(self, since: dt.date, until: dt.date) -> list[Change]:
        """Status records starting or ending in the window for a passport this traveler
        shows on that side of the border."""
        found = []
        for route, mine in self._statuses:
            # A record that ends the day before another begins is said by the new one.
            starts = {(r.side, r.date) for r in mine}
            for r in mine:
                if since < r.date <= until:
                    text = t("changes.status.new", status=r.status.capitalize(), date=r.dated_as())
                    text += f": {r.note}" if r.note else "."
                    found.append(self._route_change(route, r.date, "status", text, r))
                end = r.until + _DAY if r.until is not None else None
                if end is not None and since < end <= until and (r.side, end) not in starts:
                    text = t("changes.status.ended", status=r.status, date=r.until.isoformat())
                    found.append(self._route_change(route, end, "status", text, r))
        return found

    def wait_changes(self, since: dt.date, until: dt.date) -> list[Change]:
        """Queue reports dated in the window, at routes not blocked for this traveler that day."""
        found = []
        for route in self.routes:
            for w in route.waits:
                if since < w.date <= until and self.verdict_on(route.id, w.date) not in (
                    None,
                    "blocked",
                ):
                    text = t(
                        "changes.wait",
                        hours=f"{w.hours:g}",
                        direction=w.direction,
                        source_type=w.source_type,
                    )
                    found.append(self._route_change(route, w.date, "wait", _with(text, w.note), w))
        return found

    def _route_change(
        self, route: Route, day: dt.date, kind: ChangeKind, text: str, fact
    ) -> Change:
        """A change to one route's facts, with the route's verdict the day before and on
        the day (often the same: a record can change without changing the answer)."""
        return Change(
            date=day,
            kind=kind,
            subject=route.name,
            text=text,
            source_url=fact.source_url,
            confidence=fact.confidence,
            route_id=route.id,
            verdict_before=self.verdict_on(route.id, day - _DAY),
            verdict_after=self.verdict_on(route.id, day),
        )

    @functools.cached_property
    def _entry_dates(self) -> list[dt.date]:
        """The days an entry answer may change: a visa data release, an override's start or
        the day after its end."""
        days = set(entry.releases())
        for rule in self.catalog.overrides:
            days |= _spans(rule.date, rule.until)
        return sorted(days)

    def entry_changes(self, since: dt.date, until: dt.date) -> list[Change]:
        """The entry answer for this traveler's passports at each destination, compared on
        each day a release or an override begins or ends."""
        passports = tuple(self.traveler.valid_passports)
        if not passports:
            return []
        days = [d for d in self._entry_dates if since < d <= until]
        kinds = sorted({(r.to_country, r.kind) for r in self.routes})

        def answers(on: dt.date) -> dict[tuple[str, str], entry.Entry]:
            known = self._entries.get(on)
            if known is None:
                find = entry.EntryFinder(
                    passports,
                    on,
                    visas=self.traveler.visas,
                    avoid=self.departure,
                    overrides=self.catalog.overrides,
                    departure=self.departure,
                )
                known = self._entries[on] = {k: find(*k) for k in kinds}
            return known

        found: list[Change] = []
        for day in days:
            before, after = answers(day - _DAY), answers(day)
            seen: set[tuple[str, str, str]] = set()
            for (country, _), new in after.items():
                old = before.get((country, _))
                if old is None or (old.requirement, old.passport) == (
                    new.requirement,
                    new.passport,
                ):
                    continue
                key = (country, old.requirement, new.requirement)
                if key in seen:  # one line per country, not per kind of route
                    continue
                seen.add(key)
                text = t(
                    "changes.entry",
                    country=country_name(country),
                    passport=new.passport,
                    before=old.requirement,
                    after=new.requirement,
                )
                found.append(
                    Change(
                        date=day,
                        kind="entry",
                        subject=country_name(country),
                        text=_with(text, new.note if new.override_id else ""),
                        source_url=new.source_url,
                    )
                )
        return found


def merged(found: Iterable[Change]) -> list[list[Change]]:
    """The changes by day, newest first, and within a day the same change to several routes
    (same kind, text, source and verdicts) as one group, the weightiest kinds first: what the
    page and the paper print as one line each."""
    lines: list[list[Change]] = []
    by_day = sorted(found, key=lambda c: c.date, reverse=True)
    for _, items in itertools.groupby(by_day, key=lambda c: c.date):
        groups: dict[tuple, list[Change]] = {}
        for c in items:
            key = (c.kind, c.text, c.source_url, c.verdict_before, c.verdict_after)
            groups.setdefault(key, []).append(c)
        lines += sorted(groups.values(), key=lambda g: weight(g[0]))
    return lines


def weight(change: Change) -> int:
    """How much a change weighs, 0 the most: what decides a way out, then what may."""
    return _WEIGHT.index(change.kind)


def subjects(group: list[Change], most: int = 3) -> str:
    """What one merged line is about: "A, B, C and 4 more"."""
    names = [c.subject for c in group]
    text = ", ".join(names[:most])
    if len(names) > most:
        text += " " + t("changes.and_more", n=len(names) - most)
    return text


def recent_changes(
    traveler: Traveler, departure: str, on: dt.date, catalog: Catalog, days: int = DEFAULT_DAYS
) -> list[Change]:
    """The changes of the `days` days up to `on` (from the first day of the data at the
    earliest), for a plan already checked: what its paper lists."""
    since = max(data_begins(catalog, departure), on - dt.timedelta(days=days))
    if since >= on:
        return []
    return _all_changes(_judge(traveler, departure, catalog), since, on)


def _spans(start: dt.date, until: dt.date | None, *more: dt.date) -> set[dt.date]:
    """The days a dated fact starts (or starts to decide) and the day after it ends."""
    days = {start, *more}
    if until is not None:
        days.add(until + _DAY)
    return days


def _with(text: str, note: str) -> str:
    return f"{text} {note}".strip() if note else text


def _cause(before: RouteOption, after: RouteOption, *, worse: bool) -> Reason | None:
    """The sourced reason that turned the verdict: for the worse, a new warning (the
    strongest, then the newest); for the better, a warning that went away; else any new or
    lost sourced reason."""
    old = {(r.text, r.source_url) for r in before.reasons}
    new = {(r.text, r.source_url) for r in after.reasons}
    came = [r for r in after.reasons if (r.text, r.source_url) not in old and r.source_url]
    went = [r for r in before.reasons if (r.text, r.source_url) not in new and r.source_url]
    pool = (came + went) if worse else (went + came)
    pool.sort(key=lambda r: (_EFFECT[r.effect], -(r.as_of or dt.date.min).toordinal()))
    if not worse:  # a warning that went away first, then news that opens the route
        pool.sort(key=lambda r: r.effect == "info")
    return pool[0] if pool else None


def _rule_changes(
    country: Country | None, traveler: Traveler, departure: str, since: dt.date, until: dt.date
) -> list[Change]:
    """Exit rules and risk notes for this profile that start or end in the window."""
    if country is None:
        return []
    found = []
    exit_rules = country.exit_rules if is_national(traveler, departure) else ()
    for rule in (*exit_rules, *country.risks):
        if not matches(rule.when, traveler, departure):
            continue
        is_exit = isinstance(rule, ExitRule)
        kind: ChangeKind = "exit_rule" if is_exit else "risk"
        title = t(f"changes.exit_rule.{rule.effect}") if is_exit else rule.title
        if since < rule.date <= until:
            text = t("changes.rule.new", text=first_sentence(rule.text))
            found.append(_rule_change(rule, rule.date, kind, title, text))
        end = rule.until + _DAY if rule.until is not None else None
        if end is not None and since < end <= until:
            text = t("changes.rule.ended", date=rule.until.isoformat())
            found.append(_rule_change(rule, end, kind, title, text))
    return found


def _rule_change(rule, day: dt.date, kind: ChangeKind, title: str, text: str) -> Change:
    # Call-up rules concern military service whatever their conditions say.
    personal = is_personal(rule.when) or getattr(rule, "category", "") == "conscription"
    return Change(
        date=day,
        kind=kind,
        subject=title,
        text=text,
        source_url=rule.source_url,
        confidence=rule.confidence,
        personal=personal,
    )


def _alert_changes(country: Country | None, since: dt.date, until: dt.date) -> list[Change]:
    """Alerts issued in the window (planner/alerts.py shows them while in force)."""
    if country is None:
        return []
    return [
        Change(
            date=a.as_of,
            kind="alert",
            subject=country_name(a.issuer) if a.issuer else country.name,
            text=a.text,
            source_url=a.source_url,
            confidence=a.confidence,
        )
        for a in country.alerts
        if since < a.as_of <= until
    ]


def _advisory_changes(departure: str, name: str, since: dt.date, until: dt.date) -> list[Change]:
    """Each government's advice for the departure country issued in the window: a new level,
    or new advice at the same level (the UK change history dates every note)."""
    found = []
    items = [e for e in evidence(departure) if since < e.start <= until]
    for source, start in sorted({(e.advisory.source, e.start) for e in items}):
        ours = [e for e in evidence(departure) if e.advisory.source == source]
        now = advice_on(source, departure, start)
        if now is None or now.url is None:
            continue
        then = advice_on(source, departure, start - _DAY)
        old = then.level if then is not None else None
        key = "changes.advisory.same" if old == now.level else "changes.advisory.level"
        if now.level is None:
            key = "changes.advisory.unknown"
        text = t(key, before=old or "?", after=now.level, label=now.label)
        # The summary says why the level stands (for a history note, the note that set it):
        # news only when the level is new.
        summary = next(
            (e.advisory.summary for e in ours if e.start == start and e.advisory.summary), ""
        )
        if old == now.level:
            summary = ""
        found.append(
            Change(
                date=start,
                kind="advisory",
                subject=t(
                    "changes.advisory.subject",
                    government=government(source),
                    country=name,
                ),
                text=_with(text, first_sentence(summary)),
                source_url=str(now.url),
                confidence=now.confidence or "high",
            )
        )
    return found


__all__ = [
    "DEFAULT_DAYS",
    "Change",
    "Segment",
    "changes",
    "check_window",
    "merged",
    "recent_changes",
    "subjects",
    "weight",
    "timeline",
]
