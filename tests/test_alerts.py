"""Alerts in force on the plan date (planner/alerts.py), in the plan, the JSON, the CLI, the
PDF's first page and the page: on the real data of RU, UA and IL."""

from __future__ import annotations

import datetime as dt
import html
import io
import json
from pathlib import Path

import pytest
from pypdf import PdfReader
from streamlit.testing.v1 import AppTest

from planner import geo
from planner.alerts import ALERT_DAYS, alerts_on, in_force
from planner.catalog import get_catalog, load_catalog
from planner.cli import main
from planner.errors import DataError
from planner.export.pdf import render_pdf
from planner.plan import build_plan
from planner.traveler import make_traveler

CATALOG = get_catalog()
SEPT_28 = dt.date(2022, 9, 28)
US_ALERT = "US Embassy Moscow security alert: US citizens should not travel to Russia"


def _plan(code: str = "RU", on: dt.date = SEPT_28):
    traveler = make_traveler(citizenships=("US", code), sex="male", age=30)
    return build_plan(traveler, on, code, location=geo.find_place("Moscow", "RU"))


def test_the_us_alert_of_27_september_is_in_force_on_the_28th_and_first():
    alerts = _plan().alerts
    assert alerts[0].text.startswith(US_ALERT)
    assert (alerts[0].as_of, alerts[0].issuer, alerts[0].confidence) == (
        dt.date(2022, 9, 27),
        "US",
        "high",
    )
    assert alerts[0].source_url.startswith("https://")
    assert {a.issuer for a in alerts} == {"US", "BG", "PL"}


def test_nothing_dated_after_the_plan_date_and_nothing_stale_is_shown():
    checked = 0
    for code, country in CATALOG.countries.items():
        day = country.data_begins
        while day <= dt.date(2026, 12, 1):
            alerts = alerts_on(country, day)
            assert all(a.as_of <= day for a in alerts), (code, day)
            assert all((day - a.as_of).days <= ALERT_DAYS for a in alerts), (code, day)
            dates = [a.as_of for a in alerts]
            assert dates == sorted(dates, reverse=True)  # newest first
            checked += len(alerts)
            day += dt.timedelta(days=5)
    assert checked > 100


def test_a_replaced_alert_is_no_longer_in_force():
    ukraine = CATALOG.country("UA")
    shown = alerts_on(ukraine, dt.date(2022, 2, 13))
    texts = [a.text for a in shown]
    assert any(t.startswith("United States (State Dept, Level 4 reissued)") for t in texts)
    assert not any(t.startswith("United States: Level 4 'Do not travel'") for t in texts)
    # ... but on the day before the reissue, the January advisory was still the one in force.
    before = [a.text for a in alerts_on(ukraine, dt.date(2022, 2, 11))]
    assert any(t.startswith("United States: Level 4 'Do not travel'") for t in before)
    known = [a for a in ukraine.alerts if a.as_of <= dt.date(2022, 2, 13)]
    january = next(a for a in ukraine.alerts if a.id == "ua-us-level4-2022-01-23")
    assert not in_force(january, known, dt.date(2022, 2, 13))


def test_the_json_has_alerts_with_text_source_date_and_confidence(capsys):
    argv = ["plan", "--from", "RU", "--near", "Moscow", "--citizenship", "US", "--citizenship"]
    argv += ["RU", "--date", "2022-09-28", "--offline", "--json"]
    assert main(argv) == 0
    alerts = json.loads(capsys.readouterr().out)["alerts"]
    assert {"text", "source_url", "as_of", "confidence"} <= set(alerts[0])
    assert alerts[0]["as_of"] == "2022-09-27" and alerts[0]["text"].startswith(US_ALERT)


def test_the_text_plan_shows_the_alerts_before_the_routes(capsys):
    argv = ["plan", "--from", "RU", "--near", "Moscow", "--citizenship", "US"]
    assert main([*argv, "--date", "2022-09-28", "--offline"]) == 0
    out = capsys.readouterr().out
    assert out.index("ALERTS IN FORCE ON 2022-09-28") < out.index("BEST WAYS OUT")
    assert "! 2022-09-27 (US): " + US_ALERT[:40] in " ".join(out.split())


def test_the_pdf_first_page_has_the_alert_and_the_advice_section_all_of_them():
    plan = _plan()
    pages = [p.extract_text() for p in PdfReader(io.BytesIO(render_pdf(plan))).pages]
    first = " ".join(pages[0].split())
    assert "Alerts in force on 28 Sep 2022" in first and US_ALERT in first
    assert "Do these first" in first  # and page 1 still holds the urgent tasks
    rest = " ".join(" ".join(pages[1:]).split())
    for alert in plan.alerts:
        assert " ".join(alert.text.split())[:80] in rest


def test_no_alert_on_a_date_with_none_in_force():
    assert _plan(on=dt.date(2022, 9, 20)).alerts == ()


def test_the_page_shows_the_alerts_under_the_best_way_out():
    at = AppTest.from_file(str(Path(__file__).parent.parent / "app.py"), default_timeout=60)
    state = {"near": "Moscow", "citizenships": ["US", "RU"], "sex": "male", "as_of": SEPT_28}
    for key, value in state.items():
        at.session_state[key] = value
    at.run()
    assert not at.exception
    bodies = [html.unescape(m.value).replace("\u2060", "") for m in at.markdown]
    best = next(i for i, b in enumerate(bodies) if "Best way out now" in b)
    alerts = bodies[best + 1]
    assert "Alerts in force on 28 Sep 2022" in alerts and US_ALERT in alerts
    assert "Bulgaria" in alerts and "[source](https://" in alerts


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("replaces: [ru-us-2022-03-06]", "replaces: [no-such-alert]", "'no-such-alert' is no"),
        ("id: ru-us-2022-03-06", "id: ru-us-2022-09-27", "duplicate alert id"),
    ],
)
def test_the_data_check_holds_alert_ids_together(tmp_path, old, new, message):
    import shutil

    from planner.paths import DATA_DIR

    copy = tmp_path / "data"
    shutil.copytree(DATA_DIR, copy, ignore=shutil.ignore_patterns("gazetteer", "borders"))
    path = copy / "countries" / "RU" / "country.yaml"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(DataError, match=message):
        load_catalog(copy)
