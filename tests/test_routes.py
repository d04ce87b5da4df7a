"""Planning rules on small hand-made routes: status by date and passport, means, exit rules."""

from __future__ import annotations

import datetime as dt

import pytest

from planner.models import (
    Arranged,
    Claim,
    Condition,
    Country,
    Exemption,
    ExitDocument,
    ExitRule,
    ModeRecord,
    Note,
    Place,
    Route,
    StatusRecord,
    Traveler,
    WaitReport,
)
from planner.ranking import plan_routes
from planner.records import modes_on, statuses_on
from planner.routes import Context, evaluate, exit_restriction_reasons


def status_on(route, passport, on, exit_passport=None):
    return statuses_on(route, passport, on, exit_passport)[0]


SRC = "https://example.org/source"
D = dt.date


def route(**kw) -> Route:
    base = dict(
        id="xx-test",
        kind="land",
        name="Test crossing",
        departure=Place(name="Here", lat=55.0, lon=37.0, country="RU", precision="crossing"),
        to_country="GE",
        modes=(ModeRecord(date=D(2020, 1, 1), modes=("car", "bus", "foot"), source_url=SRC),),
    )
    base.update(kw)
    return Route(**base)


def country(**kw) -> Country:
    base = dict(
        code="RU",
        name="Russia",
        data_begins=D(2022, 1, 1),
        recognises_other_citizenships=Claim(
            value=False, text="Not recognised.", as_of=D(2022, 1, 1), source_url=SRC
        ),
        exit_document=ExitDocument(
            text="Leave on the national passport.", as_of=D(2022, 1, 1), source_url=SRC
        ),
        internal_id_accepted_by=("KZ",),
        internal_id_note=Note(
            text="Internal ID works for KZ.", as_of=D(2022, 1, 1), source_url=SRC
        ),
    )
    base.update(kw)
    return Country(**base)


def ctx(traveler: Traveler, on: dt.date, **kw) -> Context:
    base = dict(
        traveler=traveler,
        on=on,
        country=country(),
        departure="RU",
        location=Place(name="Moscow", lat=55.75, lon=37.62, country="RU", precision="city"),
        overrides=(),
    )
    base.update(kw)
    return Context(**base)


US = Traveler(citizenships=("US",), sex="female", age=40)
DUAL = Traveler(citizenships=("RU", "US"), sex="male", age=30)


def test_status_latest_record_on_the_date_for_the_passport():
    r = route(
        status=(
            StatusRecord(date=D(2022, 1, 1), status="open", source_url=SRC),
            StatusRecord(
                date=D(2022, 9, 30), status="restricted", applies_to=("RU",), source_url=SRC
            ),
            StatusRecord(date=D(2023, 11, 18), status="closed", source_url=SRC),
        )
    )
    assert status_on(r, "RU", D(2022, 9, 29)).status == "open"
    assert status_on(r, "RU", D(2022, 10, 15)).status == "restricted"
    assert status_on(r, "US", D(2022, 10, 15)).status == "open"
    assert status_on(r, "US", D(2024, 6, 1)).status == "closed"
    assert status_on(r, "US", D(2021, 6, 1)) is None


def test_status_until_ends_a_record():
    r = route(
        status=(
            StatusRecord(date=D(2022, 1, 1), until=D(2022, 2, 1), status="open", source_url=SRC),
        )
    )
    assert status_on(r, "US", D(2022, 1, 15)).status == "open"
    assert status_on(r, "US", D(2022, 3, 1)) is None


def test_exit_side_record_follows_the_exit_document():
    r = route(
        status=(
            StatusRecord(date=D(2022, 1, 1), status="open", source_url=SRC),
            StatusRecord(
                date=D(2022, 1, 1), status="closed", applies_to=("RU",), side="exit", source_url=SRC
            ),
        )
    )
    assert status_on(r, "US", D(2022, 6, 1), exit_passport="RU").status == "closed"
    assert status_on(r, "US", D(2022, 6, 1), exit_passport="US").status == "open"


def test_unknown_status_is_caution_not_go():
    option = evaluate(route(), ctx(US, D(2022, 9, 28)), [])
    assert option.status == "unknown"
    assert option.verdict == "caution"


def test_closed_blocks_and_unverified_closed_only_cautions():
    confirmed = route(status=(StatusRecord(date=D(2022, 1, 1), status="closed", source_url=SRC),))
    assert evaluate(confirmed, ctx(US, D(2022, 9, 28)), []).verdict == "blocked"
    rumour = route(
        status=(
            StatusRecord(date=D(2022, 1, 1), status="open", source_url=SRC),
            StatusRecord(
                date=D(2022, 9, 1), status="closed", confidence="unverified", source_url=SRC
            ),
        )
    )
    option = evaluate(rumour, ctx(US, D(2022, 9, 28)), [])
    assert option.verdict == "caution"
    assert option.status == "open"
    assert any("Unverified" in r.text for r in option.reasons)


