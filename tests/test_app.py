"""The web page, driven by its widget keys through Streamlit's AppTest (no browser, no network).

Each test sets `at.session_state[key]` (the keys listed in README) and runs the page, as a
script or a restored plan file would, then checks what a person would see.
"""

from __future__ import annotations

import datetime as dt
import html
import io
import json
import re
from pathlib import Path

import pytest
import streamlit
from pypdf import PdfReader
from streamlit.testing.v1 import AppTest

from planner import geo
from planner.errors import InputError
from planner.export.planfile import dump_planfile
from planner.models import Place, UserRoute
from planner.plan import build_plan
from planner.traveler import make_traveler

APP = str(Path(__file__).resolve().parent.parent / "app.py")
SEPT_28 = dt.date(2022, 9, 28)
LARS = "ru-ge-verkhny-lars"  # far below the best 5 for the dual national of these tests


def _page() -> AppTest:
    return AppTest.from_file(APP, default_timeout=60)


def _run(**state) -> AppTest:
    at = _page()
    for key, value in state.items():
        at.session_state[key] = value
    return at.run()


def _dual_national(**extra) -> AppTest:
    state = {
        "from_country": "RU",
        "near": "Moscow",
        "citizenships": ["US", "RU"],
        "sex": "male",
        "age": 30,
        "military_status": "none",
        "as_of": SEPT_28,
    }
    return _run(**{**state, **extra})


def _text(elements) -> str:
    """What a person reads: the page escapes every character of text as a character
    reference and stops automatic links with a word joiner (ui.labels.esc)."""
    return "\n".join(seen(str(e.value)) for e in elements)


def seen(text: str) -> str:
    return html.unescape(text).replace("\u2060", "")


def _markdown(at: AppTest) -> str:
    return _text(at.markdown)


def _errors(at: AppTest) -> list[str]:
    # Risk notes of high severity are red boxes too; input errors are the ones with an icon.
    return [seen(e.value) for e in at.error if e.icon == ":material/warning:"]


def _progress(at: AppTest) -> str:
    return at.get("progress")[0].proto.text


def _table(at: AppTest, column: str) -> list:
    for frame in at.dataframe:
        data = frame.value
        if column in data.columns:
            return list(data[column])
    raise AssertionError(f"no table with a {column!r} column")


def test_first_render_shows_the_form_and_the_snapshot_advice():
    at = _page().run()
    assert not at.exception
    assert at.selectbox(key="from_country").value == "RU"
    assert at.date_input(key="as_of").value == dt.date.today()
    assert "Add your citizenship" in _text(at.info)
    assert "Offline copy" in _text(at.warning)  # the snapshot banner, with its dates
    assert "Level 4: Do Not Travel" in _table(at, "label")
    assert "4 / 4" in _table(at, "level")
    assert at.file_uploader(key="upload_planfile")  # but a plan file can be restored


def test_dual_national_near_moscow_on_28_september_2022():
    at = _dual_national()
    assert not at.exception
    assert not _errors(at)
    md = _markdown(at)
    assert "Found: Moscow (Москва), Russia" in _text(at.caption)
    assert "Best way out now" in md
    # The verdicts are words, big and coloured, for the top routes.
    assert "CAUTION</span>" in md or "GO</span>" in md
    verdicts = _table(at, "verdict")
    assert {"GO", "CAUTION", "BLOCKED"} <= set(verdicts)
    assert verdicts[-1] == "BLOCKED"  # blocked routes last
    # A Russian national leaves on the Russian passport on every route.
    assert set(_table(at, "exit")) == {"RU"}
    assert "US" in _table(at, "entry")
    # Risk notes: one box each, the severity in words as well as colour.
    assert '<div class="dp-risk dp-risk-high">\n\n**HIGH · Dual nationals can be conscripted' in md
    box = at.checkbox(key="tick_dual-russian-passport")
    assert "Why:" in seen(box.label) and "[source](https://" in box.label  # why and the source
    assert "0 of" in _progress(at)  # checklist progress


def test_us_only_traveler_today_leaves_on_the_us_passport():
    at = _run(from_country="RU", near="Saint Petersburg", citizenships=["US"])
    assert not at.exception
    assert not _errors(at)
    assert set(_table(at, "exit")) == {"US"}
    assert "Dual nationals can be conscripted" not in _markdown(at)


