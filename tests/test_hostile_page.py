"""The page, attacked on purpose (AppTest, no browser): crafted plan files, hostile text in the
data, the feeds and the inputs.

What must hold: a plan file cannot change what the page says about curated routes, cannot
add markup and cannot crash the session; no text from data, feeds, files or the user
becomes markup or a link; a link is only ever a plain http(s) one. The browser test
(tests/test_browser.py) checks the same in a real page, and every request it makes.
"""

from __future__ import annotations

import datetime as dt
import html
import json
from pathlib import Path

import pytest
from pydantic import BaseModel
from streamlit.testing.v1 import AppTest

from planner import catalog as catalog_module
from planner import geo
from planner.advisories.report import AdvisoryReport, SourceStatus
from planner.catalog import get_catalog
from planner.export.planfile import dump_planfile
from planner.models import Advisory, UserRoute
from planner.plan import build_plan
from planner.traveler import make_traveler

APP = str(Path(__file__).resolve().parent.parent / "app.py")
SEPT_28 = dt.date(2022, 9, 28)
# Markdown, HTML, a script link, Streamlit's directives, maths and an automatic link.
HOSTILE = (
    '<img src=x onerror="alert(1)"><b>PWN</b> [click](javascript:alert(1)) **bold** '
    ":red[red] :material/home: $x^2$ www.evil.example me@evil.example"
)
RAW_MARKUP = (
    "<img",
    "<b>PWN",
    "](javascript",
    "**bold**",
    ":red[red]",
    ":material/home",
    "$x^2$",
    "www.evil",
    "me@",
)


def _page() -> AppTest:
    return AppTest.from_file(APP, default_timeout=60)


def _dual(**extra) -> AppTest:
    at = _page()
    state = {
        "from_country": "RU",
        "near": "Moscow",
        "citizenships": ["US", "RU"],
        "sex": "male",
        "age": 30,
        "as_of": SEPT_28,
    }
    for key, value in {**state, **extra}.items():
        at.session_state[key] = value
    return at.run()


def _bodies(at: AppTest) -> list[str]:
    """Every piece of text the page sends that Streamlit reads as markdown (or HTML)."""
    out = [str(e.value) for kind in ("markdown", "caption", "header", "subheader", "title")
           for e in getattr(at, kind)]  # fmt: skip
    out += [str(e.value) for kind in ("error", "warning", "info", "success") for e in at.get(kind)]
    out += [w.label for kind in ("checkbox", "toggle", "button") for w in getattr(at, kind)]
    out += [e.label for e in at.expander]
    return out


def _seen(text: str) -> str:
    return html.unescape(text).replace("\u2060", "")


def _assert_inert(at: AppTest, *, shown: bool = True) -> None:
    bodies = _bodies(at)
    leaks = [(mark, b[:120]) for b in bodies for mark in RAW_MARKUP if mark in b]
    assert leaks == []
    if shown:  # the hostile text is on the page, as text
        assert any("[click](javascript:alert(1))" in _seen(b) for b in bodies)


def _planfile(**changes) -> bytes:
    traveler = make_traveler(citizenships=("US", "RU"), sex="male", age=30, near="Moscow")
    moscow = geo.find_place("Moscow", "RU")
    plan = build_plan(traveler, SEPT_28, "RU", location=moscow)
    doc = json.loads(dump_planfile(plan, ticked=frozenset({"dual-russian-passport"})))
    for path, value in changes.items():
        node = doc
        *parents, last = path.split(".")
        for key in parents:
            node = node[int(key)] if isinstance(node, list) else node[key]
        if isinstance(node, list):
            node[int(last)] = value
        else:
            node[last] = value
    return json.dumps(doc, ensure_ascii=False).encode()


def _upload(at: AppTest, data: bytes) -> AppTest:
    return at.file_uploader(key="upload_planfile").set_value(("p.json", data, "text/plain")).run()


def _route_file(**route) -> bytes:
    own = {
        "id": "user-lars",
        "kind": "land",
        "name": "Verkhny Lars (Upper Lars) – Dariali/Kazbegi",
        "to_country": "GE",
        "place": {"name": "Vladikavkaz", "lat": 43.03, "lon": 44.68, "country": "RU"},
        "note": "Open for everyone, no queue!",
        "source_url": "https://example.org/chat",
        "added": "2022-09-28",
        **route,
    }
    return _planfile(user_routes=[own])


