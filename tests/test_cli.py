"""The CLI: one-line errors with exit status 2, plans in text and JSON."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from planner.cli import main

ROOT = Path(__file__).resolve().parent.parent
BASE = ["plan", "--from", "RU", "--near", "Moscow", "--citizenship", "US", "--offline"]


@pytest.mark.parametrize(
    "args, message",
    [
        (["--from", "XX"], "error: unknown country code 'XX'"),
        (["--near", "Mosow"], "error: unknown place 'Mosow': did you mean Moscow (RU)"),
        (["--age", "200"], "error: impossible age 200"),
        (["--age", "-3"], "error: impossible age -3"),
        (["--military-status", "colonel"], "error: unknown military status 'colonel'"),
        (["--date", "2022-02-30"], "error: impossible date '2022-02-30'"),
        (["--date", "2019-01-01"], "error: date 2019-01-01 is before the data begins (2022-01-01)"),
        (["--citizenship", "ZZ"], "error: citizenship: 'ZZ' is not an ISO 3166-1 alpha-2"),
        (
            ["--citizenship", "UM"],
            "error: citizenship: UM (United States Minor Outlying Islands) "
            "issues no passports of its own",
        ),
        (["--date", "2099-01-01"], "error: date 2099-01-01 is more than a year ahead"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(args, message, capsys):
    assert main([*BASE, *args]) == 2
    err = capsys.readouterr().err
    assert err.startswith(message)
    assert err.count("\n") == 1
    assert "Traceback" not in err


def test_a_district_is_planned_from_its_town_and_says_so(capsys):
    argv = ["plan", "--from", "LB", "--near", "Hamra, Beirut", "--citizenship", "LB", "--offline"]
    assert main([*argv, "--date", "2024-10-01", "--json"]) == 0
    out = capsys.readouterr()
    assert json.loads(out.out)["location"]["name"] == "Beirut"
    assert out.err == (
        "note: “Hamra, Beirut” is not a town in the offline list (towns of over 15,000 people, "
        "not districts or streets); “Beirut” in it is, so distances are counted from Beirut (LB).\n"
    )


@pytest.mark.parametrize("near", ["Moscow", "Москва"])
def test_a_place_found_whole_adds_no_note(near, capsys):
    argv = ["plan", "--from", "RU", "--near", near, "--citizenship", "US", "--offline"]
    assert main([*argv, "--date", "2022-09-28", "--json"]) == 0
    assert capsys.readouterr().err == ""


def test_country_without_route_data_is_not_an_error(capsys):
    argv = ["plan", "--from", "FR", "--near", "Paris", "--citizenship", "US", "--offline"]
    assert main([*argv, "--date", "2022-09-28", "--json"]) == 0
    plan = json.loads(capsys.readouterr().out)
    assert plan["routes"] == []
    assert plan["has_route_data"] is False
    notice = next(n for n in plan["notices"] if "route data exists for:" in n)
    assert "Russia" in notice and "France" not in notice.split("exists for:")[1]
    assert plan["checklist"], "the general checklist still applies"


def test_json_plan_has_the_documented_keys(capsys):
    argv = [*BASE, "--citizenship", "RU", "--sex", "male", "--age", "30", "--date", "2022-09-28"]
    assert main([*argv, "--json"]) == 0
    plan = json.loads(capsys.readouterr().out)
    for key in (
        "as_of",
        "departure_country",
        "traveler",
        "routes",
        "risks",
        "checklist",
        "sources",
    ):
        assert key in plan
    route = plan["routes"][0]
    for key in (
        "id",
        "kind",
        "name",
        "to_country",
        "verdict",
        "exit_passport",
        "entry_passport",
        "distance_km",
        "hours",
        "wait_hours",
        "reasons",
    ):
        assert key in route
    assert {"text", "source_url", "as_of"} <= set(route["reasons"][0])
    assert {"id", "text", "source_url"} <= set(plan["risks"][0])
    assert {"id", "text", "source_url"} <= set(plan["checklist"][0])
    assert plan["as_of"] == "2022-09-28"


def test_whole_process_prints_a_readable_plan():
    argv = [*BASE, "--citizenship", "RU", "--sex", "male", "--age", "30", "--date", "2022-09-28"]
    argv.append("--full")
    done = subprocess.run(
        [sys.executable, "-m", "planner", *argv], cwd=ROOT, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    assert "DEPARTURE PLAN: leaving Russia on 2022-09-28" in done.stdout
    assert "Верхний Ларс" in done.stdout
    assert "RISKS FOR YOU" in done.stdout
    assert "CHECKLIST" in done.stdout


def test_the_short_plan_fits_a_screenful_or_two_and_says_where_the_rest_is(capsys):
    for case in (
        [*BASE, "--citizenship", "RU", "--sex", "male", "--age", "30"],
        [*BASE, "--citizenship", "RU", "--sex", "male", "--military-status", "reservist"],
        ["plan", "--from", "UA", "--near", "Kyiv", "--citizenship", "US", "--offline"],
        ["plan", "--from", "IL", "--near", "Tel Aviv", "--citizenship", "US", "--offline"],
        ["plan", "--from", "LB", "--near", "Beirut", "--citizenship", "US", "--offline"],
    ):
        date = {"UA": "2022-03-01", "IL": "2023-10-15", "LB": "2024-10-03"}.get(
            case[2], "2022-09-28"
        )
        assert main([*case, "--date", date]) == 0
        short = capsys.readouterr().out.splitlines()
        assert len(short) <= 150, case
        assert any(line.startswith("BEST WAYS OUT") for line in short)
        assert any(line.startswith("DO NOW") for line in short)
        assert "--full" in short[-1] + short[-2]
        assert main([*case, "--date", date, "--full"]) == 0
        full = capsys.readouterr().out.splitlines()
        assert len(full) > len(short) and "SHARED FACTS" in "\n".join(full)


def test_unknown_circumstance_lists_the_valid_ones(capsys):
    argv = [*BASE, "--date", "2022-09-28", "--circumstance", "astronaut"]
    assert main(argv) == 2
    assert capsys.readouterr().err.startswith("error: unknown circumstance 'astronaut'")


def test_circumstances_command_lists_a_countrys_ids(capsys):
    assert main(["circumstances", "FR"]) == 0
    assert "no circumstances are declared for FR" in capsys.readouterr().out


# An escape sequence that sets the terminal's title, a CSI in its 8-bit form, and a
# right-to-left override that makes the rest of a line read backwards.
CONTROLS = "\x1b]0;pwned\x07 \x9b31m \u202etxt.exe\u202c"


def test_terminal_output_has_no_control_characters():
    import datetime as dt

    from planner.models import Place, UserRoute
    from planner.plaintext import format_plan, plan_json
    from planner.plan import build_plan
    from planner.traveler import make_traveler

    own = UserRoute(
        id="user-x",
        name=f"Boat {CONTROLS}",
        kind="sea",
        to_country="GE",
        place=Place(name=f"Sochi {CONTROLS}", lat=43.6, lon=39.7),
        note=f"Heard {CONTROLS}",
        added=dt.date(2022, 9, 28),
    )
    traveler = make_traveler(citizenships=("US",), near=f"Moscow {CONTROLS}")
    plan = build_plan(traveler, dt.date(2022, 9, 28), "RU", user_routes=[own])
    text = format_plan(plan, full=True)
    assert "Boat" in text and "Heard" in text
    assert not [c for c in text if (ord(c) < 32 and c != "\n") or 0x7F <= ord(c) <= 0x9F]
    assert "\u202e" not in text and "\u202c" not in text
    raw = plan_json(plan)
    assert not [c for c in raw if 0x7F <= ord(c) <= 0x9F or c in "\x1b\u202e\u202c"]
    mine = [r for r in json.loads(raw)["routes"] if r["id"] == own.id]
    assert mine[0]["name"] == own.name  # escaped, not lost


def test_an_error_line_has_no_control_characters(capsys):
    assert main([*BASE, "--near", f"Nowhere{CONTROLS}"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: unknown place 'Nowhere") and err.count("\n") == 1
    assert not [c for c in err[:-1] if ord(c) < 32 or 0x7F <= ord(c) <= 0x9F or c == "\u202e"]


CHANGES = [
    "changes", "--from", "RU", "--citizenship", "RU", "--visa", "FI", "--sex", "male",
    "--age", "30", "--since", "2022-09-21", "--date", "2022-10-05",
]  # fmt: skip


def test_changes_json_lists_dated_sourced_changes_in_order(capsys):
    assert main([*CHANGES, "--json"]) == 0
    found = json.loads(capsys.readouterr().out)
    assert found and isinstance(found, list)
    for change in found:
        assert {"date", "kind", "subject", "text", "source_url"} <= set(change)
        assert change["source_url"].startswith("https://")
    assert [c["date"] for c in found] == sorted(c["date"] for c in found)
    vaalimaa = next(
        c for c in found if c["route_id"] == "ru-fi-vaalimaa" and c["kind"] == "verdict"
    )
    assert vaalimaa["date"] == "2022-09-30"
    assert (vaalimaa["verdict_before"], vaalimaa["verdict_after"]) == ("go", "caution")


def test_changes_as_text_give_each_source(capsys):
    assert main(CHANGES) == 0
    out = capsys.readouterr().out
    assert out.startswith("WHAT CHANGED for you leaving Russia: after 2022-09-21 up to 2022-10-05")
    assert "2022-09-30 VERDICT Torfyanovka – Vaalimaa: GO → CAUTION" in out
    assert "source: https://en.interfax.com.ua/news/general/861920.html" in out


@pytest.mark.parametrize(
    "args, message",
    [
        (["--since", "2022-10-06"], "error: since date 2022-10-06 is after the date 2022-10-05"),
        (["--since", "2022-13-01"], "error: impossible date '2022-13-01'"),
        (["--from", "XX"], "error: unknown country code 'XX'"),
        (["--age", "200"], "error: impossible age 200"),
        (["--circumstance", "astronaut"], "error: unknown circumstance 'astronaut'"),
        (["--date", "2099-01-01"], "error: date 2099-01-01 is more than a year ahead"),
    ],
)
def test_changes_bad_input_is_one_line_and_exit_2(args, message, capsys):
    assert main([*CHANGES, *args]) == 2
    err = capsys.readouterr().err
    assert err.startswith(message)
    assert err.count("\n") == 1
