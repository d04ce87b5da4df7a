"""Advice as it stood on a date (planner/advisories/history.py, uk_history.py, levels.py):
real recordings, the real GOV.UK change history and the real curated file."""

from __future__ import annotations

import datetime as dt
import io
import json
import shutil
from pathlib import Path

import pytest
import yaml
from pypdf import PdfReader

from planner import datacheck
from planner.advisories import SOURCES, history, levels, uk_history
from planner.advisories.fetch import get_advisories
from planner.advisories.report import AdvisoryReport, SourceStatus, counts
from planner.advisories.snapshot import DEFAULT_ROOT
from planner.catalog import DATA_DIR
from planner.errors import DataError
from planner.models import Advisory, Traveler
from planner.plaintext import format_plan, plan_json
from planner.plan import build_plan

D = dt.date
UTC = dt.UTC
RUSSIA_UK = DEFAULT_ROOT / "uk_fcdo" / "russia-2026-09-18.json"
LEVELS = DATA_DIR / "advisories" / "levels.yaml"
DEPARTURES = ("RU", "UA", "IL", "LB")


def _months(start: dt.date, end: dt.date) -> list[dt.date]:
    days = []
    day = start
    while day <= end:
        days.append(day)
        day = D(day.year + (day.month == 12), day.month % 12 + 1, min(day.day, 28))
    return days


# ------------------------------------------------------------------ the UK change history


@pytest.mark.parametrize(
    ("note", "level", "ended"),
    [
        ("The FCDO now advises against all travel to Russia ('Summary' page)", 4, False),
        ("Updated information. The FCDO continues to advise against all travel to the whole of "
         "Russia due to the lack of flight options.", 4, False),
        ("The FCDO advises against all but essential travel to Russia (COVID-19)", 3, False),
        ("Update to areas in Russia where the FCDO advises against all travel, due to the build up "
         "of Russian forces", 3, False),
        ("The FCDO advises against all travel to parts of the North Caucasus", 3, False),
        ("The FCDO advises against all but essential travel to parts of Russia", 2, False),
        ("The FCDO no longer advises against all but essential travel to Russia, based on the "
         "current assessment of COVID-19 risks", None, True),
        # another country, a possessive, the worldwide COVID advice: no level, never a guess
        ("The FCDO advises against all travel to Ukraine.", None, False),
        ("The FCDO advises against all travel to Russia's border regions.", None, False),
        ("The FCDO advises against all but essential international travel.", None, False),
        ("Updated information on COVID-19 protocols ('Entry requirements' page)", None, False),
        ("Updated information on domestic ﬂight restrictions. The FCDO continues to advise "
         "against all travel to the whole of Russia", 4, False),
    ],
)  # fmt: skip
def test_reading_a_change_history_note(note, level, ended):
    reading = uk_history.read_note(note, "Russia")
    assert (reading.level, reading.ended) == (level, ended)


def test_the_russia_history_reads_the_dated_level_changes():
    changes = uk_history.read(RUSSIA_UK.read_bytes()).changes
    assert len(changes) == 205  # 207 entries, two exact repeats
    starts = [(c.date, c.level) for c in changes if c.since == c.date]
    assert starts == [
        (D(2021, 4, 30), None),  # "no longer advises against all but essential travel"
        (D(2021, 7, 12), 3),
        (D(2021, 9, 17), None),
        (D(2022, 2, 17), 3),  # "areas in Russia where the FCDO advises against all travel"
        (D(2022, 2, 28), 4),  # "now advises against all travel to Russia"
    ]
    assert all(c.level == 4 for c in changes if c.date >= D(2022, 2, 28))


@pytest.mark.parametrize(
    ("on", "level", "known"),
    [
        (D(2019, 6, 1), None, False),  # notes before 2021 never state a level
        (D(2021, 5, 15), None, True),
        (D(2021, 8, 1), 3, True),
        (D(2021, 10, 1), None, True),
        (D(2022, 2, 20), 3, True),
        (D(2022, 3, 1), 4, True),
        (D(2024, 6, 1), 4, True),
    ],
)
def test_uk_advice_for_russia_on_a_date(on, level, known):
    advice = history.advice_on("uk_fcdo", "RU", on)
    assert (advice is not None) is known
    if advice is not None:
        assert advice.level == level
        assert advice.origin == "history" and advice.in_force


def test_uk_advice_for_russia_on_28_september_2022_is_level_4_from_the_history():
    advice = history.advice_on("uk_fcdo", "RU", D(2022, 9, 28))
    assert advice is not None
    assert (advice.level, advice.origin, advice.in_force) == (4, "history", True)
    assert advice.level_since == D(2022, 2, 28)
    assert advice.updated == dt.datetime(2022, 9, 26, tzinfo=UTC)  # the page's last note
    assert "now advises against all travel to Russia" in advice.summary
    assert advice.url == "https://www.gov.uk/foreign-travel-advice/russia"