def _best_line(at: AppTest) -> str:
    return _seen(next(m.value for m in at.markdown if "Best way out now" in _seen(m.value)))


# ------------------------------------------------------------------------ plan files


def test_a_files_route_never_passes_for_a_curated_one():
    before = _dual()
    best = _best_line(before)
    at = _upload(_dual(), _route_file())
    assert not at.exception and "Plan restored" in _seen(at.success[0].value)
    # The route of the file is the person's own: marked, and ranked after the curated ones.
    assert _best_line(at) == best
    names = next(f.value for f in at.dataframe if "route" in f.value.columns)["route"]
    mine = [n for n in names if n.startswith("Verkhny Lars (Upper Lars) – Dariali/Kazbegi")]
    assert mine == [
        "Verkhny Lars (Upper Lars) – Dariali/Kazbegi",  # the curated one
        "Verkhny Lars (Upper Lars) – Dariali/Kazbegi (added by you)",
    ]
    assert list(names).index(mine[1]) > max(
        i for i, n in enumerate(names) if "added by you" not in n and i < len(names) - 20
    )


@pytest.mark.parametrize(
    "route",
    [
        {"id": "ru-ge-upper-lars"},  # a curated route's id
        {"status": [{"date": "2022-09-28", "status": "open"}]},
        {"added_by_user": False},
        {"source_url": "javascript:alert(1)"},
    ],
    ids=["curated-id", "status", "not-mine", "script-link"],
)
def test_a_file_whose_route_claims_more_is_refused_and_changes_nothing(route):
    at = _dual(age=41)
    before = _best_line(at)
    at = _upload(at, _route_file(**route))
    assert not at.exception
    assert any("This plan file is damaged at user_routes.0" in _seen(e.value) for e in at.error)
    assert at.number_input(key="age").value == 41 and _best_line(at) == before
    assert at.session_state["user_routes"] == []


@pytest.mark.parametrize(
    ("path", "value"),
    [
        ("inputs.as_of", "1999-01-01"),  # before the date widget's first day: crashed the page
        ("inputs.as_of", "2099-01-01"),  # after its last day
        ("inputs.traveler.circumstances", ["made-up"]),
        ("inputs.departure", "ZZ"),
        ("inputs.traveler.age", 10**6),
        ("inputs.location.lat", 1e308),
        ("ticked", [HOSTILE]),
    ],
)
def test_values_that_crashed_the_session_are_refused_and_change_nothing(path, value):
    at = _dual(age=41)
    at = _upload(at, _planfile(**{path: value}))
    assert not at.exception and not [e for e in at.error if "went wrong" in e.value]
    assert any("plan file" in _seen(e.value) for e in at.error)
    assert at.number_input(key="age").value == 41
    assert at.date_input(key="as_of").value == SEPT_28
    at.number_input(key="age").set_value(42).run()  # and the page goes on working
    assert not at.exception and "Best way out now" in _seen("".join(m.value for m in at.markdown))


def test_hostile_text_in_a_plan_file_stays_text():
    data = _route_file(name=HOSTILE[:200], note=HOSTILE)
    at = _upload(_dual(), data)
    assert not at.exception
    _assert_inert(at)
    at = _upload(_dual(), _planfile(**{"inputs.traveler.near": HOSTILE[:200]}))
    assert not at.exception
    _assert_inert(at)  # "Unknown place '<img ...': did you mean ..." under the place field
    at = _upload(_dual(), _planfile(**{"inputs.traveler.age": HOSTILE}))
    assert not at.exception
    _assert_inert(at, shown=False)  # the refusal names the field, and quotes no markup