def test_country_without_route_data_still_gives_advice_and_checklist():
    at = _run(from_country="FR", near="Paris", citizenships=["US"])
    assert not at.exception
    assert not _errors(at)
    assert "no route data for France" in _text(at.info)
    assert any(cb.key.startswith("tick_") for cb in at.checkbox if cb.key)
    assert "France" in _text(at.header)


def test_misspelt_place_shows_suggestions_and_keeps_the_other_inputs():
    at = _dual_national(near="Mosow")
    assert not at.exception
    errors = _errors(at)
    assert len(errors) == 1 and "did you mean Moscow (RU)" in errors[0]
    assert errors[0].startswith("Unknown place 'Mosow'")
    assert at.text_input(key="near").value == "Mosow"
    assert at.multiselect(key="citizenships").value == ["US", "RU"]
    assert at.number_input(key="age").value == 30
    assert at.radio(key="sex").value == "male"
    assert at.date_input(key="as_of").value == SEPT_28
    # Fixing the field alone brings the plan back.
    at.text_input(key="near").set_value("Москва").run()
    assert not _errors(at)
    assert "Best way out now" in _markdown(at)


def test_a_district_is_found_by_its_town_and_the_page_says_so():
    at = _dual_national(
        from_country="LB", near="Hamra, Beirut", citizenships=["LB"], as_of=dt.date(2024, 10, 1)
    )
    assert not at.exception and not _errors(at)
    captions = _text(at.caption)
    assert "Found: Beirut, Lebanon" in captions
    assert "“Beirut” in it is, so distances are counted from Beirut (LB)." in captions


def test_citizenships_offered_are_states_that_issue_passports():
    at = _dual_national(more_open=True)
    offered = at.multiselect(key="citizenships").options
    assert {"United States", "Russia", "Lebanon"} <= set(offered)
    assert "United States Minor Outlying Islands" not in offered
    # Visas held may be for any country.
    assert "United States Minor Outlying Islands" in at.multiselect(key="visas").options


@pytest.mark.parametrize("age", [200, -1])
def test_impossible_age_is_an_error_beside_the_field(age):
    at = _dual_national(age=age)
    assert not at.exception
    errors = _errors(at)
    assert errors == [f"Impossible age {age}: give a whole number from 0 to 120"]
    assert at.multiselect(key="citizenships").value == ["US", "RU"]
    assert at.text_input(key="near").value == "Moscow"
    assert "Best way out now" not in _markdown(at)


def test_an_error_in_the_closed_more_box_opens_it():
    at = _dual_national(children_under_18=-1)
    assert not at.exception
    errors = _errors(at)
    assert len(errors) == 1 and "greater than or equal to 0" in errors[0]
    assert at.number_input(key="children_under_18").value == -1  # shown, beside its error


def test_date_before_the_data_is_an_error_and_keeps_inputs():
    at = _dual_national(as_of=dt.date(2005, 1, 1))
    assert not at.exception
    errors = _errors(at)
    assert len(errors) == 1 and "before the data begins" in errors[0]
    assert at.number_input(key="age").value == 30


def test_no_citizenship_asks_for_one_and_plans_nothing():
    at = _dual_national(citizenships=[])
    assert not at.exception
    assert "Add at least one citizenship." in _text(at.info)
    assert "Best way out now" not in _markdown(at)


def test_ticks_survive_reruns_and_show_progress():
    at = _dual_national()
    at.checkbox(key="tick_dual-russian-passport").check().run()
    assert at.checkbox(key="tick_dual-russian-passport").value
    # Another input changes: the plan is rebuilt, the tick stays.
    at.number_input(key="children").set_value(1).run()
    assert at.checkbox(key="tick_dual-russian-passport").value
    assert "1 of" in _progress(at)


def test_filters_hide_blocked_and_pick_kinds():
    at = _dual_national(hide_blocked=True, route_kinds=["land"])
    assert not at.exception
    assert "BLOCKED" not in _table(at, "verdict")
    assert set(_table(at, "kind")) == {"Land"}


