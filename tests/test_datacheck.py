"""`python -m planner data check`: passes on the shipped data, names file, entry and field."""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import os
import shutil
from pathlib import Path

import pytest

from planner import datacheck
from planner.catalog import DATA_DIR, Catalog, get_catalog

TODAY = dt.date(2026, 11, 26)
ROUTES = Path("countries/RU/routes.yaml")
VAALIMAA_ERROR = "error: data/countries/RU/routes.yaml: entry 'ru-fi-vaalimaa': departure.lat/lon: "


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return get_catalog()


def _report(catalog: Catalog, today: dt.date = TODAY) -> tuple[int, str]:
    out = io.StringIO()
    code = datacheck.report(*datacheck.check(catalog, today), out)
    return code, out.getvalue()


def _errors(out: str) -> list[str]:
    return [line for line in out.splitlines() if line.startswith("error:")]


def _edit_vaalimaa(catalog: Catalog, **update) -> Catalog:
    """The catalog with route ru-fi-vaalimaa changed, as if its file said so."""
    routes = tuple(
        r.model_copy(update=update) if r.id == "ru-fi-vaalimaa" else r for r in catalog.routes["RU"]
    )
    return dataclasses.replace(catalog, routes={**catalog.routes, "RU": routes})


def _move_vaalimaa(catalog: Catalog, **departure) -> Catalog:
    route = next(r for r in catalog.routes["RU"] if r.id == "ru-fi-vaalimaa")
    return _edit_vaalimaa(catalog, departure=route.departure.model_copy(update=departure))


@pytest.fixture
def data_copy(tmp_path) -> Path:
    """RU's folder and the shared files, copied so a test may break them."""
    copy = tmp_path / "data"
    keep = {"countries", "RU", "entry", "overrides.yaml", "checklist.yaml", "embassies.yaml"}
    shutil.copytree(
        DATA_DIR,
        copy,
        ignore=lambda folder, names: [
            n for n in names if n not in keep and not folder.endswith(("/RU", "/entry"))
        ],
    )
    return copy


def _replace(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _run(data_dir: Path, today: dt.date = TODAY) -> tuple[int, str]:
    out = io.StringIO()
    return datacheck.run(data_dir, out, today=today), out.getvalue()


def test_shipped_data_passes(catalog):
    code, out = _report(catalog)
    assert _errors(out) == []
    assert code == 0
    assert out.splitlines()[-1].startswith("0 error(s), ")


def test_summary_counts_facts_by_year(catalog):
    lines = _report(catalog)[1].splitlines()
    table = lines.index("facts by year of as-of date:")
    assert lines[table + 1].split() == [
        "<2022", "2022", "2023", "2024", "2025", "2026", "later", "total"
    ]  # fmt: skip
    ru = next(line.split() for line in lines[table:] if line.strip().startswith("RU "))
    assert int(ru[-1]) > 100  # total
    assert int(ru[2]) > 50  # 2022, the year of the mobilisation exodus


def test_broken_copy_route_far_from_its_border(data_copy):
    # Torfyanovka moved 2 degrees south: about 220 km from the RU-FI line
    _replace(data_copy / ROUTES, "lat: 60.595, lon: 27.91667", "lat: 58.595, lon: 27.91667")
    code, out = _run(data_copy)
    assert code == 1
    (error,) = _errors(out)
    assert error.startswith(VAALIMAA_ERROR)
    assert error.endswith("km from the RU–FI border (precision crossing allows 15 km)")
    assert 180 < int(error.removeprefix(VAALIMAA_ERROR).split()[0]) < 260


def test_broken_copy_source_url(data_copy):
    _replace(
        data_copy / ROUTES,
        'source_url: "https://es.stringtranslate.com/de%20Vaalimaa/Vaalimaa"',
        'source_url: "es.stringtranslate.com/de%20Vaalimaa/Vaalimaa"',
    )
    code, out = _run(data_copy)
    assert code == 1
    (error,) = _errors(out)
    assert "countries/RU/routes.yaml: entry 'ru-fi-vaalimaa': modes.0.source_url: " in error
    assert "is not a plain http(s) link" in error


@pytest.mark.parametrize(
    ("damage", "message"),
    [
        (lambda path: path.write_bytes(b"routes:\n  - id: \xff\xfe\n"), "not UTF-8 text"),
        (lambda path: (path.unlink(), os.mkfifo(path)), "not a regular file"),  # never opened
        (lambda path: (path.unlink(), path.mkdir()), "not a regular file"),
    ],
    ids=["latin-1", "pipe", "folder"],
)
def test_a_data_file_that_is_no_text_file_is_one_error(data_copy, damage, message):
    damage(data_copy / ROUTES)
    code, out = _run(data_copy)
    assert code == 1
    (error,) = _errors(out)
    assert "countries/RU/routes.yaml" in error and message in error


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("id: user-ru-ee-boat", "id: user-... is for routes a person adds"),
        ("added_by_user: true", "added_by_user: not for curated data"),
    ],
)
def test_curated_data_cannot_say_it_is_a_persons_own(data_copy, text, message):
    key, value = text.split(": ")
    if key == "id":
        _replace(data_copy / ROUTES, "- id: ru-fi-vaalimaa", f"- id: {value}")
    else:
        _replace(data_copy / ROUTES, "- id: ru-fi-vaalimaa", f"- id: ru-fi-vaalimaa\n    {text}")
    code, out = _run(data_copy)
    assert code == 1 and message in _errors(out)[0]


