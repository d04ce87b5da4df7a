"""Ranking a country's routes for one traveler on one date, all routes at once.

evaluate() (routes.py) gives one route's whole answer: reasons with their sources, the
passports to show, the verdict. Ranking needs only three figures per route: the verdict,
the hours to be across (travel + reported wait) and how many cautions. Those follow from a
few facts per route (the status and mode records in force, the waits) and a few per
destination and kind of route (the exit document, the entry, the exit rules), so the routes
are compiled once into a RouteTable of arrays and every plan computes all keys in a handful
of array operations. Whole options are built only for the routes someone looks at:
a `Ranking` is a sequence in rank order that evaluates each item on first access.

An option is also kept across plans. What evaluate() reads about a route alone changes only
on a few dates (a record starts or ends, a fact turns stale, a queue report ages out), so
between two such dates, for the same traveler, distance and answers at the border, the
option is the same: changing the plan date rebuilds only the routes something happened to.

The arrays must say exactly what evaluate() says: tests/test_ranking.py holds the two
against each other on the real data sets and on random routes.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import overload

import numpy as np

from planner import collector
from planner.models import DECISIVE, Place, Route, RouteOption, applies_to
from planner.records import SEVERITY, WAIT_RECENT_DAYS, map_point
from planner.routes import (
    STATUS_STALE_DAYS,
    Context,
    applicable,
    arranged_reasons,
    border,
    danger_level,
    distances,
    evaluate,
    exit_restriction_reasons,
    none_if_nan,
    reach_reasons,
    reach_state,
    usable_modes,
    weigh,
)

_NEVER = dt.date.max.toordinal()
# When nothing else tells two routes apart: a ticketed departure at a fixed time (a flight, a
# ship, a train) before a land crossing, whose queue is unknown without a report.
KIND_ORDER = ("air", "sea", "rail", "land")
_VERDICTS = ("go", "caution", "blocked")
_STALE = STATUS_STALE_DAYS + 1  # days after its date on which a fact counts as stale
_KEPT_OPTIONS = 2048  # options a table keeps across plans (Russia has 62 routes)
_KEPT_TABLES = 8
_KEPT_PLACES = 16
_tables: dict[tuple[int, ...], RouteTable] = {}
# Border answers are numbered once for good: a ranking made before `kept` was cleared can
# never meet a later ranking's different answers under its own number.
_numbers = itertools.count()


def _ints(values: Iterable[int]) -> np.ndarray:
    return np.fromiter(values, dtype=np.int64)


def _flags(values: Iterable[bool]) -> np.ndarray:
    return np.fromiter(values, dtype=bool)


def _index(values: list) -> tuple[tuple, np.ndarray]:
    """The distinct values (first-seen order) and each value's position among them."""
    seen: dict = {}
    codes = _ints(seen.setdefault(v, len(seen)) for v in values)
    return tuple(seen), codes


