"""The data-model gaps a fourth country (Lebanon 2024) showed, one test (or more) each
(issue #16): each fails on the model and rules as they were before the gap was closed."""

from __future__ import annotations

import dataclasses
import datetime as dt
import subprocess
import sys

from test_routes import SRC, US, country, ctx, route

from planner import datacheck, geo
from planner.catalog import get_catalog
from planner.checklist import with_reason
from planner.entry import requirement
from planner.models import (
    Area,
    Arranged,
    ChecklistItem,
    EntryOverride,
    ExitDocument,
    ModeRecord,
    Place,
    Reach,
    RouteNote,
    StatusRecord,
    Traveler,
)
from planner.plan import build_plan
from planner.ranking import RouteTable, plan_routes, rank_routes
from planner.routes import arranged_reasons, boards_as, evaluate

D = dt.date
ON = D(2024, 10, 3)


def reasons(option) -> str:
    return " | ".join(r.text for r in option.reasons)


# 1. A route that exists (its modes record is older) but has no status yet is listed.
def test_route_without_a_status_yet_is_listed_as_unconfirmed():
    r = route(
        modes=(ModeRecord(date=D(2020, 1, 1), modes=("car", "bus", "foot"), source_url=SRC),),
        status=(StatusRecord(date=D(2024, 10, 20), status="open", source_url=SRC),),
    )
    (option,) = plan_routes([r], ctx(US, ON))
    assert option.status == "unknown" and option.verdict == "caution"
    assert "no confirmed status" in reasons(option).lower()


# 2a. "Which passport to leave on" may be unknown: every passport held is offered.
def test_unknown_exit_document_offers_each_passport_and_says_so():
    unknown = ExitDocument(text="No rule found.", as_of=D(2024, 10, 1), source_url=SRC, known=False)
    dual = Traveler(citizenships=("RU", "US"), sex="female", age=40)
    here = ctx(dual, ON, country=country(exit_document=unknown))
    option = evaluate(route(), here, [])
    assert option.exit_passport == "RU or US"
    assert "No source says which passport" in reasons(option)
    assert option.verdict == "caution"
    known = evaluate(route(), ctx(dual, ON), [])
    assert known.exit_passport == "RU" and "No source says" not in reasons(known)


# 2b. An override may say "visa required", and correct a stale cell of the visa data set.
def _override(**kw) -> EntryOverride:
    base = dict(
        id="cy-lb-visa",
        destination="SY",
        passports=("LB",),
        date=D(2024, 9, 1),
        requirement="visa required",
        note="Corrected from the consulate's page.",
        source_url=SRC,
    )
    base.update(kw)
    return EntryOverride(**base)


def test_visa_required_override_corrects_a_stale_cell_only_when_it_says_so():
    # The data set says LB -> SY is visa free: a tightening corrects it only as a correction.
    assert requirement("LB", "SY", ON, overrides=()).requirement == "visa free"
    fixed = requirement("LB", "SY", ON, overrides=(_override(corrects_data=True),))
    assert fixed.requirement == "visa required" and fixed.source_url == SRC
    assert fixed.override_id == "cy-lb-visa"
    # A correction may relax too: the data set's "visa required" for US -> SY made laxer.
    laxer = _override(
        destination="SY", passports=("US",), requirement="visa free", corrects_data=True
    )
    assert requirement("US", "SY", ON, overrides=(laxer,)).requirement == "visa free"
    # A visa already held still satisfies an override that asks for one.
    held = requirement("LB", "SY", ON, visas=("SY",), overrides=(_override(corrects_data=True),))
    assert held.requirement == "visa held"


# 3. Arranged departures take permanent residents and close family when they say so.
def test_arranged_departure_boards_residents_and_family_when_allowed():
    charter = Arranged(
        government="US",
        eligible=("US",),
        residents=True,
        family=True,
        cost="free",
        text="Charter for US citizens, permanent residents and their immediate family.",
        as_of=D(2024, 10, 1),
        source_url=SRC,
    )
    spouse = Traveler(citizenships=("LB",), family_of=("US",))
    resident = Traveler(citizenships=("LB",), residences=("US",))
    stranger = Traveler(citizenships=("LB",))
    assert boards_as(charter, spouse) == "family"
    assert boards_as(charter, resident) == "resident"
    assert boards_as(charter, stranger) is None
    r = route(kind="air", to_country="CY", arranged=charter)

    def blocked(route, traveler) -> bool:
        return any(x.effect == "blocks" for x in arranged_reasons(route, ctx(traveler, ON)))

    assert not blocked(r, spouse) and not blocked(r, resident) and blocked(r, stranger)
    family_reason = arranged_reasons(r, ctx(spouse, ON))[0]
    assert family_reason.personal  # says something about the traveler's family
    citizens_only = r.model_copy(
        update={"arranged": charter.model_copy(update={"residents": False, "family": False})}
    )
    assert blocked(citizens_only, spouse) and blocked(citizens_only, resident)


