"""planner.changes on the real data: what changed for one traveler between two dates."""

from __future__ import annotations

import datetime as dt

import pytest

from planner.catalog import get_catalog
from planner.changes import _judge, changes, timeline
from planner.errors import InputError
from planner.plan import build_plan
from planner.ranking import compiled, rank_routes
from planner.traveler import make_traveler

D = dt.date
SINCE, UNTIL = D(2022, 9, 21), D(2022, 10, 5)
TODAY = D(2026, 12, 1)
FINNISH = {
    "ru-fi-vaalimaa",
    "ru-fi-nuijamaa",
    "ru-fi-raja-jooseppi",
    "ru-fi-vartius",
    "ru-fi-salla",
    "ru-fi-kuusamo",
    "ru-fi-imatra",
    "ru-fi-niirala",
}
INTERFAX = "https://en.interfax.com.ua/news/general/861920.html"
UK_RUSSIA = "https://www.gov.uk/foreign-travel-advice/russia"


def russian_with_finnish_visa():
    return make_traveler(citizenships=("RU",), visas=("FI",), sex="male", age=30, near="Moscow")


def american():
    return make_traveler(citizenships=("US",), near="Moscow")


@pytest.fixture(scope="module")
def russian_changes():
    return changes(russian_with_finnish_visa(), "RU", SINCE, UNTIL, today=TODAY)


@pytest.fixture(scope="module")
def american_changes():
    return changes(american(), "RU", SINCE, UNTIL, today=TODAY)


def test_finnish_crossings_turn_against_russian_tourists_on_30_september(russian_changes):
    on_30 = [c for c in russian_changes if c.date == D(2022, 9, 30) and c.route_id in FINNISH]
    verdicts = {c.route_id: c for c in on_30 if c.kind == "verdict"}
    # The one Finnish crossing that was open to Russians goes from GO to CAUTION.
    assert set(verdicts) == {"ru-fi-vaalimaa"}
    vaalimaa = verdicts["ru-fi-vaalimaa"]
    assert (vaalimaa.verdict_before, vaalimaa.verdict_after) == ("go", "caution")
    assert vaalimaa.source_url == INTERFAX
    assert "Finland refuses Russian tourists" in vaalimaa.text
    # Every other crossing gets the new restriction, with its verdict before and after.
    statuses = {c.route_id: c for c in on_30 if c.kind == "status"}
    assert set(statuses) == FINNISH - {"ru-fi-vaalimaa"}
    for c in statuses.values():
        assert c.source_url == INTERFAX
        assert c.text.startswith("Restricted from 2022-09-30: Finland refuses")
        assert (c.verdict_before, c.verdict_after) == ("caution", "caution")
    entry = [c for c in russian_changes if c.kind == "entry" and c.subject == "Finland"]
    assert [(c.date, c.source_url) for c in entry] == [(D(2022, 9, 30), INTERFAX)]
    assert "visa held → restricted" in entry[0].text


def test_the_same_window_for_an_american_has_no_finnish_turn(american_changes):
    finnish = [c for c in american_changes if c.route_id in FINNISH]
    assert not [c for c in finnish if c.kind == "verdict"]
    assert not [c for c in finnish if c.source_url == INTERFAX]
    assert not [c for c in american_changes if c.kind == "entry" and c.subject == "Finland"]


def test_uk_advice_history_in_the_window_appears_with_its_dates(russian_changes):
    uk = [c for c in russian_changes if c.kind == "advisory" and c.source_url == UK_RUSSIA]
    assert [c.date for c in uk] == [D(2022, 9, 23), D(2022, 9, 26), D(2022, 9, 30)]
    assert all(c.subject == "United Kingdom advice for Russia" for c in uk)
    assert all("level 4 of 4" in c.text for c in uk)


@pytest.mark.parametrize("which", ["russian_changes", "american_changes"])
def test_every_change_is_sourced_dated_in_the_window_and_in_order(which, request):
    found = request.getfixturevalue(which)
    assert found
    assert all(c.source_url.startswith("https://") for c in found)
    assert all(SINCE < c.date <= UNTIL for c in found)
    assert [c.date for c in found] == sorted(c.date for c in found)


def test_nothing_after_the_window_is_read(russian_changes):
    earlier = changes(russian_with_finnish_visa(), "RU", SINCE, D(2022, 9, 29), today=TODAY)
    assert earlier == [c for c in russian_changes if c.date <= D(2022, 9, 29)]


def test_alerts_and_personal_rules_are_listed(russian_changes):
    kinds = {c.kind for c in russian_changes}
    assert {"verdict", "status", "wait", "alert", "advisory", "entry"} <= kinds
    alerts = [c for c in russian_changes if c.kind == "alert"]
    assert any(c.subject == "United States" and c.date == D(2022, 9, 27) for c in alerts)


