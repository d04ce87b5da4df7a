"""The array ranking against the plain one: evaluate() every route, then sort by DESIGN.md
rule 6. Both must give the same options in the same order, on the real data sets and on
random routes built to reach every branch (sides, scopes, unverified records, waits, modes,
arranged departures, missing coordinates)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
import random

import pytest

from planner import geo
from planner import ranking as ranking_module
from planner.catalog import get_catalog
from planner.danger import Danger
from planner.models import (
    Advisory,
    AllExcept,
    Area,
    Arranged,
    ModeRecord,
    Place,
    Reach,
    Route,
    RouteNote,
    StatusRecord,
    Traveler,
    WaitReport,
)
from planner.ranking import KIND_ORDER, RouteTable, compiled, plan_routes, rank_routes
from planner.records import known_on
from planner.routes import Context, boards_as, evaluate, exit_restriction_reasons

D = dt.date
SRC = "https://example.org/source"
VERDICT_ORDER = {"go": 0, "caution": 1, "blocked": 2}
DESTINATIONS = ("GE", "KZ", "FI", "TR", "AM", "DE")  # of the random routes


def reference(routes: list[Route], ctx: Context) -> list:
    """The order written plainly (ranking.rank_routes): blocked last; routes into a country
    one of the traveler's governments says not to travel to after the others; arranged
    departures the traveler may board, with a confirmed status on the date, first; then
    time to be across (travel + wait, unknown last); fewer cautions; go before caution;
    "reconsider travel" destinations after; a confirmed status before none; kind
    (KIND_ORDER); name; then the data's order."""
    exit_reasons = exit_restriction_reasons(ctx)
    known = [r for r in routes if known_on(r, ctx.on)]
    options = [(evaluate(r, ctx, exit_reasons), r) for r in known]

    def key(pair):
        o, route = pair
        total = (o.hours if o.hours is not None else math.inf) + (o.wait_hours or 0)
        cautions = sum(r.effect == "caution" for r in o.reasons)
        danger = ctx.dangers[o.to_country].level if o.to_country in ctx.dangers else 0
        eligible = (
            route.arranged is not None
            and boards_as(route.arranged, ctx.traveler) is not None
            and o.status != "unknown"
        )
        return (
            o.verdict == "blocked",
            danger >= 4,
            not eligible,
            total,
            cautions,
            VERDICT_ORDER[o.verdict],
            danger == 3,
            o.status == "unknown",
            KIND_ORDER.index(o.kind),
            o.name,
        )

    return [o for o, _ in sorted(options, key=key)]


def check_same(routes: list[Route], ctx: Context) -> list:
    expected = reference(routes, ctx)
    ranking = rank_routes(RouteTable.compile(routes), ctx)
    assert [o.id for o in ranking] == [o.id for o in expected]
    assert list(ranking) == expected
    assert [ranking.verdict(i) for i in range(len(ranking))] == [o.verdict for o in expected]
    return expected


def context(
    traveler: Traveler, on: D, departure: str, near: str | None, warned: int = 0
) -> Context:
    """The context of a plan; with `warned`, that many destinations (chosen by the date)
    carry a level 3 or 4 warning from one of the traveler's governments."""
    catalog = get_catalog()
    rng = random.Random(f"{on}{departure}{warned}")
    countries = sorted({r.to_country for r in catalog.routes_from(departure)} | set(DESTINATIONS))
    dangers = {}
    for country in rng.sample(countries, warned):
        level = rng.choice((3, 4))
        advisory = Advisory(
            source="us_state_rss", country=country, level=level, label=f"Level {level}", url=SRC
        )
        dangers[country] = Danger(country, level, traveler.citizenships[0], advisory)
    return Context(
        traveler=traveler,
        on=on,
        country=catalog.country(departure),
        departure=departure,
        location=geo.find_place(near, country=departure) if near else None,
        overrides=catalog.overrides,
        dangers=dangers,
    )


TRAVELERS = {
    "dual man": Traveler(citizenships=("US", "RU"), sex="male", age=30),
    "dual man, RU passport lapsed": Traveler(
        citizenships=("US", "RU"), passports=("US",), sex="male", age=30
    ),
    "national woman, no car": Traveler(citizenships=("RU",), sex="female", age=40, has_car=False),
    "reservist": Traveler(citizenships=("RU",), sex="male", age=45, military_status="reservist"),
    "foreigner": Traveler(citizenships=("DE",), has_car=False),
    "Ukrainian man": Traveler(citizenships=("UA",), sex="male", age=35),
    "Israeli-American": Traveler(citizenships=("IL", "US"), sex="female", age=28),
    "no passport": Traveler(citizenships=("RU",), passports=(), sex="male", age=25),
    "spouse of an American": Traveler(citizenships=("RU",), family_of=("US",), sex="female"),
    "US resident": Traveler(citizenships=("RU",), residences=("US",), sex="male", age=50),
}

