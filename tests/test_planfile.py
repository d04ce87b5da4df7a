"""Tests for planner/export/planfile.py and the export CLI glue in command.py."""

from __future__ import annotations

import argparse
import io
import json
from pathlib import Path

import pytest
from plans import moscow_plan, stress_plan, user_route
from pypdf import PdfReader

from planner.errors import InputError
from planner.export import command
from planner.export.pdf import render_pdf
from planner.export.planfile import MAX_BYTES, PlanFile, dump_planfile, load_planfile

PLAN = moscow_plan()
TICKED = frozenset({"cash", "passports"})


def text_of(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def saved(**changes: object) -> bytes:
    doc = json.loads(dump_planfile(PLAN, ticked=TICKED, user_routes=[user_route()]))
    doc.update(changes)
    return json.dumps(doc).encode()


def test_round_trip_keeps_everything():
    data = dump_planfile(PLAN, ticked=TICKED, user_routes=[user_route()])
    loaded = load_planfile(data)
    assert loaded == PlanFile(plan=PLAN, ticked=TICKED, user_routes=(user_route(),))
    doc = json.loads(data)
    assert (doc["format"], doc["version"]) == ("departure-planner-plan", 1)
    assert "Верхний Ларс" in data.decode("utf-8")  # stored as text, not \\u escapes


def test_saved_loaded_and_printed_again_gives_the_same_pdf_text():
    plan = stress_plan()
    before = render_pdf(plan, ticked=TICKED, user_routes=[user_route()])
    loaded = load_planfile(dump_planfile(plan, ticked=TICKED, user_routes=[user_route()]))
    after = render_pdf(loaded.plan, ticked=loaded.ticked, user_routes=loaded.user_routes)
    assert text_of(after) == text_of(before)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "not valid JSON"),
        (b"{not json", "not valid JSON"),
        (b"\xff\xfe\x00", "not UTF-8"),
        (b"[1, 2]", "not a Departure Planner plan file"),
        (b'{"format": "something-else", "version": 1}', "not a Departure Planner plan file"),
        (b"[" * 100_000 + b"]" * 100_000, "not valid JSON"),
    ],
    ids=["empty", "truncated", "binary", "list", "other-format", "deep-nesting"],
)
def test_malformed_file_is_an_input_error(data, message):
    with pytest.raises(InputError, match=message):
        load_planfile(data)


def test_truncated_plan_file_is_an_input_error():
    data = dump_planfile(PLAN, ticked=TICKED, user_routes=[])
    with pytest.raises(InputError, match="not valid JSON"):
        load_planfile(data[: len(data) // 2])


@pytest.mark.parametrize(
    ("version", "hint"), [(2, "update Departure Planner"), (0, "it cannot be opened"), ("1", "")]
)
def test_wrong_version_is_an_input_error(version, hint):
    with pytest.raises(InputError, match=f"version .* reads version 1; {hint}"):
        load_planfile(saved(version=version))


def test_oversized_file_is_an_input_error():
    data = saved()
    padded = data[:-1] + b" " * (MAX_BYTES + 1 - len(data)) + b"}"
    assert len(padded) > MAX_BYTES
    with pytest.raises(InputError, match="larger than 5 MB"):
        load_planfile(padded)


@pytest.mark.parametrize(
    ("changes", "where"),
    [
        ({"plan": {"as_of": "2022-09-27"}}, "plan.generated"),
        ({"ticked": "cash"}, "ticked"),
        ({"extra": 1}, "extra"),
        ({"user_routes": [{"id": "BAD ID"}]}, "user_routes.0"),
    ],
)
def test_schema_errors_name_the_place(changes, where):
    with pytest.raises(InputError, match=f"damaged at {where}"):
        load_planfile(saved(**changes))


def test_nan_is_rejected():
    data = saved().replace(b'"distance_km": 1860.0', b'"distance_km": NaN', 1)
    assert b"NaN" in data
    with pytest.raises(InputError, match="NaN is not allowed"):
        load_planfile(data)


def test_error_messages_are_one_sentence():
    for data in (b"{", b"[]", saved(version=9), saved(ticked=3), b"x" * (MAX_BYTES + 1)):
        with pytest.raises(InputError) as info:
            load_planfile(data)
        message = str(info.value)
        assert message.endswith(".") and "\n" not in message, message


# ------------------------------------------------------------------------ CLI glue


def parser() -> argparse.ArgumentParser:
    root = argparse.ArgumentParser(prog="planner")
    sub = root.add_subparsers(dest="command", required=True)
    command.add_plan_options(sub.add_parser("plan"))
    command.register(sub)
    return root


def test_plan_options_write_pdf_and_plan_file(tmp_path: Path):
    args = parser().parse_args(
        ["plan", "--pdf", str(tmp_path / "p.pdf"), "--save", str(tmp_path / "p.json"),
         "--paper", "letter", "--no-personal"]
    )  # fmt: skip
    assert (args.paper, args.personal) == ("letter", False)
    written = command.after_plan(PLAN, args, ticked=TICKED)
    assert written == [tmp_path / "p.pdf", tmp_path / "p.json"]
    assert "reservist" not in text_of((tmp_path / "p.pdf").read_bytes())
    assert load_planfile((tmp_path / "p.json").read_bytes()).ticked == TICKED


def test_plan_options_default_to_nothing(tmp_path: Path):
    args = parser().parse_args(["plan"])
    assert (args.pdf, args.save, args.paper, args.personal) == (None, None, "a4", True)
    assert command.after_plan(PLAN, args) == []


def test_pdf_command_prints_a_saved_plan(tmp_path: Path):
    planfile = tmp_path / "plan.json"
    planfile.write_bytes(dump_planfile(PLAN, ticked=TICKED, user_routes=[user_route()]))
    args = parser().parse_args(["pdf", str(planfile), "-o", str(tmp_path / "out.pdf")])
    assert args.func(args) == 0
    text = text_of((tmp_path / "out.pdf").read_bytes())
    assert "Верхний Ларс" in text and "Сочи – ბათუმი" in text and text.count("✓") == 4


def test_pdf_command_errors_are_input_errors(tmp_path: Path):
    args = parser().parse_args(["pdf", str(tmp_path / "missing.json"), "-o", "x.pdf"])
    with pytest.raises(InputError, match="Cannot read the plan file .*missing.json"):
        args.func(args)
    bad = tmp_path / "bad.json"
    bad.write_bytes(b"{}")
    args = parser().parse_args(["pdf", str(bad), "-o", str(tmp_path / "out.pdf")])
    with pytest.raises(InputError, match="not a Departure Planner plan file"):
        args.func(args)
    assert not (tmp_path / "out.pdf").exists()
    planfile = tmp_path / "plan.json"
    planfile.write_bytes(dump_planfile(PLAN, ticked=frozenset(), user_routes=[]))
    args = parser().parse_args(["pdf", str(planfile), "-o", str(tmp_path / "no" / "out.pdf")])
    with pytest.raises(InputError, match="Cannot write"):
        args.func(args)


def test_pdf_command_rejects_a_huge_file_without_reading_it_all(tmp_path: Path):
    huge = tmp_path / "huge.json"
    huge.write_bytes(b" " * (MAX_BYTES + 100))
    args = parser().parse_args(["pdf", str(huge), "-o", str(tmp_path / "out.pdf")])
    with pytest.raises(InputError, match="larger than 5 MB"):
        args.func(args)


def test_unknown_paper_is_a_usage_error():
    with pytest.raises(SystemExit) as info:
        parser().parse_args(["pdf", "plan.json", "-o", "x.pdf", "--paper", "a3"])
    assert info.value.code == 2