def test_no_car_at_a_crossing_without_pedestrians():
    r = route(
        modes=(ModeRecord(date=D(2020, 1, 1), modes=("car", "bus"), source_url=SRC),),
        status=(StatusRecord(date=D(2022, 1, 1), status="open", source_url=SRC),),
    )
    walker = US.model_copy(update={"has_car": False})
    option = evaluate(r, ctx(walker, D(2022, 9, 28)), [])
    assert option.verdict == "caution"
    assert option.modes == ("bus",)
    assert any("No crossing on foot" in x.text for x in option.reasons)
    car_only = r.model_copy(
        update={"modes": (ModeRecord(date=D(2020, 1, 1), modes=("car",), source_url=SRC),)}
    )
    assert evaluate(car_only, ctx(walker, D(2022, 9, 28)), []).verdict == "blocked"
    assert evaluate(car_only, ctx(US, D(2022, 9, 28)), []).verdict == "go"


def test_modes_change_by_date():
    r = route(
        modes=(
            ModeRecord(date=D(2020, 1, 1), modes=("car",), source_url=SRC),
            ModeRecord(
                date=D(2022, 9, 26), until=D(2022, 9, 28), modes=("car", "foot"), source_url=SRC
            ),
        )
    )
    assert modes_on(r, D(2022, 9, 27)).modes == ("car", "foot")
    assert modes_on(r, D(2022, 9, 30)).modes == ("car",)
    assert modes_on(r, D(2019, 1, 1)).modes == ("car",)


def test_national_exits_on_own_passport_enters_on_the_better_one():
    r = route(status=(StatusRecord(date=D(2022, 1, 1), status="open", source_url=SRC),))
    option = evaluate(r, ctx(DUAL, D(2022, 9, 28)), [])
    assert option.exit_passport == "RU"
    assert option.entry_passport == "US"  # GE admits both; the tie avoids the departure passport
    foreigner = evaluate(r, ctx(US, D(2022, 9, 28)), [])
    assert foreigner.exit_passport == "US"


def test_national_without_passport_uses_internal_id_only_where_accepted():
    no_passport = DUAL.model_copy(update={"passports": ("US",)})
    c = ctx(no_passport, D(2022, 9, 28))
    georgia = evaluate(route(), c, [])
    assert georgia.verdict == "blocked"
    kazakhstan = evaluate(route(to_country="KZ"), c, [])
    assert kazakhstan.exit_passport == "RU (internal ID)"
    assert kazakhstan.verdict != "blocked"


def _ban(**kw) -> ExitRule:
    base = dict(
        id="ban",
        date=D(2022, 2, 24),
        when=Condition(national=True, sex="male", age_min=18, age_max=60),
        effect="banned",
        text="Men 18-60 may not leave.",
        source_url=SRC,
        exemptions=(
            Exemption(
                when=Condition(children_under_18_min=3),
                text="fathers of three or more children under 18",
                as_of=D(2022, 2, 24),
                source_url=SRC,
            ),
        ),
    )
    base.update(kw)
    return ExitRule(**base)


def test_exit_ban_blocks_every_route_and_names_exemptions():
    c = ctx(DUAL, D(2022, 3, 1), country=country(exit_rules=(_ban(),)))
    reasons = exit_restriction_reasons(c)
    option = evaluate(route(), c, reasons)
    assert option.verdict == "blocked"
    assert any("three or more children" in r.text for r in option.reasons)
    father = DUAL.model_copy(update={"children_under_18": 3})
    c2 = ctx(father, D(2022, 3, 1), country=country(exit_rules=(_ban(),)))
    assert evaluate(route(), c2, exit_restriction_reasons(c2)).verdict != "blocked"
    woman = DUAL.model_copy(update={"sex": "female"})
    c3 = ctx(woman, D(2022, 3, 1), country=country(exit_rules=(_ban(),)))
    assert exit_restriction_reasons(c3) == []


def test_exit_ban_limited_to_a_route_kind():
    c = ctx(DUAL, D(2022, 3, 1), country=country(exit_rules=(_ban(kinds=("air",)),)))
    reasons = exit_restriction_reasons(c)
    assert evaluate(route(kind="air"), c, reasons).verdict == "blocked"
    assert evaluate(route(), c, reasons).verdict != "blocked"


def test_unverified_exit_rule_never_blocks_alone():
    c = ctx(DUAL, D(2022, 3, 1), country=country(exit_rules=(_ban(confidence="unverified"),)))
    assert evaluate(route(), c, exit_restriction_reasons(c)).verdict == "caution"