# ------------------------------------------------------------------ recorded payloads


def test_the_us_2019_feed_answers_for_2019_to_2021():
    for on in _months(D(2019, 3, 16), D(2022, 1, 22)):
        advice = history.advice_on("us_state_rss", "RU", on)
        assert advice is not None and advice.origin == "snapshot", on
        assert (advice.level, advice.updated) == (2, dt.datetime(2018, 12, 10, tzinfo=UTC)), on
        # seen on 2019-03-16 (capture): in force for IN_FORCE_DAYS after that, then too old
        assert advice.in_force is ((on - D(2019, 3, 16)).days <= history.IN_FORCE_DAYS), on


def test_an_advisory_updated_on_u_and_captured_on_c_stands_from_u():
    # Canada 2014-10-02 recorded Russia as updated on 2014-07-09: it answers from that day.
    before = history.advice_on("canada", "RU", D(2014, 7, 8))
    after = history.advice_on("canada", "RU", D(2014, 7, 9))
    assert before is not None and before.updated.date() == D(2014, 2, 19)
    assert after is not None and after.updated.date() == D(2014, 7, 9)


def test_nothing_is_known_before_the_first_evidence():
    assert history.advice_on("germany", "RU", D(2022, 1, 1)) is None
    assert history.advice_on("australia", "RU", D(2014, 1, 1)) is None


def test_unknown_source_and_citizenship():
    with pytest.raises(LookupError, match="unknown advisory source 'us_state'"):
        history.advice_on("us_state", "RU", D(2022, 9, 28))
    assert history.advice_for_citizen("FR", "RU", D(2022, 9, 28)) is None
    assert history.advice_for_citizen("gb", "RU", D(2022, 9, 28)) == history.advice_on(
        "uk_fcdo", "RU", D(2022, 9, 28)
    )


# ------------------------------------------------------------------ destinations


@pytest.mark.parametrize(
    ("citizenship", "country", "on", "level"),
    [
        ("US", "BY", D(2022, 9, 28), 4),  # from Russia: Belarus, do not travel
        ("US", "SY", D(2022, 9, 28), 4),
        ("GB", "BY", D(2022, 9, 28), 3),
        ("US", "RU", D(2022, 2, 24), 4),  # from Ukraine: Russia, Moldova, Belarus
        ("GB", "RU", D(2022, 2, 24), 3),  # change history: all travel to parts from 2022-02-17
        ("US", "MD", D(2022, 2, 24), 4),
        ("US", "LB", D(2023, 10, 20), 4),  # from Israel: Lebanon
        ("GB", "LB", D(2023, 10, 20), 4),
    ],
)
def test_destination_advice_for_a_citizen(citizenship, country, on, level):
    advice = history.advice_for_citizen(citizenship, country, on)
    assert advice is not None and advice.in_force
    assert advice.level == level
    assert advice.updated.date() <= on


def test_lebanon_before_the_raise_is_not_level_4():
    advice = history.advice_for_citizen("US", "LB", D(2023, 10, 16))
    assert advice is None or advice.level != 4 or not advice.in_force


# ------------------------------------------------------------------ picking and in force


def _evidence(start, seen, level=4, until=None, origin="curated") -> history.Evidence:
    advisory = Advisory(
        source="us_state_rss",
        country="RU",
        level=level,
        label=f"Level {level}",
        updated=dt.datetime.combine(start, dt.time(), UTC),
        url="https://example.org/advice",
        origin=origin,
    )
    return history.Evidence(advisory=advisory, start=start, seen=seen, until=until)


def test_in_force_ends_after_the_threshold():
    item = _evidence(D(2020, 1, 1), D(2020, 1, 1))
    last = D(2020, 1, 1) + dt.timedelta(days=history.IN_FORCE_DAYS)
    assert history.pick([item], last).in_force is True
    assert history.pick([item], last + dt.timedelta(days=1)).in_force is False


def test_the_newest_start_wins_and_an_ended_level_gives_nothing():
    old = _evidence(D(2019, 1, 1), D(2019, 6, 1), level=2)
    new = _evidence(D(2021, 1, 1), D(2021, 1, 1), level=4, until=D(2021, 6, 30))
    assert history.pick([old, new], D(2020, 1, 1)).level == 2
    assert history.pick([old, new], D(2021, 3, 1)).level == 4
    assert history.pick([old, new], D(2021, 7, 1)) is None  # ended; what followed is unknown