@dataclass(frozen=True, eq=False)
class RouteTable:
    """The routes' ranking facts as arrays: one row per route, or per record of a route
    (`s_*` status records, `m_*` mode records, `w_*` waits), dates as ordinals. The
    `*_order` permutations sort records so that the record a rule picks comes last in its
    route's run (see `_last`): they encode evaluate()'s tie-breaks."""

    routes: tuple[Route, ...]
    groups: tuple[tuple[str, str], ...]  # (to_country, kind): routes that share a border()
    group: np.ndarray
    land: np.ndarray
    air: np.ndarray
    lat: np.ndarray
    lon: np.ndarray
    first_known: np.ndarray  # the earliest date of any record: unknown before it
    name_rank: np.ndarray
    kind_rank: np.ndarray  # KIND_ORDER: the last tie-break before the name
    with_arranged: np.ndarray
    with_reach: np.ndarray  # routes reached by road only from their own area
    scopes: tuple  # distinct `applies_to` values
    s_route: np.ndarray
    s_side: np.ndarray  # 0 entry, 1 exit
    s_date: np.ndarray
    s_until: np.ndarray
    s_severity: np.ndarray
    s_decisive: np.ndarray
    s_from: np.ndarray  # the first day a record may be decisive (Dated.decides_from)
    s_scope: np.ndarray
    s_order: np.ndarray  # route, side, date, scoped to nationalities, then first record
    mode_sets: tuple[tuple[str, ...], ...]
    m_route: np.ndarray
    m_date: np.ndarray
    m_until: np.ndarray
    m_decisive: np.ndarray
    m_set: np.ndarray
    m_latest: np.ndarray  # route, date, then first record
    m_earliest: np.ndarray  # route, latest date first, then first record
    has_decisive_mode: np.ndarray
    w_route: np.ndarray
    w_date: np.ndarray
    w_hours: np.ndarray
    w_order: np.ndarray  # route, date, hours, then first record
    b_route: np.ndarray  # with b_date: each date a route's own facts may change on
    b_date: np.ndarray
    # Options built by earlier plans, by (route, period, number of the border answers,
    # distance); and the border answers (with the traveler) seen so far, with their numbers.
    kept: dict = field(default_factory=dict, repr=False)
    answers: dict = field(default_factory=dict, repr=False)
    # (km, hours) to every route from the last few places planned from.
    reach: dict = field(default_factory=dict, repr=False)

    @classmethod
    def compile(cls, routes: Sequence[Route]) -> RouteTable:
        routes = tuple(routes)
        # One row of plain integers per record; the collector is paused, as in plan_routes.
        with collector.paused():
            groups, group = _index([(r.to_country, r.kind) for r in routes])
            points = [map_point(r) for r in routes]
            names = [r.name for r in routes]
            scopes: dict = {}
            status = _rows(
                [
                    (
                        i,
                        s.side == "exit",
                        s.date.toordinal(),
                        _NEVER if s.until is None else s.until.toordinal(),
                        SEVERITY[s.status],
                        s.confidence in DECISIVE,
                        s.applies_to != "all",
                        scopes.setdefault(s.applies_to, len(scopes)),
                        s.decides_from.toordinal(),
                    )
                    for i, r in enumerate(routes)
                    for s in r.status
                ],
                9,
            )
            mode_sets: dict = {}
            modes = _rows(
                [
                    (
                        i,
                        m.date.toordinal(),
                        _NEVER if m.until is None else m.until.toordinal(),
                        m.confidence in DECISIVE,
                        mode_sets.setdefault(m.modes, len(mode_sets)),
                    )
                    for i, r in enumerate(routes)
                    for m in r.modes
                ],
                5,
            )
            waits = [
                (i, w.date.toordinal(), w.hours) for i, r in enumerate(routes) for w in r.waits
            ]
        name_rank = {n: i for i, n in enumerate(sorted(set(names)))}
        s_route, s_side, s_date, s_until, s_severity, s_decisive, specific, s_scope, s_from = (
            status.T
        )
        m_route, m_date, m_until, m_decisive, m_set = modes.T
        m_decisive = m_decisive.astype(bool)
        w_route, w_date, w_hours = _rows(waits, 3, dtype=float).T
        first_known = np.full(len(routes), _NEVER, dtype=np.int64)
        np.minimum.at(first_known, m_route, m_date)
        np.minimum.at(first_known, s_route, s_date)
        has_decisive_mode = np.zeros(len(routes), dtype=bool)
        has_decisive_mode[m_route[m_decisive]] = True
        s_first = -np.arange(len(s_route))
        m_first = -np.arange(len(m_route))
        w_route, w_date = w_route.astype(np.int64), w_date.astype(np.int64)
        b_route, b_date = _changes(
            routes,
            (s_route, s_date, s_until, s_from),
            (m_route, m_date, m_until),
            (w_route, w_date),
        )
        return cls(
            routes=routes,
            groups=groups,
            group=group,
            land=_flags(r.kind == "land" for r in routes),
            air=_flags(r.kind == "air" for r in routes),
            lat=np.fromiter((np.nan if p.lat is None else p.lat for p in points), dtype=float),
            lon=np.fromiter((np.nan if p.lon is None else p.lon for p in points), dtype=float),
            first_known=first_known,
            name_rank=_ints(name_rank[n] for n in names),
            kind_rank=_ints(KIND_ORDER.index(r.kind) for r in routes),
            with_arranged=_ints(i for i, r in enumerate(routes) if r.arranged is not None),
            with_reach=_ints(i for i, r in enumerate(routes) if r.reach is not None),
            scopes=tuple(scopes),
            s_route=s_route,
            s_side=s_side,
            s_date=s_date,
            s_until=s_until,
            s_severity=s_severity,
            s_decisive=s_decisive.astype(bool),
            s_from=s_from,
            s_scope=s_scope,
            s_order=np.lexsort((s_first, specific, s_date, s_side, s_route)),
            mode_sets=tuple(mode_sets),
            m_route=m_route,
            m_date=m_date,
            m_until=m_until,
            m_decisive=m_decisive,
            m_set=m_set,
            m_latest=np.lexsort((m_first, m_date, m_route)),
            m_earliest=np.lexsort((m_first, -m_date, m_route)),
            has_decisive_mode=has_decisive_mode,
            w_route=w_route,
            w_date=w_date,
            w_hours=w_hours,
            w_order=np.lexsort((-np.arange(len(waits)), w_hours, w_date, w_route)),
            b_route=b_route,
            b_date=b_date,
        )

    def periods(self, on: int) -> np.ndarray:
        """Per route, which stretch between its change dates `on` falls in."""
        return np.bincount(self.b_route[self.b_date <= on], minlength=len(self.routes))

    def distances(self, location: Place | None) -> tuple[np.ndarray, np.ndarray]:
        """(km, hours) from `location` to each route (routes.distances), kept per place."""
        key = None if location is None else (location.lat, location.lon)
        known = self.reach.get(key)
        if known is None:
            areas = {i: self.routes[i].reach.area for i in self.with_reach.tolist()}
            known = distances(self.lat, self.lon, self.air, location, areas)
            if len(self.reach) >= _KEPT_PLACES:
                self.reach.pop(next(iter(self.reach)), None)
            self.reach[key] = known
        return known

    def keep(self, key: tuple, option: RouteOption) -> None:
        if len(self.kept) >= _KEPT_OPTIONS:
            self.kept.clear()  # rare: a fresh start costs one plan its reuse
            self.answers.clear()
        self.kept[key] = option

    def forget(self) -> None:
        """Drop what is kept from earlier plans: options and distances (a benchmark's cold
        start)."""
        self.kept.clear()
        self.answers.clear()
        self.reach.clear()