def test_boxes_are_built_only_when_opened():
    # Closed, a box costs a rerun nothing; opening it (a rerun) builds what is inside.
    def form_shown(at: AppTest) -> bool:
        return any(w.key == "new_route_name" for w in at.text_input)

    at = _dual_national()
    assert not form_shown(at)
    assert "Everything you type stays on this computer" not in _markdown(at)
    at.session_state["add_route_open"] = True
    at.session_state["about_open"] = True
    at.run()
    assert not at.exception
    assert form_shown(at)
    assert "Everything you type stays on this computer" in _markdown(at)


def test_user_added_route_is_planned_and_marked():
    at = _dual_national(add_route_open=True)
    at.text_input(key="new_route_name").set_value("Night bus to Narva")
    at.selectbox(key="new_route_kind").set_value("land")
    at.selectbox(key="new_route_to").set_value("EE")
    at.text_input(key="new_route_place").set_value("Kingisepp")
    at.text_area(key="new_route_note").set_value("A friend crossed on foot yesterday.")
    at.button(key="add_route").click().run()
    assert not at.exception
    routes = at.session_state["user_routes"]
    assert [r.name for r in routes] == ["Night bus to Narva"]
    assert routes[0].id.startswith("user-") and routes[0].to_country == "EE"
    names = _table(at, "route")
    assert "Night bus to Narva (added by you) (no source given)" in names
    assert "Added: Night bus to Narva" in _text(at.success)


@pytest.fixture
def downloads(monkeypatch) -> dict:
    """What each download button of the last run would give when clicked, by key: the page
    makes its files on click (a callable), which AppTest cannot click."""
    made: dict = {}
    button = streamlit.download_button

    def keep(label, data, *args, **kwargs):
        made[kwargs["key"]] = data
        return button(label, data, *args, **kwargs)

    monkeypatch.setattr(streamlit, "download_button", keep)
    return made


def _details(pdf: bytes) -> list[str]:
    """The routes with a details card in the PDF ("12. Name" heads a card; the table's row
    numbers have no dot)."""
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    return re.findall(r"^[A-Z]+ \d+\. (.+?)(?: · .*)?$", text, flags=re.MULTILINE)


def test_a_starred_route_is_marked_and_gets_details_in_the_pdf_and_plan_file(downloads):
    at = _dual_national()
    assert not any("Verkhny Lars" in name for name in _details(downloads["download_pdf"]()))
    at.selectbox(key="route_detail").set_value(LARS).run()
    assert "starred: details in the PDF" not in _markdown(at)
    at.checkbox(key=f"star_{LARS}").check().run()
    assert not at.exception
    assert "★ starred: details in the PDF" in _markdown(at)
    # The card goes (another route is chosen): the star stays, for the PDF and the file.
    at.selectbox(key="route_detail").set_value("ru-fi-vaalimaa").run()
    assert at.session_state["starred"] == {LARS}
    details = _details(downloads["download_pdf"]())
    assert any(name.startswith("Verkhny Lars (Upper Lars)") for name in details)
    assert json.loads(downloads["download_planfile"]())["starred"] == [LARS]
    # Unstarred, the route is back to the table only.
    at.selectbox(key="route_detail").set_value(LARS).run()
    at.checkbox(key=f"star_{LARS}").uncheck().run()
    assert at.session_state["starred"] == set()
    assert not any("Verkhny Lars" in name for name in _details(downloads["download_pdf"]()))


def test_user_route_without_name_keeps_the_form():
    at = _dual_national(add_route_open=True)
    at.number_input(key="new_route_lat").set_value(59.37)
    at.number_input(key="new_route_lon").set_value(28.2)
    at.button(key="add_route").click().run()
    assert not at.exception
    assert "Give the route a name." in _errors(at)
    assert at.session_state["user_routes"] == []


def test_optional_inputs_keep_their_values_while_their_box_is_closed():
    # "More about you" is built only while open; closing it must not drop what was set.
    at = _dual_national(more_open=True)
    at.multiselect(key="visas").set_value(["GE"])
    at.checkbox(key="pets").check().run()
    at.session_state["more_open"] = False
    at.run()
    assert not at.exception
    assert not any(w.key == "pets" for w in at.checkbox)
    at.number_input(key="children").set_value(1).run()  # another input: a new plan
    traveler = at.session_state["_last_plan"][1].traveler
    assert traveler.pets and traveler.visas == ("GE",) and traveler.children == 1
    at.session_state["more_open"] = True
    at.run()
    assert at.checkbox(key="pets").value and at.multiselect(key="visas").value == ["GE"]