def test_a_recording_wins_a_tie_with_a_curated_level():
    curated = _evidence(D(2021, 1, 1), D(2021, 1, 1), level=3, origin="curated")
    recorded = _evidence(D(2021, 1, 1), D(2021, 1, 1), level=4, origin="snapshot")
    assert history.pick([recorded, curated], D(2021, 2, 1)).origin == "snapshot"


def test_a_row_without_any_date_is_no_evidence():
    row = Advisory(source="us_state_rss", country="RU", label="x", url="https://example.org")
    assert history.of_advisory(row) is None


# ------------------------------------------------------------------ reports for a date


@pytest.fixture(scope="module")
def reports() -> dict[str, AdvisoryReport]:
    return {c: get_advisories(c, offline=True) for c in DEPARTURES}


def test_a_replayed_headline_never_rests_on_newer_advice(reports):
    for country, report in reports.items():
        for on in _months(D(2014, 1, 1), D(2026, 12, 1)):
            dated = report.for_date(on)
            counted = [a for a in dated.advisories if counts(a)]
            assert all(a.updated and a.updated.date() <= on for a in counted), (country, on)
            assert all(not a.after_plan_date for a in counted)
            top = dated.headline()
            assert set(top.sources) <= {a.source for a in counted}, (country, on)
            newer = [a for a in dated.advisories if a.updated and a.updated.date() > on]
            assert all(a.after_plan_date and a.in_force is False for a in newer), (country, on)


def test_every_source_has_a_row_or_says_nothing_is_known(reports):
    dated = reports["RU"].for_date(D(2019, 6, 1))
    notes = {s.id: s.note for s in dated.sources}
    assert notes["germany"] == "no advice known on 2019-06-01"
    assert notes["uk_fcdo"] == "no advice known on 2019-06-01"
    assert not any("no snapshot" in n for n in notes.values())
    rows = {(a.source, a.after_plan_date) for a in dated.advisories}
    assert ("germany", True) in rows and ("us_state_rss", False) in rows


def test_live_advice_newer_than_the_plan_date_is_shown_but_never_counts(reports):
    fetched = dt.datetime(2026, 11, 26, 9, 0, tzinfo=UTC)
    live = Advisory(
        source="us_state_rss",
        country="RU",
        level=1,  # a made-up calm level: it must not become the headline of 2022
        label="Level 1: Exercise Normal Precautions",
        updated=fetched,
        fetched=fetched,
        url="https://travel.state.gov/",
        origin="live",
    )
    report = reports["RU"].model_copy(
        update={
            "advisories": (live,),
            "sources": (SourceStatus(id="us_state_rss", name="US", origin="live"),),
        }
    )
    replayed = report.for_date(D(2022, 9, 28))
    assert [(a.origin, a.in_force, a.after_plan_date) for a in replayed.advisories] == [
        ("curated", True, False),
        ("live", False, True),
    ]
    assert replayed.headline().level == 4
    today = report.for_date(D(2026, 11, 26))
    assert [(a.origin, a.in_force) for a in today.advisories] == [("live", True)]
    assert today.headline().level == 1


# ------------------------------------------------------------------ the plan and its views


@pytest.fixture(scope="module")
def russia_plan():
    traveler = Traveler(citizenships=("US", "RU"), sex="male", age=30)
    kwargs = get_advisories("RU", offline=True).plan_kwargs()
    return build_plan(traveler, D(2022, 9, 28), "RU", **kwargs)


def test_the_russia_plan_of_28_september_2022(russia_plan):
    uk = [a for a in russia_plan.advisories if a.source == "uk_fcdo" and not a.after_plan_date]
    assert [(a.level, a.origin, a.in_force) for a in uk] == [(4, "history", True)]
    assert russia_plan.headline.level == 4 and "uk_fcdo" in russia_plan.headline.sources
    counted = [a for a in russia_plan.advisories if counts(a)]
    assert {a.source for a in counted} == {"us_state_rss", "uk_fcdo", "canada", "germany",
                                           "australia"}  # fmt: skip
    assert all(a.updated.date() <= D(2022, 9, 28) for a in counted)
    assert not any("newest available" in n for n in russia_plan.notices)
    after = next(n for n in russia_plan.notices if "after your plan date" in n)
    assert "United Kingdom (2026-09-18)" in after