def compiled(routes: Sequence[Route]) -> RouteTable:
    """The table of these very route objects, compiled once: a plan for another date or
    traveler over the same data reuses it (and the options it keeps)."""
    key = tuple(map(id, routes))
    table = _tables.get(key)
    if table is None:
        table = RouteTable.compile(routes)  # holds the routes: their ids stay theirs
        if len(_tables) >= _KEPT_TABLES:
            _tables.pop(next(iter(_tables)), None)
        _tables[key] = table
    return table


def _changes(routes: tuple[Route, ...], status: tuple, modes: tuple, waits: tuple) -> tuple:
    """(route, date) of every day on which something evaluate() reads about a route alone
    may change, sorted: a status or mode record comes into or out of force (or, roughly
    dated, becomes decisive), a status record or a note turns stale or a note is first
    known, a queue report comes or ages out.
    (Mode and arranged-departure reasons are never stale.) tests/test_ranking.py fails if
    one is missing."""
    s_route, s_date, s_until, s_from = status
    m_route, m_date, m_until = modes
    w_route, w_date = waits
    noted = [(i, n.as_of.toordinal()) for i, r in enumerate(routes) for n in r.notes]
    n_route, n_date = np.array(noted, dtype=np.int64).reshape(-1, 2).T
    s_ends, m_ends = s_until < _NEVER, m_until < _NEVER
    rough = s_from > s_date  # a roughly dated record becomes decisive later
    route = np.concatenate(
        (s_route, s_route, s_route[s_ends], m_route, m_route[m_ends], w_route, w_route,
         n_route, n_route, s_route[rough])
    )  # fmt: skip
    date = np.concatenate(
        (s_date, s_date + _STALE, s_until[s_ends] + 1, m_date, m_until[m_ends] + 1, w_date,
         w_date + WAIT_RECENT_DAYS + 1, n_date, n_date + _STALE, s_from[rough])
    )  # fmt: skip
    order = np.lexsort((date, route))
    return route[order], date[order]