def route_of_file() -> UserRoute:
    return UserRoute(
        id="user-boat",
        kind="sea",
        name="Fishing boat to Narva-Jõesuu",
        place=geo.find_place("Kingisepp", "RU"),
        to_country="EE",
        source_url="https://example.org/report",
        added=SEPT_28,
    )


def _saved_planfile() -> bytes:
    traveler = make_traveler(
        citizenships=("US", "RU"), sex="male", age=30, near="Moscow", children=2
    )
    route = route_of_file()
    plan = build_plan(
        traveler,
        SEPT_28,
        "RU",
        location=Place(name="Moscow", lat=55.75, lon=37.62, country="RU"),
        user_routes=[route],
    )
    return dump_planfile(
        plan,
        ticked=frozenset({"dual-russian-passport"}),
        user_routes=[route],
        starred=[LARS, route.id],
    )


def test_restoring_a_plan_file_brings_back_inputs_ticks_and_routes():
    at = _page().run()
    at.file_uploader(key="upload_planfile").set_value(
        ("plan.json", _saved_planfile(), "application/json")
    ).run()
    assert not at.exception
    assert "Plan restored" in _text(at.success)
    assert at.multiselect(key="citizenships").value == ["US", "RU"]
    assert at.number_input(key="age").value == 30
    assert at.number_input(key="children").value == 2
    assert at.date_input(key="as_of").value == SEPT_28
    assert at.text_input(key="near").value == "Moscow"
    assert at.checkbox(key="tick_dual-russian-passport").value
    assert "Fishing boat to Narva-Jõesuu (added by you)" in _table(at, "route")
    assert at.session_state["user_routes"] == [route_of_file()]
    assert at.session_state["starred"] == {LARS, "user-boat"}
    at.selectbox(key="route_detail").set_value(LARS).run()
    assert at.checkbox(key=f"star_{LARS}").value
    assert "★ starred: details in the PDF" in _markdown(at)
    # Saved today for a past date: what changed counts from a week before that date.
    assert at.date_input(key="changes_since").value == dt.date(2022, 9, 21)
    assert "after its plan date" in _text(at.caption)


def test_stars_of_a_file_for_routes_the_data_lacks_are_left_out_and_said(downloads):
    doc = json.loads(_saved_planfile())
    doc["starred"].append("ru-closed-in-2021")
    at = _page().run()
    at.file_uploader(key="upload_planfile").set_value(
        ("plan.json", json.dumps(doc).encode(), "application/json")
    ).run()
    assert not at.exception
    assert "1 star(s) for routes no longer in the data were left out." in _text(at.success)
    assert at.session_state["starred"] == {LARS, "user-boat"}


def _with(**fields) -> bytes:
    """A good plan file with some fields replaced, as a stranger could write it."""
    return json.dumps({**json.loads(_saved_planfile()), **fields}).encode()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"not json", "not valid JSON"),
        (b'{"format": "something-else"}', "not a Departure Planner plan file"),
        (_with(starred=[f"ru-r{i}" for i in range(501)]), "damaged at starred"),
        (_with(starred=[LARS, ["nested"]]), "damaged at starred"),
        (_with(starred=LARS), "damaged at starred"),
    ],
    ids=["not-json", "other-format", "too-many-stars", "star-not-a-string", "stars-not-a-list"],
)
def test_a_bad_plan_file_is_an_error_and_changes_nothing(content, message):
    at = _dual_national(starred={"ru-fi-vaalimaa"})
    at.file_uploader(key="upload_planfile").set_value(("plan.json", content, "text/plain")).run()
    assert not at.exception
    assert any(message in e for e in _errors(at))
    assert at.multiselect(key="citizenships").value == ["US", "RU"]
    assert at.number_input(key="age").value == 30
    assert at.session_state["starred"] == {"ru-fi-vaalimaa"}
    assert "Best way out now" in _markdown(at)


