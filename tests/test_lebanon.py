"""Lebanon, Sept–Oct 2024, planned from its data folder alone: the cases the fact base was
compiled for (a US citizen in Beirut before and after the Masnaa strike, a Lebanese-US dual
national and her Lebanese-only spouse, a Lebanese woman in Tripoli)."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from pathlib import Path

import pytest

from planner import geo
from planner.plaintext import format_plan
from planner.plan import build_plan
from planner.traveler import make_traveler

D = dt.date
ROOT = Path(__file__).resolve().parent.parent
OCT_3, OCT_5, OCT_10 = D(2024, 10, 3), D(2024, 10, 5), D(2024, 10, 10)
US_ARRANGED = "lb-tr-us-flights-2024"
MEA = {"lb-tr-bey-istanbul", "lb-de-bey-frankfurt", "lb-cy-bey-larnaca"}


def plan(on, near="Beirut", **traveler):
    traveler.setdefault("sex", "female")
    traveler.setdefault("age", 40)
    return build_plan(make_traveler(**traveler), on, "LB", location=geo.find_place(near, "LB"))


def by_id(p):
    return {o.id: o for o in p.routes}


def texts(option):
    return " ".join(r.text for r in option.reasons)


# ------------------------------------------------------------------ a US citizen in Beirut


def test_us_woman_in_beirut_on_oct_3_arranged_and_mea_before_syria_and_sea_listed():
    p = plan(OCT_3, citizenships=("US",))
    order = [o.id for o in p.routes]
    routes = by_id(p)
    # The US-arranged seats and charters come first, open to her as a citizen.
    assert order[0] == US_ARRANGED and routes[US_ARRANGED].verdict == "go"
    assert "Arranged by the United States government" in texts(routes[US_ARRANGED])
    assert "USD 283" in texts(routes[US_ARRANGED])
    # Middle East Airlines kept flying: usable, with the dated note that others suspended.
    for rid in MEA:
        assert routes[rid].verdict != "blocked", rid
        assert routes[rid].status == "restricted" and routes[rid].status_as_of <= OCT_3
    assert "except Middle East Airlines" in texts(routes["lb-tr-bey-istanbul"])
    # Every land route into Syria after the arranged departure and every MEA flight.
    into_syria = [i for i, o in enumerate(p.routes) if o.to_country == "SY" and o.kind == "land"]
    assert into_syria
    assert max(order.index(r) for r in (US_ARRANGED, *MEA)) < min(into_syria)
    masnaa = routes["lb-sy-masnaa"]
    assert masnaa.verdict == "blocked"  # a US passport needs a Syrian visa in advance
    said = texts(masnaa)
    assert "visa required" in said
    assert "level 4 of 4 for Syria" in said  # US advice on the plan date
    assert "suspended operations in February 2012" in said  # the US-only note
    assert "strike" not in said.lower()  # nothing from after 3 Oct
    # Sea to Cyprus is listed, and open to a US passport.
    boats = routes["lb-cy-boats-2024"]
    assert boats.kind == "sea" and boats.to_country == "CY" and boats.verdict != "blocked"
    # Other governments' arrangements are named but not for her.
    assert routes["lb-gb-uk-charters-2024"].verdict == "blocked"
    assert "Not for you" in texts(routes["lb-gb-uk-charters-2024"])
    # The alerts of the day, and nothing dated later.
    assert p.alerts and all(a.as_of <= OCT_3 for a in p.alerts)
    assert any("first US-organised flight" in a.text for a in p.alerts)
    assert not any("Masnaa" in a.text for a in p.alerts)


def test_us_woman_on_oct_5_sees_the_masnaa_road_damage_of_oct_4():
    p = plan(OCT_5, citizenships=("US",))
    masnaa = by_id(p)["lb-sy-masnaa"]
    assert masnaa.status == "restricted" and masnaa.status_as_of == D(2024, 10, 4)
    said = texts(masnaa)
    assert "Israeli strike on Fri 4 Oct cut the road" in said
    assert "No cars cross here (foot only)" in said  # she has a car by default
    assert any("Masnaa" in a.text and a.as_of == D(2024, 10, 4) for a in p.alerts)
    # Still last among the usable ways, after the arranged departure.
    assert p.routes[0].id == US_ARRANGED
    # The Turkish visa cell of the 2022 data set is corrected: visa-free since 23 Dec 2023.
    istanbul = by_id(p)["lb-tr-bey-istanbul"]
    assert istanbul.entry_requirement == "visa free", istanbul.entry_requirement


def test_the_uk_charters_stop_after_the_last_one_on_oct_6():
    on_6 = by_id(plan(D(2024, 10, 6), citizenships=("GB",)))["lb-gb-uk-charters-2024"]
    assert on_6.verdict != "blocked" and "£350" in texts(on_6)
    on_7 = by_id(plan(D(2024, 10, 7), citizenships=("GB",)))["lb-gb-uk-charters-2024"]
    assert on_7.verdict == "blocked" and on_7.status == "closed"


# ------------------------------------------------------------------ dual national and family


def test_lebanese_us_dual_national_is_told_the_exit_passport_rule_was_not_found():
    p = plan(OCT_5, citizenships=("LB", "US"))
    routes = by_id(p)
    for option in p.routes:
        assert "No source says which passport" in texts(option), option.id
    us = routes[US_ARRANGED]
    assert us.verdict != "blocked"
    assert "Arranged by the United States government" in texts(us)
    # On the Lebanese passport Syria is open without a visa; the US advice still counts.
    masnaa = routes["lb-sy-masnaa"]
    assert masnaa.verdict == "caution"
    assert "level 4 of 4 for Syria" in texts(masnaa)
    assert any(r.title == "Which passport to leave on: no rule found" for r in p.risks)


def test_lebanese_spouse_of_a_us_citizen_may_board_the_us_departure_only_as_family():
    with_family = by_id(plan(OCT_5, citizenships=("LB",), family_of=("US",)))[US_ARRANGED]
    assert with_family.verdict != "blocked"
    assert "For you as close family of a citizen" in texts(with_family)
    alone = by_id(plan(OCT_5, citizenships=("LB",)))[US_ARRANGED]
    assert alone.verdict == "blocked" and "Not for you" in texts(alone)
    # A US permanent resident may board too (the State Department took lawful permanent residents).
    resident = by_id(plan(OCT_5, citizenships=("LB",), residences=("US",)))[US_ARRANGED]
    assert resident.verdict != "blocked" and "For you as a permanent resident" in texts(resident)
    # The UK charter takes family too, but not of a US citizen.
    uk = by_id(plan(OCT_5, citizenships=("LB",), family_of=("US",)))["lb-gb-uk-charters-2024"]
    assert uk.verdict == "blocked"


# ------------------------------------------------------------------ a Lebanese woman in Tripoli


def test_lebanese_woman_in_tripoli_has_syria_by_land_and_needs_a_visa_for_cyprus():
    p = plan(OCT_10, near="Tripoli", citizenships=("LB",))
    routes = by_id(p)
    into_syria = [o for o in p.routes if o.to_country == "SY" and o.kind == "land"]
    usable = [o for o in into_syria if o.verdict != "blocked"]
    assert {o.id for o in usable} >= {"lb-sy-arida", "lb-sy-masnaa"}
    for option in usable:
        assert option.entry_requirement == "visa free"
        assert "advises against going there" not in texts(option)  # no US advice for her
    assert "emergency entry card" in texts(routes["lb-sy-arida"])  # the Lebanese-only note
    assert "suspended operations in February 2012" not in texts(routes["lb-sy-arida"])
    for rid in ("lb-cy-boats-2024", "lb-cy-bey-larnaca"):
        assert routes[rid].verdict == "blocked"
        assert "Entry to Cyprus on the LB passport: visa required" in texts(routes[rid])
    # Qaa was cut for vehicles on 25 Oct (people crossed on foot); Matraba closed since 27 Sept.
    later = by_id(plan(D(2024, 10, 26), near="Tripoli", citizenships=("LB",)))
    qaa = later["lb-sy-qaa-jousieh"]
    assert qaa.status == "restricted" and "No cars cross here (foot only)" in texts(qaa)
    assert later["lb-sy-matraba"].verdict == "blocked" and later["lb-sy-matraba"].status == "closed"
    assert later["lb-sy-arida"].verdict != "blocked"


def test_plans_before_the_data_begins_are_refused():
    from planner.errors import InputError

    with pytest.raises((InputError, ValueError)):
        plan(D(2024, 9, 1), citizenships=("US",))


# ------------------------------------------------------------------ the CLI


def test_the_cli_plan_for_a_us_woman_in_beirut_reads_right():
    argv = ["plan", "--from", "LB", "--near", "Beirut", "--citizenship", "US"]
    argv += ["--sex", "female", "--date", "2024-10-03", "--offline"]
    done = subprocess.run(
        [sys.executable, "-m", "planner", *argv], cwd=ROOT, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    out = done.stdout
    assert "DEPARTURE PLAN: leaving Lebanon on 2024-10-03" in out
    assert "ALERTS IN FORCE ON 2024-10-03" in out
    best = out.split("BEST WAYS OUT")[1]
    first = next(line for line in best.splitlines() if line.startswith(" 1. "))
    assert "US-arranged" in first and "[GO]" in first
    assert "United States   level 4" in out
    assert "e-visa" not in best  # the corrected Turkish entry
    full = format_plan(plan(OCT_3, citizenships=("US",)), full=True)
    assert "U.S. Embassy Beirut" in full and "+961-4-542600" in full
    assert "125" in full  # Civil Defence