def _rows(rows: list[tuple], width: int, dtype: type = np.int64) -> np.ndarray:
    """Records as a 2-D array, one row each (also when there are none)."""
    return np.array(rows, dtype=dtype).reshape(-1, width)


def _last(order: np.ndarray, mask: np.ndarray, run: np.ndarray, runs: int) -> np.ndarray:
    """Per run (e.g. per route), the last record in `order` that `mask` keeps; -1 if none.
    `order` must list each run's records together, runs ascending."""
    kept = order[mask[order]]
    r = run[kept]
    last = np.ones(len(kept), dtype=bool)
    last[:-1] = r[:-1] != r[1:]
    out = np.full(runs, -1, dtype=np.int64)
    out[r[last]] = kept[last]
    return out


@dataclass
class _Tally:
    """Per route: a decisive fact blocks, anything is more than information, cautions."""

    blocks: np.ndarray
    flagged: np.ndarray
    cautions: np.ndarray

    def add(self, blocks, flagged, cautions) -> None:
        self.blocks |= blocks
        self.flagged |= flagged
        self.cautions += cautions

    def add_row(self, row: int, reasons: list) -> None:
        """One route's own reasons (evaluate() words them), weighed and counted."""
        blocks, flagged, cautions = weigh(reasons)
        self.blocks[row] |= blocks
        self.flagged[row] |= flagged
        self.cautions[row] += cautions


@dataclass(frozen=True)
class _Borders:
    """Per group of routes: the tally of the reasons they all share (exit rules, exit
    document, entry), the passport whose status each side of the border reads, as a column
    of `passports` (-1: no passport), and the number of these answers in the table's
    `answers` (with the traveler: all else evaluate() reads besides the route)."""

    shared: _Tally
    passports: list[str]
    entry_holder: np.ndarray
    exit_holder: np.ndarray
    answers: list[int]


def _borders(t: RouteTable, ctx: Context, exit_reasons: list, memo: dict) -> _Borders:
    tallies, holders, answers = [], [], []
    for to_country, kind in t.groups:
        at = border(to_country, kind, ctx, memo)
        rules = applicable(exit_reasons, kind)
        tallies.append(weigh([*rules, *at.exit_reasons, *at.entry_reasons]))
        holders.append(at.holders)
        seen = (
            ctx.traveler,
            at.exit_passport,
            at.chosen,
            tuple(at.exit_reasons),
            tuple(at.entry_reasons),
            tuple(rules),
        )
        number = t.answers.get(seen)
        if number is None:
            number = t.answers[seen] = next(_numbers)
        answers.append(number)
    passports = sorted({p for h in holders if h is not None for p in h})
    column = {p: i for i, p in enumerate(passports)}
    return _Borders(
        shared=_Tally(
            _flags(b for b, _, _ in tallies),
            _flags(f for _, f, _ in tallies),
            _ints(c for _, _, c in tallies),
        ),
        passports=passports,
        entry_holder=_ints(column[h[0]] if h else -1 for h in holders),
        exit_holder=_ints(column[h[1]] if h else -1 for h in holders),
        answers=answers,
    )


def _stricter(t: RouteTable, entry: np.ndarray, exit: np.ndarray) -> np.ndarray:
    """Per route, the stricter side's record (severity, then date; entry on a tie)."""
    sev, date = t.s_severity, t.s_date
    e, x = np.maximum(entry, 0), np.maximum(exit, 0)
    wins = (sev[x] > sev[e]) | ((sev[x] == sev[e]) & (date[x] > date[e]))
    return np.where((exit >= 0) & ((entry < 0) | wins), exit, entry)


