"""Real cases from the Russia fact base, planned end to end from the bundled data."""

from __future__ import annotations

import datetime as dt

import pytest

from planner import geo
from planner.models import Traveler
from planner.plan import build_plan

D = dt.date
FINNISH = [
    "ru-fi-vaalimaa",
    "ru-fi-nuijamaa",
    "ru-fi-niirala",
    "ru-fi-vartius",
    "ru-fi-kuusamo",
    "ru-fi-salla",
    "ru-fi-raja-jooseppi",
]
MOSCOW = geo.find_place("Moscow", country="RU")


def plan_for(traveler: Traveler, on: dt.date, near: str = "Moscow"):
    return build_plan(traveler, on, "RU", location=geo.find_place(near, country="RU"))


def by_id(plan):
    return {o.id: o for o in plan.routes}


@pytest.fixture(scope="module")
def dual_plan():
    traveler = Traveler(citizenships=("US", "RU"), sex="male", age=30, near="Moscow")
    return plan_for(traveler, D(2022, 9, 28))


def test_dual_national_exits_on_the_russian_passport(dual_plan):
    for option in dual_plan.routes:
        assert option.exit_passport == "RU", option.id


def test_dual_national_is_warned(dual_plan):
    ids = {r.id for r in dual_plan.risks}
    assert {"dual-not-recognised", "dual-no-consular-access", "dual-conscription"} <= ids
    assert any(
        r.category == "conscription" and "mobilisation" in r.text.lower() for r in dual_plan.risks
    )


def test_dual_national_still_has_georgia_kazakhstan_and_flights(dual_plan):
    routes = by_id(dual_plan)
    assert routes["ru-ge-verkhny-lars"].verdict != "blocked"
    kazakh = [o for o in dual_plan.routes if o.to_country == "KZ" and o.kind == "land"]
    assert kazakh and all(o.verdict != "blocked" for o in kazakh)
    flights = [o for o in dual_plan.routes if o.kind == "air" and o.verdict != "blocked"]
    assert {"TR", "AE", "AM", "RS"} <= {o.to_country for o in flights}
    # Entering Georgia, the US passport avoids drawing attention to the Russian one.
    assert routes["ru-ge-verkhny-lars"].entry_passport == "US"


def test_dual_plan_ranks_blocked_last(dual_plan):
    verdicts = [o.verdict for o in dual_plan.routes]
    first_blocked = verdicts.index("blocked")
    assert all(v == "blocked" for v in verdicts[first_blocked:])
    assert routes_have_sources(dual_plan)


def routes_have_sources(plan) -> bool:
    """Every reason is sourced except the one saying no source gives a status."""
    return all(
        r.source_url
        for o in plan.routes
        for r in o.reasons
        if not r.text.startswith("No confirmed status")
    )


def test_russian_only_is_not_go_at_finnish_crossings_after_the_ban():
    traveler = Traveler(citizenships=("RU",), sex="female", age=40)
    routes = by_id(plan_for(traveler, D(2022, 10, 15), near="Saint Petersburg"))
    for rid in FINNISH:
        assert routes[rid].verdict != "go", rid
    with_visa = Traveler(citizenships=("RU",), visas=("FI",), sex="female", age=40)
    routes = by_id(plan_for(with_visa, D(2022, 10, 15), near="Saint Petersburg"))
    assert routes["ru-fi-vaalimaa"].verdict == "caution"
    assert routes["ru-fi-vaalimaa"].entry_requirement == "restricted"


def test_us_citizen_at_finnish_crossings_go_in_2022_blocked_in_2024():
    traveler = Traveler(citizenships=("US",), sex="female", age=40)
    before = by_id(plan_for(traveler, D(2022, 9, 28), near="Saint Petersburg"))
    assert before["ru-fi-vaalimaa"].verdict == "go"
    assert before["ru-fi-nuijamaa"].verdict == "go"
    after = by_id(plan_for(traveler, D(2024, 6, 1), near="Saint Petersburg"))
    for rid in FINNISH:
        assert after[rid].verdict == "blocked", rid
        assert any("losed" in r.text for r in after[rid].reasons if r.effect == "blocks")


def test_no_car_at_crossings_without_pedestrians():
    walker = Traveler(citizenships=("US",), has_car=False, sex="female", age=40)
    routes = by_id(plan_for(walker, D(2022, 9, 28), near="Saint Petersburg"))
    vaalimaa = routes["ru-fi-vaalimaa"]
    assert vaalimaa.verdict == "caution"
    assert "foot" not in vaalimaa.modes
    assert any("No crossing on foot" in r.text for r in vaalimaa.reasons)
    with_car = by_id(
        plan_for(walker.model_copy(update={"has_car": True}), D(2022, 9, 28), "Saint Petersburg")
    )
    assert with_car["ru-fi-vaalimaa"].verdict == "go"
    assert "car" in with_car["ru-fi-vaalimaa"].modes


def test_distance_time_and_method_are_stated(dual_plan):
    lars = by_id(dual_plan)["ru-ge-verkhny-lars"]
    assert 1400 < lars.distance_km < 1700
    assert lars.hours == pytest.approx(
        lars.distance_km * geo.ROAD_FACTOR / geo.ROAD_SPEED_KMH, abs=0.1
    )
    assert "x 1.3" in dual_plan.method and "60 km/h" in dual_plan.method


def test_upper_lars_reported_wait_is_dated(dual_plan):
    lars = by_id(dual_plan)["ru-ge-verkhny-lars"]
    assert lars.wait_hours is not None and lars.wait_hours >= 24
    assert lars.wait_as_of <= D(2022, 9, 28)


def test_unverified_ticket_ban_is_shown_and_labelled(dual_plan):
    turkey = by_id(dual_plan)["ru-tr-air-moscow"]
    unverified = [r for r in turkey.reasons if r.confidence == "unverified"]
    assert unverified and all(r.effect != "blocks" for r in unverified)


def test_stale_facts_are_marked_today():
    traveler = Traveler(citizenships=("US",), sex="female", age=40)
    plan = plan_for(traveler, D(2026, 11, 26))
    assert any(o.stale for o in plan.routes)


def test_every_plan_source_is_a_url(dual_plan):
    assert dual_plan.sources
    assert all(s.url.startswith("http") for s in dual_plan.sources)


def test_replayed_date_says_advice_is_newer_than_the_plan():
    from planner.advisories.fetch import get_advisories

    traveler = Traveler(citizenships=("US",), sex="female", age=40)
    kwargs = get_advisories("RU", offline=True).plan_kwargs()
    plan = build_plan(traveler, D(2022, 9, 28), "RU", location=MOSCOW, **kwargs)
    assert plan.headline.level == 4
    assert any("not what it said on 2022-09-28" in n for n in plan.notices)
    assert any("offline snapshot from" in n for n in plan.notices)
    today = build_plan(traveler, D(2026, 11, 26), "RU", location=MOSCOW, **kwargs)
    assert not any("not what it said" in n for n in today.notices)