def test_online_lookup_is_opt_in_and_sends_only_the_place_name(monkeypatch):
    asked: list[tuple] = []

    def fake_lookup(*args, **kwargs):
        asked.append((args, kwargs))
        return Place(name="Nowhereville", lat=55.0, lon=37.0, country="RU", precision="settlement")

    monkeypatch.setattr(geo, "geocode_online", fake_lookup)
    at = _dual_national(near="Nowhereville", more_open=True)  # the opt-in is in "more"
    assert "Unknown place 'Nowhereville'" in _errors(at)[0]
    assert asked == []  # not opted in: nothing leaves the machine
    at.checkbox(key="online_geocode").check().run()
    assert not at.exception
    assert not _errors(at)
    assert asked == [(("Nowhereville",), {})]
    assert "Best way out now" in _markdown(at)


def test_a_failed_online_lookup_is_an_error_beside_the_field(monkeypatch):
    def failing_lookup(query):
        raise InputError(f"online lookup found no place called {query!r}")

    monkeypatch.setattr(geo, "geocode_online", failing_lookup)
    at = _dual_national(near="Nowhereburg", online_geocode=True)
    assert not at.exception
    errors = _errors(at)
    assert len(errors) == 1 and "Online lookup found no place called 'Nowhereburg'" in errors[0]
    assert at.multiselect(key="citizenships").value == ["US", "RU"]


def test_live_advice_without_network_falls_back_to_the_snapshot():
    # conftest blocks every connection: each feed fails fast and the snapshot answers.
    at = _dual_national(live_advisories=True)
    assert not at.exception
    assert "Offline copy" in _text(at.warning)
    assert "Best way out now" in _markdown(at)


def test_every_page_string_comes_from_the_catalog():
    import re

    from planner.messages import has

    keys = set()
    for path in [Path(APP), *sorted((Path(APP).parent / "ui").glob("*.py"))]:
        keys |= set(re.findall(r"""\bt\(\s*["']((?:app|pdf)\.[a-z0-9_.]+)["']""", path.read_text()))
    assert keys and [k for k in sorted(keys) if not has(k)] == []


def test_country_circumstances_are_asked_and_change_the_verdicts():
    state = {
        "from_country": "UA",
        "near": "Kyiv",
        "citizenships": ["UA", "US"],
        "sex": "male",
        "age": 30,
        "as_of": dt.date(2022, 4, 1),
    }
    at = _run(**state, more_open=True)
    assert not at.exception
    box = at.checkbox(key="circumstance_raising-child-alone")
    assert "raising a child under 18 alone" in box.label
    assert set(_table(at, "verdict")) == {"BLOCKED"}
    at = _run(**state, **{"circumstance_raising-child-alone": True})
    assert "CAUTION" in set(_table(at, "verdict"))


def test_a_rerun_with_the_same_routes_replays_the_same_cards_table_and_map():
    # 6 and 7 Oct 2022 give the same routes: the second run replays the drawn elements.
    def shown(at: AppTest) -> tuple:
        # Only the advisory notices, the alerts' heading and the advice line name the date;
        # what changed in the week before each date is another week.
        routes = [m for m in at.markdown if "dp-changes" not in m.value]
        text = [
            line
            for line in _text(routes).splitlines()
            if "2022-10-0" not in line and " Oct 2022" not in line
        ]
        return text, _table(at, "route"), _table(at, "verdict"), len(at.expander)

    at = _dual_national(as_of=dt.date(2022, 10, 6))
    first = shown(at)
    at.session_state["as_of"] = dt.date(2022, 10, 7)
    at.run()
    assert not at.exception
    assert shown(at) == first
    assert len(at.get("deck_gl_json_chart")) == 1
    assert "dp-card-title" in _markdown(at)