def _status(t: RouteTable, on: int, borders: _Borders, n: int) -> tuple:
    """evaluate()'s status reasons, tallied: none confirmed (caution), restricted
    (caution), closed (blocks), and a later unconfirmed report (caution); and per route
    whether a confirmed status is known at all."""
    passports = borders.passports
    has = borders.entry_holder[t.group] >= 0
    if len(t.s_route) == 0:
        return (np.zeros(n, dtype=bool), has, has.astype(np.int64)), np.zeros(n, dtype=bool)
    # The last column (index -1: no passport) matches nothing.
    covers = np.zeros((len(t.scopes), len(passports) + 1), dtype=bool)
    for i, scope in enumerate(t.scopes):
        covers[i, :-1] = [applies_to(scope, p) for p in passports]
    g = t.group[t.s_route]
    holder = np.where(t.s_side == 0, borders.entry_holder[g], borders.exit_holder[g])
    valid = (t.s_date <= on) & (on <= t.s_until) & covers[t.s_scope, holder]
    run = t.s_route * 2 + t.s_side

    def pick(mask: np.ndarray) -> np.ndarray:
        per_side = _last(t.s_order, mask, run, 2 * n)
        return _stricter(t, per_side[0::2], per_side[1::2])

    latest, decisive = pick(valid), pick(valid & t.s_decisive & (t.s_from <= on))
    severity = np.where(decisive >= 0, t.s_severity[np.maximum(decisive, 0)], -1)
    unconfirmed = has & (decisive < 0)
    restricted = severity == 1
    closed = severity == 2
    rumour = (latest >= 0) & (latest != decisive)
    return (
        closed,
        unconfirmed | restricted | closed | rumour,
        unconfirmed.astype(np.int64) + restricted + rumour,
    ), decisive >= 0


def _modes(t: RouteTable, on: int, has_car: bool, n: int) -> tuple:
    """evaluate()'s means reasons, tallied (see routes._means and _allowed)."""
    in_force = (t.m_date <= on) & (on <= t.m_until)

    def pick(pool: np.ndarray) -> np.ndarray:
        current = _last(t.m_latest, pool & in_force, t.m_route, n)
        return np.where(current >= 0, current, _last(t.m_earliest, pool, t.m_route, n))

    record = pick(t.m_decisive | ~t.has_decisive_mode[t.m_route])
    rumour = pick(np.ones(len(t.m_route), dtype=bool)) != record
    # Per distinct set of modes and [off land, on land]: a caution, or a block.
    caution = np.zeros((len(t.mode_sets), 2), dtype=np.int64)
    blocks = np.zeros((len(t.mode_sets), 2), dtype=bool)
    for i, modes in enumerate(t.mode_sets):
        for land in (0, 1):
            _, problem = usable_modes(modes, bool(land), has_car)
            caution[i, land] = problem in ("unknown", "no foot", "no car")
            blocks[i, land] = problem == "car only"
    chosen, land = t.m_set[record], t.land.astype(np.int64)
    set_caution = caution[chosen, land]
    set_blocks = blocks[chosen, land]
    return (
        set_blocks & t.m_decisive[record],
        rumour | (set_caution > 0) | set_blocks,
        rumour.astype(np.int64) + set_caution,
    )


def _waits(t: RouteTable, on: int, n: int) -> np.ndarray:
    """Per route, the hours of the latest (then longest) wait of the last week; NaN if none."""
    if len(t.w_route) == 0:
        return np.full(n, np.nan)
    age = on - t.w_date
    pick = _last(t.w_order, (age >= 0) & (age <= WAIT_RECENT_DAYS), t.w_route, n)
    return np.where(pick >= 0, t.w_hours[np.maximum(pick, 0)], np.nan)