def test_looser_precision_allows_more_distance(catalog):
    # 0.3 degrees west (~25 km): too far for a crossing, fine for a settlement
    moved = _move_vaalimaa(catalog, lon=27.4)
    assert _errors(_report(moved)[1])[0].startswith(VAALIMAA_ERROR)
    assert _errors(_report(_move_vaalimaa(moved, precision="settlement"))[1]) == []


def test_place_in_the_wrong_country_is_an_error(catalog):
    out = _report(_move_vaalimaa(catalog, country="FI"))[1]
    assert _errors(out) == [
        "error: data/countries/RU/routes.yaml: entry 'ru-fi-vaalimaa': departure.country: "
        "FI, expected RU"
    ]


def test_plain_http_is_a_warning_not_an_error(catalog):
    route = next(r for r in catalog.routes["RU"] if r.id == "ru-fi-vaalimaa")
    url = "http://example.org/vaalimaa"
    notes = (route.notes[0].model_copy(update={"source_url": url}), *route.notes[1:])
    code, out = _report(_edit_vaalimaa(catalog, notes=notes))
    assert code == 0
    assert (
        "warning: data/countries/RU/routes.yaml: entry 'ru-fi-vaalimaa': notes.0.source_url: "
        f"{url} is plain http; use https if the page has it"
    ) in out


@pytest.mark.parametrize(
    "today, stale",
    [(dt.date(2024, 1, 10), False), (dt.date(2024, 3, 1), True)],
    ids=["26 days after the last record", "77 days after"],
)
def test_route_without_a_recent_status_record_is_a_warning(catalog, today, stale):
    # Vaalimaa's latest status record is dated 2023-12-15
    code, out = _report(catalog, today)
    line = (
        "warning: data/countries/RU/routes.yaml: entry 'ru-fi-vaalimaa': status: "
        "latest record 2023-12-15, none in the last 60 days"
    )
    assert (line in out) is stale
    assert code == 0


def test_old_rule_without_an_end_is_a_warning(catalog):
    rule = "rule 'cash-export-limit' dated 2022-03-02, older than 365 days with no end date"
    assert rule in _report(catalog, dt.date(2026, 11, 26))[1]
    assert "rule 'cash-export-limit'" not in _report(catalog, dt.date(2022, 6, 1))[1]


def test_future_dates_are_flagged(catalog):
    out = _report(catalog, dt.date(2023, 12, 1))[1]
    assert (
        "warning: data/countries/RU/routes.yaml: entry 'ru-fi-vaalimaa': status.5.date: "
        "2023-12-14 is in the future"
    ) in out