@pytest.mark.parametrize(
    ("departure", "near", "on", "citizenships"),
    [
        ("RU", "Moscow", SEPT_28, ("US", "RU")),
        ("UA", "Kyiv", dt.date(2022, 3, 1), ("UA",)),
        ("IL", "Tel Aviv", dt.date(2023, 10, 15), ("US",)),
        ("LB", "Beirut", dt.date(2024, 10, 5), ("LB", "US")),
    ],
)
def test_every_reason_of_every_route_is_on_the_page_once_said(departure, near, on, citizenships):
    """A route's card holds its own facts (two, then the rest one click away) and names the
    shared sections; those are drawn once above the routes. Together: every reason."""
    from planner.grouping import split
    from ui import routes as page_routes

    traveler = make_traveler(citizenships=citizenships, sex="male", age=30)
    plan = build_plan(traveler, on, departure, location=geo.find_place(near, departure))
    shared = seen(page_routes._shared_markdown(plan.shared, page_routes._names(plan)))
    for n, option in enumerate(plan.routes, 1):
        own, refs = split(option, plan.shared)
        card = seen(page_routes._card_markdown(option, n, tuple(own), tuple(refs)))
        for ref in refs:
            assert ref.title in card
        for reason in option.reasons:
            text = " ".join(reason.text.split())
            assert text in card or text in shared, (option.id, text[:60])
    if departure == "UA":  # martial law: the exit rules open above the routes
        assert "Leaving Ukraine: rules that apply to you" in shared.split("<details")[1]


def _changes_box(at: AppTest) -> str:
    return next(seen(str(m.value)) for m in at.markdown if "dp-changes" in m.value)


def _timeline_spec(at: AppTest) -> dict:
    import json

    (chart,) = at.get("vega_lite_chart")
    return json.loads(chart.proto.spec)


def test_what_changed_shows_the_last_week_by_day_with_sources_and_a_timeline():
    at = _dual_national()
    assert not at.exception
    assert "What changed for you" in _text(at.subheader)
    assert at.date_input(key="changes_since").value == dt.date(2022, 9, 21)
    box = _changes_box(at)
    assert "After 21 Sep 2022, up to 28 Sep 2022" in box
    # Newest day first; a verdict that turned says so in words, with its source.
    assert box.index("**28 Sep 2022**") < box.index("**27 Sep 2022**")
    assert "Verdict · **Pededze (Latvia–Russia)** **GO → BLOCKED**" in box
    assert box.count("[source](https://") >= 10
    spec = _timeline_spec(at)
    names = spec["encoding"]["y"]["sort"]
    assert names[0] == at.session_state["_last_plan"][1].routes[0].name
    assert "Pededze (Latvia–Russia)" in names  # its verdict just turned


def test_what_changed_follows_the_picked_date_and_the_plan_date():
    at = _dual_national()
    at.date_input(key="changes_since").set_value(dt.date(2022, 9, 27)).run()
    assert "After 27 Sep 2022, up to 28 Sep 2022" in _changes_box(at)
    assert "**26 Sep 2022**" not in _changes_box(at)
    at.date_input(key="as_of").set_value(dt.date(2022, 10, 5)).run()
    assert at.date_input(key="changes_since").value == dt.date(2022, 9, 27)  # kept
    at = _dual_national()
    at.date_input(key="as_of").set_value(dt.date(2022, 10, 5)).run()
    assert at.date_input(key="changes_since").value == dt.date(2022, 9, 28)  # follows
    assert "After 28 Sep 2022, up to 5 Oct 2022" in _changes_box(at)


def test_after_restoring_a_plan_file_changes_count_from_the_day_it_was_saved():
    traveler = make_traveler(citizenships=("RU",), visas=("FI",), sex="male", age=30)
    plan = build_plan(traveler, dt.date(2022, 10, 5), "RU", location=geo.find_place("Moscow"))
    saved = dt.datetime(2022, 9, 25, 18, 30, tzinfo=dt.UTC)
    at = _page().run()
    at.file_uploader(key="upload_planfile").set_value(
        ("plan.json", dump_planfile(plan, saved=saved), "application/json")
    ).run()
    assert not at.exception
    assert at.date_input(key="changes_since").value == dt.date(2022, 9, 25)
    assert "Since you saved this plan (25 Sep 2022)" in _text(at.caption)
    box = _changes_box(at)
    assert "After 25 Sep 2022, up to 5 Oct 2022" in box
    assert "Verdict · **Torfyanovka – Vaalimaa** **GO → CAUTION**" in box