def test_arranged_departure_only_for_eligible_citizens():
    arranged = Arranged(
        government="US",
        eligible=("US",),
        cost="promissory note",
        text="Charter.",
        as_of=D(2023, 10, 13),
        source_url=SRC,
    )
    r = route(kind="air", to_country="CY", arranged=arranged)
    assert not any(x.effect == "blocks" for x in evaluate(r, ctx(US, D(2023, 10, 15)), []).reasons)
    other = Traveler(citizenships=("GB",))
    assert evaluate(r, ctx(other, D(2023, 10, 15)), []).verdict == "blocked"


def test_recent_wait_counts_old_wait_does_not():
    r = route(
        waits=(
            WaitReport(
                date=D(2022, 9, 27), hours=72, direction="exit", source_type="media", source_url=SRC
            ),
        )
    )
    assert evaluate(r, ctx(US, D(2022, 9, 28)), []).wait_hours == 72
    assert evaluate(r, ctx(US, D(2022, 11, 1)), []).wait_hours is None


def test_rank_blocked_last_then_time():
    near = route(
        id="near", status=(StatusRecord(date=D(2022, 1, 1), status="open", source_url=SRC),)
    )
    far = route(
        id="far",
        departure=Place(name="Far", lat=43.0, lon=44.6, country="RU", precision="crossing"),
        status=(StatusRecord(date=D(2022, 1, 1), status="open", source_url=SRC),),
    )
    shut = route(
        id="shut", status=(StatusRecord(date=D(2022, 1, 1), status="closed", source_url=SRC),)
    )
    c = ctx(US, D(2022, 9, 28))
    ordered = plan_routes([shut, far, near], c)
    assert [o.id for o in ordered] == ["near", "far", "shut"]


@pytest.mark.parametrize("stale_on, expected", [(D(2022, 10, 1), False), (D(2026, 11, 26), True)])
def test_old_open_ended_status_is_stale(stale_on, expected):
    r = route(status=(StatusRecord(date=D(2022, 9, 1), status="open", source_url=SRC),))
    assert evaluate(r, ctx(US, stale_on), []).stale is expected


def test_route_first_reported_later_is_not_listed_earlier():
    later = route(
        id="later",
        modes=(ModeRecord(date=D(2025, 1, 1), modes=("plane",), source_url=SRC),),
    )
    assert plan_routes([later], ctx(US, D(2022, 9, 28))) == []
    assert [o.id for o in plan_routes([later], ctx(US, D(2025, 6, 1)))] == ["later"]


def test_unknown_modes_caution():
    r = route(
        modes=(ModeRecord(date=D(2020, 1, 1), modes=(), source_url=SRC),),
        status=(StatusRecord(date=D(2022, 1, 1), status="open", source_url=SRC),),
    )
    option = evaluate(r, ctx(US, D(2022, 9, 28)), [])
    assert option.verdict == "caution"
    assert any("No source says how" in x.text for x in option.reasons)


def test_low_confidence_mode_report_does_not_open_a_crossing_to_walkers():
    r = route(
        modes=(
            ModeRecord(date=D(2020, 1, 1), modes=("car",), source_url=SRC),
            ModeRecord(
                date=D(2022, 9, 24), modes=("car", "foot"), confidence="low", source_url=SRC
            ),
        ),
        status=(StatusRecord(date=D(2022, 1, 1), status="open", source_url=SRC),),
    )
    walker = US.model_copy(update={"has_car": False})
    option = evaluate(r, ctx(walker, D(2022, 9, 28)), [])
    assert option.verdict == "blocked"
    assert any("[low] Reported: car, foot" in x.text for x in option.reasons)


def test_exit_side_closure_outlasts_later_entry_side_news():
    r = route(
        status=(
            StatusRecord(
                date=D(2023, 10, 7),
                status="closed",
                applies_to=("RU",),
                side="exit",
                source_url=SRC,
            ),
            StatusRecord(date=D(2023, 10, 13), status="open", source_url=SRC),
        )
    )
    assert status_on(r, "US", D(2023, 10, 20), exit_passport="RU").status == "closed"
    assert status_on(r, "US", D(2023, 10, 20), exit_passport="US").status == "open"


def test_national_may_exit_on_a_foreign_passport_in_an_excepted_period():
    from planner.models import Period

    window = Period(
        date=D(2020, 1, 1),
        until=D(2025, 12, 31),
        text="Dual citizens may leave on the foreign passport.",
        source_url=SRC,
    )
    no_passport = DUAL.model_copy(update={"passports": ("US",)})
    c = ctx(no_passport, D(2023, 10, 15), country=country(foreign_passport_exit=(window,)))
    option = evaluate(route(), c, [])
    assert option.exit_passport == "US"
    assert option.verdict == "caution"
    later = ctx(no_passport, D(2026, 3, 1), country=country(foreign_passport_exit=(window,)))
    assert evaluate(route(), later, []).verdict == "blocked"