CASES = [
    ("RU", "Moscow", D(2022, 2, 27)),
    ("RU", "Saint Petersburg", D(2022, 9, 28)),
    ("RU", None, D(2023, 6, 1)),
    ("UA", "Kyiv", D(2022, 2, 26)),
    ("UA", None, D(2022, 4, 1)),
    ("IL", "Tel Aviv", D(2023, 10, 15)),
    ("IL", None, D(2025, 6, 20)),
    ("LB", "Beirut", D(2024, 10, 5)),
    ("LB", None, D(2024, 10, 26)),
]


@pytest.mark.parametrize("departure, near, on", CASES)
@pytest.mark.parametrize("who", sorted(TRAVELERS))
@pytest.mark.parametrize("warned", [0, 4])
def test_real_routes_rank_as_evaluated(departure, near, on, who, warned):
    routes = list(get_catalog().routes_from(departure))
    expected = check_same(routes, context(TRAVELERS[who], on, departure, near, warned))
    assert expected, "every case plans at least one route"


def random_routes(n: int, seed: int) -> list[Route]:
    rng = random.Random(seed)
    # Few distinct dates: records of the same day on one side or both test the tie-breaks.
    days = [D(2022, 1, 1) + dt.timedelta(days=rng.randint(0, 400)) for _ in range(12)]
    day = lambda: rng.choice(days)  # noqa: E731

    def dated(**kw):
        start = day()
        until = start + dt.timedelta(days=rng.randint(0, 90)) if rng.random() < 0.2 else None
        return dict(
            date=start,
            until=until,
            source_url=SRC,
            confidence=rng.choice(("high", "medium", "low", "unverified")),
            **kw,
        )

    def rough(fields):
        """Some records dated only to the month or year (their first day, as the data
        guide says): decisive only once that period is over."""
        precision = rng.choice(("day", "day", "day", "month", "year"))
        start = fields["date"]
        if precision == "month":
            start = start.replace(day=1)
        elif precision == "year":
            start = start.replace(month=1, day=1)
        until = fields["until"]
        if until is not None and until < start:
            until = None
        return {**fields, "date": start, "until": until, "date_precision": precision}

    scopes = ["all", ("RU",), ("US",), ("UA", "RU"), AllExcept(all_except=("RU",))]
    mode_sets = [("car",), ("car", "bus"), ("bus", "train"), ("car", "bus", "foot"), ()]
    routes = []
    for i in range(n):
        kind = rng.choice(("land", "land", "air", "sea", "rail"))
        lat = None if rng.random() < 0.1 else 55 + rng.uniform(-8, 8)
        place = Place(name=f"P{i}", lat=lat, lon=None if lat is None else 37 + rng.uniform(-10, 10))
        status = tuple(
            StatusRecord(
                **rough(
                    dated(
                        status=rng.choice(("open", "restricted", "closed")),
                        applies_to=rng.choice(scopes),
                        side=rng.choice(("entry", "exit")),
                    )
                )
            )
            for _ in range(rng.randint(0, 4))
        )
        modes = tuple(
            ModeRecord(**dated(modes=rng.choice(mode_sets))) for _ in range(rng.randint(1, 3))
        )
        waits = tuple(
            WaitReport(
                date=day(),
                hours=rng.choice((0, 1.5, 6, 30)),
                direction="exit",
                source_type="crowd",
                source_url=SRC,
            )
            for _ in range(rng.choice((0, 0, 1, 3)))
        )
        notes = tuple(
            RouteNote(
                text=f"Note {j}.",
                as_of=day(),
                source_url=SRC,
                confidence=rng.choice(("high", "low")),
                applies_to=rng.choice(("all", ("US",), AllExcept(all_except=("RU",)))),
            )
            for j in range(rng.choice((0, 0, 1, 2)))
        )
        arranged = None
        if rng.random() < 0.05:
            arranged = Arranged(
                government="US",
                eligible=rng.choice((("US",), ("DE", "FR"))),
                residents=rng.random() < 0.5,
                family=rng.random() < 0.5,
                cost="free",
                text="Charter.",
                as_of=day(),
                source_url=SRC,
            )
        reach = None
        if rng.random() < 0.1:
            # Around Moscow (one of the places planned from) or away from it.
            south, west = rng.choice(((52.0, 32.0), (50.0, 18.0)))
            reach = Reach(
                area=Area(south=south, west=west, north=south + 6, east=west + 8),
                by=("flight",),
                text="By air.",
                as_of=day(),
                source_url=SRC,
            )
        routes.append(
            Route(
                id=f"r{i}",
                kind=kind,
                # Some equal names: the order must then keep the data's order.
                name=f"Route {rng.randint(0, n // 2)}",
                departure=place,
                to_country=rng.choice(DESTINATIONS),
                modes=modes,
                status=status,
                waits=waits,
                notes=notes,
                arranged=arranged,
                reach=reach,
            )
        )
    return routes