# 4. A note for some citizenships only is shown to those travelers only.
def test_route_note_limited_by_citizenship():
    note = RouteNote(
        text="No US embassy in Syria.", as_of=D(2024, 1, 1), source_url=SRC, applies_to=("US",)
    )
    r = route(
        notes=(note,), status=(StatusRecord(date=D(2024, 1, 1), status="open", source_url=SRC),)
    )
    lebanese = Traveler(citizenships=("LB",))
    assert "No US embassy" in reasons(evaluate(r, ctx(US, ON), []))
    assert "No US embassy" not in reasons(evaluate(r, ctx(lebanese, ON), []))


# 6. An exclave's crossing gets no plain road time from outside it, and says how to get there.
EXCLAVE = Area(south=54.3, west=19.6, north=55.3, east=22.9)


def _exclave_route(**kw):
    reach = Reach(
        area=EXCLAVE,
        by=("flight", "transit visa"),
        text="Fly in, or take the transit train.",
        as_of=D(2022, 9, 7),
        source_url=SRC,
    )
    base = dict(
        id="xx-exclave",
        departure=Place(name="Edge", lat=54.63, lon=22.74, country="RU", precision="crossing"),
        status=(StatusRecord(date=D(2022, 1, 1), status="open", source_url=SRC),),
        reach=reach,
    )
    base.update(kw)
    return route(**base)


def test_exclave_crossing_from_outside_has_no_road_time_and_a_caution():
    r = _exclave_route()
    moscow = evaluate(r, ctx(US, D(2022, 9, 28)), [])
    assert moscow.hours is None and moscow.distance_km is not None
    assert moscow.verdict == "caution"
    assert "Not reachable by road from where you are" in reasons(moscow)
    assert "flight or transit visa" in reasons(moscow)
    inside = Place(name="Kaliningrad", lat=54.71, lon=20.51, country="RU", precision="city")
    local = evaluate(r, ctx(US, D(2022, 9, 28), location=inside), [])
    assert local.hours is not None and local.verdict == "go"
    assert "reachable" not in reasons(local).lower()
    nowhere = evaluate(r, ctx(US, D(2022, 9, 28), location=None), [])
    assert nowhere.verdict == "go" and "Reachable by road only from its own area" in reasons(
        nowhere
    )


def test_exclave_crossing_ranks_as_evaluated_and_options_kept_follow_the_place():
    # Without coordinates the distance cannot tell places apart: the kept option must not
    # carry a caution from Moscow into a plan with no place given.
    r = _exclave_route(departure=Place(name="Edge", country="RU"))
    table = RouteTable.compile([r])
    here = ctx(US, D(2022, 9, 28))
    first = rank_routes(table, here)[0]
    assert first.verdict == "caution"
    again = rank_routes(table, dataclasses.replace(here, location=None))[0]
    assert again.verdict == "go" and again == evaluate(
        r, dataclasses.replace(here, location=None), []
    )


def test_kaliningrad_crossings_say_how_to_get_there_from_moscow():
    woman = Traveler(citizenships=("US",), sex="female", age=40)
    plan = build_plan(woman, D(2022, 9, 28), "RU", location=geo.find_place("Moscow", "RU"))
    kaliningrad = [o for o in plan.routes if "(Kaliningrad)" in o.name]
    assert len(kaliningrad) >= 3
    for option in kaliningrad:
        assert option.hours is None, option.id
        assert "Not reachable by road from where you are" in reasons(option), option.id


# 7. A traveler with a car at a crossing for pedestrians (and buses) only is told to leave it.
def test_car_at_a_crossing_without_cars_is_a_caution():
    r = route(
        modes=(ModeRecord(date=D(2020, 1, 1), modes=("foot", "bus"), source_url=SRC),),
        status=(StatusRecord(date=D(2022, 1, 1), status="open", source_url=SRC),),
    )
    driver = US.model_copy(update={"has_car": True})
    option = evaluate(r, ctx(driver, ON), [])
    assert option.verdict == "caution"
    assert "leave the car" in reasons(option)
    walker = US.model_copy(update={"has_car": False})
    assert evaluate(r, ctx(walker, ON), []).verdict == "go"