def test_the_json_and_text_say_what_was_in_force(russia_plan):
    rows = json.loads(plan_json(russia_plan))["advisories"]
    assert all("in_force" in r and "after_plan_date" in r for r in rows)
    uk = [r for r in rows if r["source"] == "uk_fcdo"]
    assert [(r["in_force"], r["after_plan_date"]) for r in uk] == [(True, False), (False, True)]
    text = format_plan(russia_plan, full=True)
    assert "ADVISORIES (as they stood on 2022-09-28)" in text
    assert "history, level known since 2022-02-28, in force" in text
    assert "AFTER YOUR PLAN DATE, does not count" in text


def test_the_pdf_says_what_was_in_force(russia_plan):
    from planner.export.pdf import render_pdf

    reader = PdfReader(io.BytesIO(render_pdf(russia_plan)))
    text = " ".join(" ".join((page.extract_text() or "").split()) for page in reader.pages)
    assert "in force" in text
    assert "after your plan date" in text
    assert "change history" in text


# ------------------------------------------------------------------ the curated file


def test_curated_levels_validate_and_are_all_sourced():
    entries = levels.load()
    assert len(entries) >= 20
    for entry in entries:
        assert entry.source in SOURCES
        assert entry.source_url.startswith("https://"), entry.id
        assert entry.label.strip() and entry.confidence in ("high", "medium"), entry.id
    covered = {(e.source, e.country) for e in entries}
    # the five governments on the three departure countries, where a source confirmed it
    for source_id in SOURCES:
        assert (source_id, "UA") in covered, source_id
    assert {("us_state_rss", "RU"), ("canada", "RU"), ("germany", "RU"), ("australia", "RU")} <= (
        covered
    )
    assert {("us_state_rss", "IL"), ("uk_fcdo", "IL")} <= covered
    assert {(s, "LB") for s in SOURCES} <= covered  # all five governments on Lebanon


def _write_levels(tmp_path: Path, change) -> Path:
    doc = yaml.safe_load(LEVELS.read_text(encoding="utf-8"))
    change(doc["levels"][0])
    path = tmp_path / "levels.yaml"
    path.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda e: e.pop("source_url"), "entry 'us-ru-2022-01-23': source_url: Field required"),
        (
            lambda e: e.update(source="us_state"),
            "entry 'us-ru-2022-01-23': source: Value error, unknown source 'us_state'",
        ),
        (lambda e: e.update(level=5), "entry 'us-ru-2022-01-23': level: "),
        (lambda e: e.update(until="2021-01-01"), "until 2021-01-01 is before date 2022-01-23"),
        (lambda e: e.update(id="us-ru-2022-02-28"), "entry 'us-ru-2022-02-28': id: duplicate id"),
    ],
)
def test_a_broken_curated_entry_is_a_data_error(tmp_path, change, message):
    path = _write_levels(tmp_path, change)
    with pytest.raises(DataError, match="levels.yaml: entry") as caught:
        levels.load(path)
    assert message in str(caught.value)


def test_the_data_check_catches_an_entry_without_a_source(tmp_path):
    copy = tmp_path / "data"
    keep = {"countries", "RU", "entry", "overrides.yaml", "checklist.yaml", "embassies.yaml"}
    shutil.copytree(
        DATA_DIR,
        copy,
        ignore=lambda folder, names: [
            n for n in names if n not in keep and not folder.endswith(("/RU", "/entry"))
        ],
    )
    (copy / "advisories").mkdir()
    shutil.copy(LEVELS, copy / "advisories" / "levels.yaml")
    out = io.StringIO()
    assert datacheck.run(copy, out, today=D(2026, 11, 26)) == 0, out.getvalue()
    assert "checked 34 curated advice levels" in out.getvalue()
    broken = _write_levels(tmp_path, lambda e: e.pop("source_url"))
    shutil.copy(broken, copy / "advisories" / "levels.yaml")
    out = io.StringIO()
    assert datacheck.run(copy, out, today=D(2026, 11, 26)) == 1
    errors = [line for line in out.getvalue().splitlines() if line.startswith("error:")]
    assert len(errors) == 1
    assert "entry 'us-ru-2022-01-23': source_url: Field required" in errors[0]


def test_the_data_check_catches_an_unknown_source_and_a_future_date(tmp_path):
    path = _write_levels(tmp_path, lambda e: e.update(source="uk"))
    findings, _ = datacheck.check_levels(path, D(2026, 11, 26))
    assert [f.level for f in findings] == ["error"]
    assert "source: Value error, unknown source 'uk'" in findings[0].text
    path = _write_levels(tmp_path, lambda e: e.update(confirmed="2027-01-01"))
    findings, _ = datacheck.check_levels(path, D(2026, 11, 26))
    assert [str(f) for f in findings if f.level == "error"] == [
        f"error: {path}: entry 'us-ru-2022-01-23': confirmed: 2027-01-01 is in the future"
    ]