def test_a_mobilisation_rule_is_news_for_a_man_of_30_but_not_for_a_woman():
    def rules(**kw):
        traveler = make_traveler(citizenships=("RU",), near="Moscow", age=30, **kw)
        found = changes(traveler, "RU", D(2022, 9, 1), D(2022, 10, 5), today=TODAY)
        return {(c.date, c.text) for c in found if c.kind in ("exit_rule", "risk")}

    man, woman = rules(sex="male"), rules(sex="female")
    assert man - woman, "rules for men of call-up age start in the window"


def _daily_verdict_changes(traveler, departure, since, until):
    """The slow way: every route's verdict on every day, straight from the ranking."""
    judge = _judge(traveler, departure, get_catalog())
    table = compiled(list(judge.routes))
    found, before = [], None
    day = since
    while day <= until:
        ranking = rank_routes(table, judge.context(day))
        after = {ranking.route_id(i): ranking.verdict(i) for i in range(len(ranking))}
        if before is not None:
            found += [
                (day, rid, before[rid], v)
                for rid, v in after.items()
                if rid in before and before[rid] != v
            ]
        before, day = after, day + dt.timedelta(days=1)
    return found


@pytest.mark.parametrize(
    "departure, citizenships, since, until",
    [
        ("RU", ("RU",), D(2022, 2, 20), D(2022, 10, 20)),
        ("RU", ("US", "RU"), D(2022, 9, 1), D(2023, 1, 31)),
        ("RU", ("US",), D(2022, 1, 23), D(2022, 12, 31)),
        ("UA", ("UA",), D(2022, 2, 1), D(2022, 6, 1)),
        ("UA", ("US",), D(2022, 1, 23), D(2022, 12, 31)),  # US advice for Moldova turns one
        ("IL", ("GB",), D(2023, 10, 7), D(2024, 1, 15)),
    ],
)
def test_verdicts_turn_only_on_the_candidate_days(departure, citizenships, since, until):
    """Checking only the days something changes must find every turn a daily check finds."""
    traveler = make_traveler(citizenships=citizenships, sex="male", age=30, visas=("FI",))
    found = changes(traveler, departure, since, until, today=TODAY)
    fast = [
        (c.date, c.route_id, c.verdict_before, c.verdict_after)
        for c in found
        if c.kind == "verdict"
    ]
    assert sorted(fast) == sorted(_daily_verdict_changes(traveler, departure, since, until))


def test_timeline_matches_the_plan_of_each_day():
    traveler = russian_with_finnish_visa()
    wanted = ["ru-fi-vaalimaa", "ru-ge-verkhny-lars"]
    segments = timeline(traveler, "RU", D(2022, 8, 10), D(2022, 10, 8), wanted, today=TODAY)
    assert [s.route_id for s in segments] == sorted(
        [s.route_id for s in segments], key=wanted.index
    )
    for s in segments:
        assert s.start <= s.end
    for day in (D(2022, 8, 10), D(2022, 9, 29), D(2022, 9, 30), D(2022, 10, 8)):
        plan = build_plan(traveler, day, "RU")
        plan_verdicts = {o.id: o.verdict for o in plan.routes if o.id in wanted}
        on_day = {s.route_id: s.verdict for s in segments if s.start <= day <= s.end}
        assert on_day == plan_verdicts, day
    vaalimaa = [(s.start, s.verdict) for s in segments if s.route_id == "ru-fi-vaalimaa"]
    assert (D(2022, 9, 30), "caution") in vaalimaa


@pytest.mark.parametrize(
    "since, until, message",
    [
        (D(2022, 10, 6), D(2022, 10, 5), "since date 2022-10-06 is after the date 2022-10-05"),
        (D(2021, 9, 1), D(2022, 10, 5), "since date 2021-09-01 is more than a year before"),
        (D(2021, 12, 1), D(2022, 1, 5), "date 2021-12-01 is before the data begins"),
        (D(2022, 9, 1), D(2099, 1, 1), "date 2099-01-01 is more than a year ahead"),
    ],
)
def test_a_bad_window_is_one_sentence(since, until, message):
    with pytest.raises(InputError, match=message):
        changes(american(), "RU", since, until, today=TODAY)


def test_another_governments_charter_is_no_news_but_ones_own_is():
    """A US-only woman in Beirut: the UK charters' status is not for her, the US one's is."""
    woman = make_traveler(citizenships=("US",), sex="female")
    found = changes(woman, "LB", dt.date(2024, 10, 1), dt.date(2024, 10, 5))
    routes = {c.route_id for c in found if c.kind == "status"}
    assert "lb-tr-us-flights-2024" in routes
    assert not routes & {"lb-gb-uk-charters-2024", "lb-tr-ca-seats-2024"}