# 8. A date known only to the month does not decide a verdict before that month is over.
def test_roughly_dated_closure_decides_only_after_its_month():
    r = route(
        status=(
            StatusRecord(date=D(2024, 1, 1), status="open", source_url=SRC),
            StatusRecord(
                date=D(2024, 9, 1), date_precision="month", status="closed", source_url=SRC
            ),
        )
    )
    assert r.status[1].dated_as() == "September 2024"
    mid_month = evaluate(r, ctx(US, D(2024, 9, 10)), [])
    assert mid_month.verdict != "blocked"
    assert evaluate(r, ctx(US, D(2024, 10, 1)), []).verdict == "blocked"


# 9a. A checklist line joins the task and why as two sentences.
def test_checklist_line_joins_task_and_reason_as_sentences():
    item = ChecklistItem(
        id="step",
        category="communication",
        priority=1,
        text="Enrol your trip in STEP (step.state.gov)",
        reason="STEP sends you the embassy's alerts.",
        source_url=SRC,
        as_of=D(2024, 3, 5),
    )
    assert with_reason(item) == (
        "Enrol your trip in STEP (step.state.gov). Why: STEP sends you the embassy's alerts."
    )
    colon = item.model_copy(update={"text": "Take these:"})
    assert with_reason(colon).startswith("Take these. Why:")


# 9b. A country whose data describes a past crisis says so, and the data check warns once.
def test_historical_country_warns_once_and_plans_say_so():
    catalog = get_catalog()
    today = D(2026, 11, 26)
    findings, _ = datacheck.check(catalog, today)

    def ru(findings) -> list[str]:
        return [
            f.text
            for f in findings
            if f.text.startswith("data/countries/RU/") and "plain http" not in f.text
        ]

    per_fact = ru(findings)
    assert len(per_fact) > 5  # RU's facts, one warning each
    russia = catalog.countries["RU"].model_copy(update={"historical": "It describes 2022."})
    past = dataclasses.replace(catalog, countries={**catalog.countries, "RU": russia})
    findings, _ = datacheck.check(past, today)
    ru_lines = ru(findings)
    assert len(ru_lines) == 1
    assert f"historical (It describes 2022): {len(per_fact)} facts" in ru_lines[0]
    plan = build_plan(US, D(2022, 9, 28), "RU", catalog=past)
    assert any("It describes 2022. It is not kept current" in n for n in plan.notices)
    assert not any("not kept current" in n for n in build_plan(US, D(2022, 9, 28), "RU").notices)


def test_family_and_residence_reach_the_plan_from_the_page_and_the_cli():
    """An Israeli spouse of a US citizen may board the US charter of October 2023: from
    the page's "More about you" and from the CLI's --family-of."""
    from test_app import _run  # the page, driven by its widget keys

    state = dict(
        from_country="IL",
        near="Tel Aviv",
        citizenships=["IL"],
        sex="female",
        age=35,
        as_of=D(2023, 10, 15),
    )
    charter = "il-gr-us-charters-2023"

    def verdict(at) -> str:
        assert not at.exception
        plan = at.session_state["_last_plan"][1]
        return next(o.verdict for o in plan.routes if o.id == charter)

    assert verdict(_run(**state)) == "blocked"
    at = _run(**state, more_open=True, family_of=["US"])
    assert verdict(at) == "go"
    assert at.multiselect(key="family_of").value == ["US"]
    assert at.multiselect(key="residences").value == []
    run = subprocess.run(
        [sys.executable, "-m", "planner", "plan", "--from", "IL", "--near", "Tel Aviv",
         "--citizenship", "IL", "--date", "2023-10-15", "--family-of", "US", "--full"],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    assert "For you as close family of a citizen" in run.stdout
    bad = subprocess.run(
        [sys.executable, "-m", "planner", "plan", "--from", "IL", "--near", "Tel Aviv",
         "--citizenship", "IL", "--resident-of", "ZZ"],
        capture_output=True, text=True,
    )  # fmt: skip
    assert bad.returncode == 2 and len(bad.stderr.strip().splitlines()) == 1