def test_a_session_state_no_widget_can_show_is_reset_not_a_crash():
    at = _dual(
        from_country="NOT-A-COUNTRY",
        citizenships=["US", "ZZ", 7],
        sex="robot",
        military_status="general",
        as_of=dt.date(1900, 1, 1),
        age="thirty",
        has_car="yes",
        user_routes=["not a route", {"id": "ru-ge-upper-lars"}],
        hide_blocked="x",
        pdf_anonymous="yes",
        live_advisories="maybe",
        ticked="passport",
        starred=[7],
        **{"tick_foreigner-passport-visa": 5, "star_ru-fi-vaalimaa": "yes"},
    )
    assert not at.exception and not [e for e in at.error if "went wrong" in e.value]
    assert at.selectbox(key="from_country").value == "RU"
    assert at.multiselect(key="citizenships").value == ["US"]
    assert at.session_state["user_routes"] == []
    assert at.checkbox(key="hide_blocked").value is False
    assert at.checkbox(key="tick_foreigner-passport-visa").value is False
    assert at.session_state["ticked"] == set() and at.session_state["starred"] == set()
    assert at.session_state["star_ru-fi-vaalimaa"] is False


# ------------------------------------------------------------------------ data and feeds


def _hostile(model: BaseModel) -> BaseModel:
    """The model with HOSTILE added to every name and text in it (no validation: text any
    data file may hold; its links are checked when it loads, see test_datacheck.py)."""
    changes = {}
    for name in type(model).model_fields:
        value = getattr(model, name)
        if isinstance(value, str) and name in {"name", "text", "note", "label", "title", "reason"}:
            changes[name] = f"{value} {HOSTILE}"
        elif isinstance(value, BaseModel):
            changes[name] = _hostile(value)
        elif isinstance(value, tuple) and value and isinstance(value[0], BaseModel):
            changes[name] = tuple(_hostile(v) for v in value)
    return model.model_copy(update=changes)


@pytest.fixture
def hostile_data(monkeypatch):
    real = get_catalog()
    bad = real.__class__(
        data_dir=real.data_dir,
        countries={c: _hostile(country) for c, country in real.countries.items()},
        routes={c: tuple(_hostile(r) for r in rs) for c, rs in real.routes.items()},
        embassies=tuple(_hostile(e) for e in real.embassies),
        checklist=tuple(_hostile(i) for i in real.checklist),
        overrides=real.overrides,
    )
    monkeypatch.setitem(catalog_module._cache, real.data_dir, bad)
    advisory = Advisory.model_construct(
        source="us_state_rss",
        country="RU",
        level=4,
        label=HOSTILE,
        summary=HOSTILE,
        regional_notes=(HOSTILE,),
        url="javascript:alert(1)",
        origin="snapshot",
    )
    report = AdvisoryReport.model_construct(
        country="RU",
        advisories=(advisory,),
        sources=(SourceStatus(id="us_state_rss", name=HOSTILE, origin="snapshot", error=HOSTILE),),
    )
    monkeypatch.setattr("ui.resources.snapshot_report", lambda country: report)
    return bad


def test_hostile_text_in_the_data_and_the_feeds_stays_text(hostile_data):
    at = _dual(route_detail="ru-ge-upper-lars", more_open=True)
    assert not at.exception
    _assert_inert(at)
    # No script link anywhere: not in markdown (above), not in the advice table's links.
    links = next(f.value for f in at.dataframe if "link" in f.value.columns)["link"]
    assert list(links) == [""]
    contacts = [m.value for m in at.markdown if "Embassy" in _seen(m.value)]
    assert contacts and not any("](javascript" in c for c in contacts)


def _add(**fields) -> AppTest:
    at = _dual(add_route_open=True)
    for key, value in fields.items():
        widget = at.selectbox if key == "to" else at.text_area if key == "note" else at.text_input
        widget(key=f"new_route_{key}").set_value(value)
    return at.button(key="add_route").click().run()


def test_user_added_route_text_stays_text():
    fields = {"name": HOSTILE[:150], "to": "EE", "place": "Kingisepp", "note": HOSTILE}
    at = _add(**fields, url="javascript:alert(1)")
    assert not at.exception
    assert any("plain link" in _seen(e.value) for e in at.error)  # refused, form kept
    assert at.text_input(key="new_route_name").value == HOSTILE[:150]
    assert at.session_state["user_routes"] == []
    at = _add(**fields)
    assert [r.name for r in at.session_state["user_routes"]] == [HOSTILE[:150]]
    assert isinstance(at.session_state["user_routes"][0], UserRoute)
    _assert_inert(at, shown=False)
    assert any("[click](javascript:alert(1))" in _seen(b) for b in _bodies(at))
