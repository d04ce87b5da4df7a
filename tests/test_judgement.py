"""Judgement on the real data (issue 14): danger at the destination, arranged departures,
the order without distances, approximate positions, and one first answer everywhere."""

from __future__ import annotations

import datetime as dt
import html
import io
from pathlib import Path

import pytest
from pypdf import PdfReader
from streamlit.testing.v1 import AppTest

from planner import geo
from planner.danger import dangers
from planner.export.pdf import render_pdf
from planner.models import Advisory, Place
from planner.plaintext import format_plan
from planner.plan import build_plan
from planner.positions import approximate
from planner.records import map_point
from planner.traveler import make_traveler

SEPT_28 = dt.date(2022, 9, 28)
URL = "https://travel.state.gov/content/travel/en/traveladvisories/traveladvisories.html"


def advice(levels: dict[tuple[str, str], int]):
    """A lookup that answers `levels[(source, country)]`, dated 1 Sep 2022."""

    def lookup(source: str, country: str, on: dt.date) -> Advisory | None:
        level = levels.get((source, country))
        if level is None:
            return None
        return Advisory(
            source=source,
            country=country,
            level=level,
            label=f"Level {level}",
            updated=dt.datetime(2022, 9, 1, tzinfo=dt.UTC),
            url=URL,
        )

    return lookup


def _plan(citizenships=("US",), levels=None, departure="RU", on=SEPT_28, near="Moscow"):
    traveler = make_traveler(citizenships=citizenships, sex="female", age=40)
    place = geo.find_place(near, departure) if near else None
    lookup = advice(levels or {})
    return build_plan(traveler, on, departure, location=place, destination_advice=lookup)


# ------------------------------------------------------------------------ danger


def test_do_not_travel_at_the_destination_is_never_go_cites_the_advice_and_ranks_after():
    plan = _plan(levels={("us_state_rss", "KZ"): 4, ("us_state_rss", "GE"): 3})
    into_kz = [o for o in plan.routes if o.to_country == "KZ"]
    assert into_kz and all(o.verdict != "go" for o in into_kz)
    for option in into_kz:
        (reason,) = [r for r in option.reasons if "advises against going there" in r.text]
        assert reason.effect == "caution" and reason.source_url == URL
        assert "United States" in reason.text and "level 4 of 4" in reason.text
        assert reason.as_of == dt.date(2022, 9, 1)
    usable = [o for o in plan.routes if o.verdict != "blocked"]
    firsts = [o.to_country == "KZ" for o in usable]
    assert firsts == sorted(firsts)  # every route into Kazakhstan after every other usable one
    georgia = next(o for o in plan.routes if o.to_country == "GE")
    assert any(r.effect == "info" and "level 3 of 4" in r.text for r in georgia.reasons)


def test_only_the_travelers_own_governments_count():
    levels = {("us_state_rss", "KZ"): 4}
    german = _plan(citizenships=("DE",), levels=levels)
    assert not any(
        "advises against going there" in r.text for o in german.routes for r in o.reasons
    )
    found = dangers(("DE", "US"), ("KZ", "GE"), SEPT_28, advice(levels))
    assert list(found) == ["KZ"] and (found["KZ"].government, found["KZ"].level) == ("US", 4)


def test_the_strongest_warning_of_several_governments_wins_and_low_levels_say_nothing():
    levels = {("us_state_rss", "GE"): 3, ("uk_fcdo", "GE"): 4, ("uk_fcdo", "AM"): 2}
    found = dangers(("US", "GB"), ("GE", "AM"), SEPT_28, advice(levels))
    assert list(found) == ["GE"] and (found["GE"].government, found["GE"].level) == ("GB", 4)


def test_an_eligible_arranged_departure_is_never_below_a_route_into_a_level_4_country():
    levels = {("us_state_rss", c): 4 for c in ("JO", "EG", "CY")}
    plan = _plan(levels=levels, departure="IL", on=dt.date(2023, 10, 15), near="Tel Aviv")
    order = [o.id for o in plan.routes]
    arranged = "il-gr-us-charters-2023"
    assert plan.routes[0].id == arranged
    into_danger = [i for i, o in enumerate(plan.routes) if o.to_country in ("JO", "EG")]
    assert into_danger and order.index(arranged) < min(into_danger)


# ------------------------------------------------------------------------ order


@pytest.mark.parametrize(
    ("departure", "on", "citizenship"),
    [
        ("RU", SEPT_28, "US"),
        ("UA", dt.date(2022, 3, 1), "US"),
        ("IL", dt.date(2023, 10, 15), "US"),
        ("LB", dt.date(2024, 10, 3), "US"),
    ],
)
def test_without_a_place_the_order_is_by_what_is_known_not_by_name(departure, on, citizenship):
    plan = _plan(citizenships=(citizenship,), departure=departure, on=on, near=None)
    assert all(o.hours is None for o in plan.routes)
    assert "not known" in plan.ordering  # the plan says how it ordered them
    verdicts = ["go", "caution", "blocked"]
    usable = [o for o in plan.routes if o.verdict != "blocked"]
    ranks = [verdicts.index(o.verdict) for o in usable if not o.added_by_user]
    # Eligible arranged departures first, then go before caution, then confirmed before not.
    arranged = [o for o in usable if any(r.text.startswith("Arranged by") for r in o.reasons)]
    if departure in ("IL", "LB"):
        assert usable[0] in arranged
    rest = [o for o in usable if o not in arranged]
    assert [verdicts.index(o.verdict) for o in rest] == sorted(
        verdicts.index(o.verdict) for o in rest
    )
    assert ranks  # something is usable in every case
    names = [o.name for o in rest]
    assert names != sorted(names)  # not alphabetical