@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize("near", ["Moscow", None])
def test_random_routes_rank_as_evaluated(seed, near):
    routes = random_routes(300, seed)
    rng = random.Random(seed)
    for who in rng.sample(sorted(TRAVELERS), 3):
        on = D(2022, 1, 1) + dt.timedelta(days=rng.randint(0, 420))
        check_same(routes, context(TRAVELERS[who], on, "RU", near, warned=rng.randint(0, 3)))


def test_ranking_builds_only_what_is_asked_for():
    routes = random_routes(200, 1)
    ctx = context(TRAVELERS["dual man"], D(2022, 9, 28), "RU", "Moscow")
    ranking = rank_routes(RouteTable.compile(routes), ctx)
    first = ranking[0]
    assert ranking[0] is first  # built once, then kept
    assert len(ranking._built) == 1
    assert ranking[:3][0] is first and len(ranking._built) == 3


def test_plan_routes_of_nothing_is_empty():
    ctx = context(TRAVELERS["dual man"], D(2022, 9, 28), "RU", "Moscow")
    assert plan_routes([], ctx) == []


def _in_full(routes: list[Route], ctx: Context) -> dict[str, object]:
    """Every route known on the date, evaluated afresh: nothing kept from another plan."""
    exit_reasons = exit_restriction_reasons(ctx)
    return {r.id: evaluate(r, ctx, exit_reasons) for r in routes if known_on(r, ctx.on)}


def _walk(routes: list[Route], plans: list[tuple[str, D, str | None]], monkeypatch) -> float:
    """Plan the same table for each (traveler, date, place) in turn: every option, kept from
    an earlier plan or not, must equal one evaluated afresh. The share of options kept."""
    built = []
    real = ranking_module.evaluate

    def counting(*args, **kwargs):
        built.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(ranking_module, "evaluate", counting)
    table = RouteTable.compile(routes)
    places = {near: geo.find_place(near, country="RU") if near else None for _, _, near in plans}
    served = 0
    for who, on, near in plans:
        ctx = context(TRAVELERS[who], on, "RU", None)
        ctx = dataclasses.replace(ctx, location=places[near])
        got = {o.id: o for o in rank_routes(table, ctx)}
        assert got == _in_full(routes, ctx), (who, on, near)
        served += len(got)
    return 1 - len(built) / served


def test_options_kept_across_dates_are_the_options_of_that_date(monkeypatch):
    routes = list(get_catalog().routes_from("RU"))
    # Day by day through 2022's changes (the invasion, the mobilisation), as a user steps
    # through dates: most options are kept. Then back and forth over two years at random,
    # for two travelers and two places (a place changes every distance).
    plans = [("dual man", D(2022, 2, 20) + dt.timedelta(days=2 * n), "Moscow") for n in range(120)]
    assert _walk(routes, plans, monkeypatch) > 0.8
    days = [D(2022, 1, 1) + dt.timedelta(days=n) for n in range(730)]
    rng = random.Random(7)
    plans = [
        (w, d, n)
        for w, d, n in zip(
            rng.choices(["dual man", "national woman, no car"], k=100),
            rng.choices(days, k=100),
            rng.choices(["Moscow", "Saint Petersburg"], k=100),
            strict=True,
        )
    ]
    _walk(routes, plans, monkeypatch)


def test_random_options_kept_across_dates_are_the_options_of_that_date(monkeypatch):
    routes = random_routes(150, 3)
    # Around every date a route's own facts can change on: the day before, of, and after.
    edges = set()
    for r in routes:
        facts = [*r.status, *r.modes]
        edges |= {f.date for f in facts} | {f.until for f in facts if f.until}
        edges |= {w.date + dt.timedelta(days=7) for w in r.waits}
        edges |= {n.as_of for n in r.notes}
    edges |= {e + dt.timedelta(days=60) for e in set(edges)}
    days = sorted({e + dt.timedelta(days=k) for e in edges for k in (-1, 0, 1)})
    rng = random.Random(3)
    who = ["dual man", "foreigner", "reservist"]
    # No place too: a route reached only from its own area then says so, from Moscow warns.
    where = ["Moscow", None]
    plans = [(rng.choice(who), d, rng.choice(where)) for d in rng.sample(days, min(len(days), 60))]
    assert _walk(routes, plans, monkeypatch) > 0


def test_the_same_routes_compile_once():
    routes = list(get_catalog().routes_from("RU"))
    assert compiled(routes) is compiled(list(routes))
    assert compiled(routes[1:]) is not compiled(routes)