class Ranking(Sequence[RouteOption]):
    """The routes known on the plan date in rank order; each option is built when first
    asked for (or taken from an earlier plan's, when nothing it says has changed), so a page
    of results out of 100,000 routes costs a page of evaluate()."""

    def __init__(
        self,
        table: RouteTable,
        ctx: Context,
        order: np.ndarray,
        verdict: np.ndarray,
        distance: tuple[np.ndarray, np.ndarray],
        shared: tuple[list, dict, list[int]],
        reach: np.ndarray,
    ) -> None:
        self._table, self._ctx, self._order = table, ctx, order
        self._verdict, self._distance = verdict, distance
        # The exit rules, the border() memo and the numbered border answers of the ranking:
        # nothing is worked out twice.
        self._exit_reasons, self._memo, self._answers = shared
        self._reach = reach  # routes.reach_state per route: its reasons depend on the place
        self._built: dict[int, RouteOption] = {}
        self._periods: np.ndarray | None = None  # worked out on the first option built

    def __len__(self) -> int:
        return len(self._order)

    @overload
    def __getitem__(self, i: int) -> RouteOption: ...
    @overload
    def __getitem__(self, i: slice) -> list[RouteOption]: ...
    def __getitem__(self, i):
        if isinstance(i, slice):
            return [self[j] for j in range(*i.indices(len(self)))]
        row = int(self._order[i])
        option = self._built.get(row)
        if option is None:
            table = self._table
            if self._periods is None:
                self._periods = table.periods(self._ctx.on.toordinal())
            km, hours = (none_if_nan(a[row]) for a in self._distance)
            answers = self._answers[table.group[row]]
            key = (row, int(self._periods[row]), answers, km, hours, int(self._reach[row]))
            option = table.kept.get(key)
            if option is None:
                route = table.routes[row]
                option = evaluate(
                    route, self._ctx, self._exit_reasons, distance=(km, hours), memo=self._memo
                )
                table.keep(key, option)
            self._built[row] = option
        return option

    def verdict(self, i: int) -> str:
        """The verdict of the i-th route, without building its option."""
        return _VERDICTS[self._verdict[self._order[i]]]

    def route_id(self, i: int) -> str:
        """The id of the i-th route, without building its option."""
        return self._table.routes[int(self._order[i])].id


def rank_routes(table: RouteTable, ctx: Context) -> Ranking:
    """The order of ORDER_RULES over the whole table, in a handful of array operations."""
    n = len(table.routes)
    on = ctx.on.toordinal()
    exit_reasons, memo = exit_restriction_reasons(ctx), {}
    borders = _borders(table, ctx, exit_reasons, memo)
    shared, group = borders.shared, table.group
    tally = _Tally(shared.blocks[group], shared.flagged[group], shared.cautions[group])
    status, confirmed = _status(table, on, borders, n)
    tally.add(*status)
    tally.add(*_modes(table, on, ctx.traveler.has_car, n))
    eligible = np.zeros(n, dtype=bool)
    for row in table.with_arranged.tolist():
        reasons = arranged_reasons(table.routes[row], ctx)
        tally.add_row(row, reasons)
        eligible[row] = all(r.effect != "blocks" for r in reasons)
    reach = np.zeros(n, dtype=np.int64)
    for row in table.with_reach.tolist():
        reach[row] = reach_state(table.routes[row].reach, ctx.location)
        tally.add_row(row, reach_reasons(table.routes[row], ctx))
    verdict = np.where(tally.blocks, 2, np.where(tally.flagged, 1, 0))
    level = _ints(danger_level(to, ctx) for to, _ in table.groups)[group]
    km, hours = table.distances(ctx.location)
    wait = _waits(table, on, n)
    total = np.where(np.isnan(hours), np.inf, hours) + np.where(np.isnan(wait), 0.0, wait)
    known = np.flatnonzero(table.first_known <= on)
    keys = (  # np.lexsort: the last key decides first
        table.name_rank[known],
        table.kind_rank[known],
        ~confirmed[known],
        level[known] == 3,
        verdict[known],
        tally.cautions[known],
        total[known],
        ~(eligible & confirmed)[known],  # boardable and known to run on the date
        level[known] >= 4,
        verdict[known] == 2,
    )
    order = known[np.lexsort(keys)]
    worked_out = (exit_reasons, memo, borders.answers)
    return Ranking(table, ctx, order, verdict, (km, hours), worked_out, reach)


def plan_routes(routes: Iterable[Route], ctx: Context) -> list[RouteOption]:
    """Every route known on the plan date, evaluated in full, best first."""
    ranking = rank_routes(compiled(list(routes)), ctx)
    with collector.paused():
        return list(ranking)