def test_the_text_pdf_and_json_say_how_routes_were_ordered():
    plan = _plan()
    assert plan.ordering.startswith("Order: blocked routes last")
    assert "ROUTES\n  Order: blocked routes last" in format_plan(plan, full=True)
    text = " ".join(
        " ".join(p.extract_text() for p in PdfReader(io.BytesIO(render_pdf(plan))).pages).split()
    )
    assert "Order: blocked routes last" in text


# ------------------------------------------------------------------------ positions


def test_a_place_named_but_not_located_takes_its_towns_position_marked_approximate():
    plan = _plan(departure="UA", on=dt.date(2022, 3, 1), near="Kyiv")
    lviv = next(o for o in plan.routes if o.id == "ua-de-lviv-lufthansa")
    assert lviv.approximate and lviv.distance_km == pytest.approx(470, abs=15)
    place = Place(name="Ramon Airport (ETM), Eilat")
    assert approximate(place, "IL").precision == "approximate"
    assert approximate(Place(name="Ben Gurion Airport (TLV)"), "IL") is None
    assert approximate(Place(name="Yahodyn"), "UA") is None  # never a "did you mean"


def test_a_flight_never_starts_at_its_arrival():
    from planner.catalog import get_catalog

    for route in get_catalog().routes_from("RU"):
        if route.kind == "air" and route.arrival is not None and route.departure.lat is None:
            assert map_point(route) is route.departure


# ------------------------------------------------------------------------ first answer


@pytest.mark.parametrize(
    ("departure", "near", "on", "citizenships"),
    [
        ("RU", "Moscow", SEPT_28, ["US", "RU"]),
        ("UA", "Kyiv", dt.date(2022, 3, 1), ["US"]),
        ("IL", "Tel Aviv", dt.date(2023, 10, 15), ["US"]),
        ("LB", "Beirut", dt.date(2024, 10, 5), ["US"]),
    ],
)
def test_the_page_the_pdf_and_the_cli_give_the_same_first_route(departure, near, on, citizenships):
    traveler = make_traveler(citizenships=tuple(citizenships), sex="male", age=30)
    plan = build_plan(traveler, on, departure, location=geo.find_place(near, departure))
    best = next(o for o in plan.routes if o.verdict != "blocked")
    cli = format_plan(plan).split("\nBEST WAYS OUT")[1]
    first_line = next(line for line in cli.splitlines() if line.startswith(" 1. "))
    assert best.name in first_line and plan.routes[0] is best
    page_one = PdfReader(io.BytesIO(render_pdf(plan))).pages[0].extract_text()
    top = " ".join(page_one.split("Best 3 ways out")[1].split())  # names may wrap
    assert top.index(best.name) < min(
        top.index(o.name) for o in plan.routes[1:3] if o.name != best.name
    )
    at = AppTest.from_file(str(Path(__file__).parent.parent / "app.py"), default_timeout=60)
    state = {"from_country": departure, "near": near, "citizenships": citizenships}
    state |= {"sex": "male", "age": 30, "as_of": on}
    for key, value in state.items():
        at.session_state[key] = value
    at.run()
    summary = next(
        html.unescape(m.value) for m in at.markdown if "Best way out now" in html.unescape(m.value)
    )
    assert best.name in summary.replace("\u2060", "")
    # ... with the advice of the plan date beside it, and the alerts straight under it.
    assert f"in force on {on.day} " in summary and "(section 2)" in summary
    if plan.alerts:
        after = [html.unescape(m.value) for m in at.markdown]
        where = next(i for i, b in enumerate(after) if "Best way out now" in b)
        assert "Alerts in force on" in after[where + 1]


def test_on_real_advice_a_route_into_belarus_is_not_go_for_a_us_citizen_and_cites_it():
    traveler = make_traveler(citizenships=("US", "RU"), sex="male", age=30)
    plan = build_plan(traveler, SEPT_28, "RU", location=geo.find_place("Moscow", "RU"))
    belarus = [o for o in plan.routes if o.to_country == "BY"]
    assert belarus and all(o.verdict != "go" for o in belarus)
    for option in belarus:
        (reason,) = [r for r in option.reasons if "advises against going there" in r.text]
        assert "United States" in reason.text and "level 4 of 4 for Belarus" in reason.text
        assert reason.source_url.startswith("https://") and reason.as_of <= SEPT_28
    usable = [o for o in plan.routes if o.verdict != "blocked"]
    flags = [o.to_country == "BY" for o in usable]
    assert flags == sorted(flags)
    # A Russian-only traveler reads no US advice: no such reason for them.
    russian = build_plan(make_traveler(citizenships=("RU",)), SEPT_28, "RU")
    assert not any("advises against" in r.text for o in russian.routes for r in o.reasons)
