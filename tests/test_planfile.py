"""Tests for planner/export/planfile.py and the export CLI glue in command.py.

A plan file is untrusted: people pass them to each other in chats. Every test here feeds
the loader what a stranger could write, and checks that it is either restored (inputs only,
own routes marked as the person's) or refused whole with one sentence naming the field.
"""

from __future__ import annotations

import argparse
import copy
import datetime as dt
import io
import json
import os
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from plans import user_route
from pypdf import PdfReader

from planner import cli, geo
from planner.catalog import get_catalog
from planner.errors import InputError
from planner.export import command
from planner.export.outline import ordered_routes
from planner.export.planfile import (
    MAX_BYTES,
    MAX_STARRED,
    VERSION,
    PlanFile,
    dump_planfile,
    load_planfile,
)
from planner.models import UserRoute
from planner.plan import build_plan
from planner.traveler import make_traveler

CATALOG = get_catalog()
SEPT_28 = dt.date(2022, 9, 28)
NOW = dt.datetime(2026, 12, 2, 12, 0, tzinfo=dt.UTC)
TICKED = frozenset({"dual-russian-passport", "carry-cash-limit"})
TRAVELER = make_traveler(
    citizenships=("US", "RU"), sex="male", age=30, military_status="reservist", near="Moscow"
)
MOSCOW = geo.find_place("Moscow", "RU")
OWN = user_route()
PLAN = build_plan(TRAVELER, SEPT_28, "RU", location=MOSCOW, user_routes=[OWN], now=NOW)
LARS = "ru-ge-verkhny-lars"  # far below the best 5: no details unless starred
VAALIMAA = "ru-fi-vaalimaa"  # the same
STARRED = frozenset({LARS, OWN.id})


def text_of(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def good_doc() -> dict:
    return json.loads(
        dump_planfile(PLAN, ticked=TICKED, user_routes=[OWN], starred=STARRED, saved=NOW)
    )


def encoded(doc: dict) -> bytes:
    return json.dumps(doc, ensure_ascii=False).encode()


def load(data: bytes) -> PlanFile:
    return load_planfile(data, CATALOG, now=NOW)


def changed(path: str, value: object) -> bytes:
    """A good file with the value at a dotted `path` replaced (a missing key is added)."""
    doc = good_doc()
    *parents, last = path.split(".")
    node = doc
    for key in parents:
        node = node[int(key)] if isinstance(node, list) else node[key]
    if isinstance(node, list):
        node[int(last)] = value
    else:
        node[last] = value
    return encoded(doc)


# ------------------------------------------------------------------------ round trip


def test_round_trip_keeps_inputs_ticks_and_own_routes():
    data = dump_planfile(PLAN, ticked=TICKED, user_routes=[OWN], saved=NOW)
    loaded = load(data)
    assert loaded.inputs.traveler == TRAVELER
    assert (loaded.inputs.departure, loaded.inputs.as_of) == ("RU", SEPT_28)
    assert loaded.inputs.location == MOSCOW
    assert loaded.ticked == TICKED and loaded.dropped_ticks == 0
    assert loaded.user_routes == (OWN,)
    assert loaded.saved == NOW
    doc = json.loads(data)
    assert (doc["format"], doc["version"]) == ("departure-planner-plan", VERSION)
    assert "Верхний Ларс" in data.decode("utf-8")  # the plan, stored as text for people


def test_round_trip_keeps_the_stars_of_the_plans_routes():
    # A star the page kept from another country's plan is not the plan's: not saved.
    data = dump_planfile(PLAN, user_routes=[OWN], starred=[OWN.id, "ua-pl-shehyni", LARS])
    assert json.loads(data)["starred"] == sorted(STARRED)
    loaded = load(data)
    assert loaded.starred == STARRED and loaded.dropped_stars == 0


def test_a_version_2_file_has_no_stars_and_still_opens():
    doc = good_doc()
    doc["version"] = 2
    del doc["starred"]
    loaded = load(encoded(doc))
    assert loaded.starred == frozenset() and loaded.ticked == TICKED


def test_a_loaded_file_is_planned_again_from_the_data():
    plan = command.replan(load(dump_planfile(PLAN, user_routes=[OWN])), now=NOW)
    assert [(o.id, o.verdict) for o in plan.routes] == [(o.id, o.verdict) for o in PLAN.routes]
    own = [o for o in plan.routes if o.added_by_user]
    assert [o.id for o in own] == [OWN.id] and own[0].unsourced


def test_the_stored_plan_is_never_read_back():
    # A stranger writes a "curated" route straight into the stored plan: it is not shown.
    doc = good_doc()
    fake = copy.deepcopy(doc["plan"]["routes"][0])
    fake.update(id="ru-secret-corridor", name="Secret corridor", verdict="go")
    doc["plan"]["routes"].insert(0, fake)
    doc["plan"]["headline"] = {"level": 1, "sources": [], "leave_now": False, "text": "All calm"}
    plan = command.replan(load(encoded(doc)), now=NOW)
    assert "ru-secret-corridor" not in {o.id for o in plan.routes}
    assert plan.headline is None or plan.headline.text != "All calm"


# ------------------------------------------------------------------------ own routes


def test_own_routes_rank_after_the_curated_ones_unless_asked():
    sourced = OWN.model_copy(update={"source_url": "https://example.org/boat", "id": "user-b"})
    plan = command.replan(load(dump_planfile(PLAN, user_routes=[OWN, sourced])), now=NOW)
    order = [o for o in plan.routes if o.verdict != "blocked"]
    firsts = [o.added_by_user for o in order]
    assert firsts == sorted(firsts)  # curated first, then the person's own
    assert [o.id for o in order if o.added_by_user] == ["user-b", OWN.id]  # sourced first
    ranked = load(dump_planfile(PLAN, user_routes=[OWN, sourced], rank_user_routes=True))
    plan = command.replan(ranked, now=NOW)
    usable = [o for o in plan.routes if o.verdict != "blocked"]
    assert usable[-1].id == OWN.id  # without a source: after every sourced route
    assert any("ranked with the curated routes" in n for n in plan.notices)


@pytest.mark.parametrize(
    ("route", "where"),
    [
        ({"id": "ru-ge-upper-lars"}, "user_routes.0.id"),  # a curated route's id
        ({"added_by_user": False}, "user_routes.0.added_by_user"),  # not a field
        ({"status": [{"status": "open"}]}, "user_routes.0.status"),  # statuses are curated
        ({"arranged": {"government": "US"}}, "user_routes.0.arranged"),
        ({"source_url": "javascript:alert(1)"}, "user_routes.0.source_url"),
        ({"source_url": "https://gov.example@evil.example/"}, "user_routes.0.source_url"),
        ({"source_url": "https://example.org/a b"}, "user_routes.0.source_url"),
        ({"source_url": "https://example.org/\u202eexe.txt"}, "user_routes.0.source_url"),
        ({"name": "x" * 201}, "user_routes.0.name"),
        ({"note": "x" * 4001}, "user_routes.0.note"),
        ({"name": ""}, "user_routes.0.name"),
        ({"place": {"name": "Sochi"}}, "user_routes.0.place"),  # no coordinates
        ({"place": {"name": "Sochi", "lat": 91, "lon": 0}}, "user_routes.0.place.lat"),
        ({"to_country": "ZZ"}, "user_routes.0.to_country"),
        ({"kind": "teleport"}, "user_routes.0.kind"),
    ],
)
def test_an_own_route_that_could_pass_for_curated_data_is_refused(route, where):
    doc = good_doc()
    doc["user_routes"][0].update(route)
    with pytest.raises(InputError, match=f"damaged at {where}"):
        load(encoded(doc))


def test_own_routes_with_one_id_twice_are_refused():
    doc = good_doc()
    doc["user_routes"].append(doc["user_routes"][0])
    with pytest.raises(InputError, match=r"user_routes\.1\.id: 'user-sochi-batumi' is used twice"):
        load(encoded(doc))


def test_too_many_own_routes_are_refused():
    doc = good_doc()
    doc["user_routes"] = [dict(doc["user_routes"][0], id=f"user-r{i}") for i in range(51)]
    with pytest.raises(InputError, match="damaged at user_routes"):
        load(encoded(doc))


# ------------------------------------------------------------------------ inputs


@pytest.mark.parametrize(
    ("path", "value", "where"),
    [
        ("inputs.traveler.age", 200, "inputs.traveler.age"),
        ("inputs.traveler.age", 1.5, "inputs.traveler.age"),
        ("inputs.traveler.citizenships", ["ZZ"], "inputs.traveler.citizenships.0"),
        ("inputs.traveler.citizenships", ["US", "US"], "inputs.traveler.citizenships"),
        ("inputs.traveler.citizenships", ["US"] * 11, "inputs.traveler.citizenships"),
        ("inputs.traveler.military_status", "general", "inputs.traveler.military_status"),
        ("inputs.traveler.children", 10**30, "inputs.traveler.children"),
        ("inputs.traveler.near", "M" * 201, "inputs.traveler.near"),
        ("inputs.departure", "XX", "inputs.departure"),
        ("inputs.as_of", "yesterday", "inputs.as_of"),
        ("inputs.location.lat", 1000, "inputs.location.lat"),
        ("inputs.location.name", "<b>" * 100, "inputs.location.name"),
        ("ticked", "cash", "ticked"),
        ("ticked", ["ok", "Not An Id!"], "ticked"),
        ("ticked", [f"t{i}" for i in range(1001)], "ticked"),
        ("starred", LARS, "starred"),
        ("starred", {"id": LARS}, "starred"),
        ("starred", [LARS, 7], "starred"),
        ("starred", [None], "starred"),
        ("starred", ["<script>alert(1)</script>"], "starred"),
        ("starred", ["r" * 101], "starred"),
        ("starred", [f"r{i}" for i in range(MAX_STARRED + 1)], "starred"),
        ("saved", "last week", "saved"),
        ("extra", 1, "extra"),
    ],
)
def test_bad_inputs_are_refused_naming_the_field(path, value, where):
    with pytest.raises(InputError, match=f"damaged at {where}"):
        load(changed(path, value))


@pytest.mark.parametrize(
    ("path", "value", "message"),
    [
        ("inputs.as_of", "1999-01-01", r"inputs\.as_of: date 1999-01-01 is before the data"),
        ("inputs.as_of", "2030-01-01", r"inputs\.as_of: date 2030-01-01 is more than a year"),
        ("inputs.traveler.circumstances", ["made-up"], r"inputs\.traveler: unknown circumstance"),
        ("user_routes.0.added", "1990-01-01", r"user_routes\.0\.added: date 1990-01-01 is before"),
        ("saved", "2031-01-01T00:00:00+00:00", r"saved: 2031-01-01T00:00:00\+00:00 is in the"),
        ("saved", "1999-05-01T10:00:00+00:00", r"saved: date 1999-05-01 is before the data"),
    ],
)
def test_inputs_outside_the_data_are_refused_naming_the_field(path, value, message):
    with pytest.raises(InputError, match=f"cannot be opened: {message}"):
        load(changed(path, value))


def test_ticks_for_items_the_checklist_does_not_have_are_left_out_and_counted():
    loaded = load(changed("ticked", ["carry-cash-limit", "no-such-item"]))
    assert loaded.ticked == frozenset({"carry-cash-limit"}) and loaded.dropped_ticks == 1


def test_stars_for_routes_neither_the_data_nor_the_file_has_are_left_out_and_counted():
    # A route the data dropped, or an own route of another file, is not refused: left out.
    loaded = load(changed("starred", [LARS, "ru-secret-corridor", "user-elsewhere"]))
    assert loaded.starred == frozenset({LARS}) and loaded.dropped_stars == 2
    # A file cannot say what was dropped: that is counted, not read.
    loaded = load(changed("dropped_stars", 40))
    assert loaded.dropped_stars == 0


@pytest.mark.parametrize(
    "number", [b"1e999", b"-1e999", b"NaN", b"Infinity", b"-Infinity", b"1" * 5000]
)
def test_non_finite_and_huge_numbers_are_refused(number):
    data = changed("inputs.location.lat", "@@").replace(b'"@@"', number)
    with pytest.raises(InputError, match="not valid JSON"):
        load(data)


# ------------------------------------------------------------------------ format


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "not valid JSON"),
        (b"{not json", "not valid JSON"),
        (b"\xff\xfe\x00", "not UTF-8"),
        (b"[1, 2]", "not a Departure Planner plan file"),
        (b'{"format": "something-else", "version": 2}', "not a Departure Planner plan file"),
        (b"[" * 100_000 + b"]" * 100_000, "not valid JSON"),
        (b'{"format": "departure-planner-plan", "version": 2}', "damaged at inputs"),
    ],
    ids=["empty", "truncated", "binary", "list", "other-format", "deep-nesting", "empty-plan"],
)
def test_malformed_file_is_an_input_error(data, message):
    with pytest.raises(InputError, match=message):
        load(data)


@pytest.mark.parametrize(
    ("version", "hint"),
    [(4, "update Departure Planner"), (0, "it cannot be opened"), ("3", ""), (True, "")],
)
def test_wrong_version_is_an_input_error(version, hint):
    with pytest.raises(InputError, match=f"version .* reads versions 1 to 3; {hint}"):
        load(changed("version", version))


def test_oversized_file_is_an_input_error():
    data = dump_planfile(PLAN)
    padded = data[:-1] + b" " * (MAX_BYTES + 1 - len(data)) + b"}"
    with pytest.raises(InputError, match="larger than 5 MB"):
        load(padded)


def test_error_messages_are_one_short_sentence():
    for data in (
        b"{",
        b"[]",
        changed("version", 9),
        changed("ticked", 3),
        changed("inputs.traveler.near", "\n" * 300),
        changed("inputs.as_of", "1999-01-01"),
        b"x" * (MAX_BYTES + 1),
    ):
        with pytest.raises(InputError) as info:
            load(data)
        message = str(info.value)
        assert message.endswith(".") and "\n" not in message and len(message) < 500, message


# ------------------------------------------------------------------------ version 1


def version_1_doc() -> dict:
    """A file as version 1 wrote it: the whole plan, full routes (with statuses)."""
    own = {
        "id": "user-sochi-batumi",
        "kind": "sea",
        "name": "Sochi – Batumi (friend's boat)",
        "departure": OWN.place.model_dump(mode="json"),
        "to_country": "GE",
        "modes": [
            {
                "date": "2022-09-27",
                "modes": ["ship"],
                "source_url": "https://example.org/user-entered",
                "confidence": "unverified",
            }
        ],
        "status": [
            {
                "date": "2022-09-27",
                "status": "open",
                "source_url": "https://example.org/user-entered",
                "confidence": "high",
            }
        ],
        "added_by_user": True,
    }
    return {
        "format": "departure-planner-plan",
        "version": 1,
        "plan": PLAN.model_dump(mode="json"),
        "ticked": sorted(TICKED),
        "user_routes": [own],
    }


def test_a_version_1_file_gives_its_inputs_and_what_a_person_said_of_their_routes():
    loaded = load(encoded(version_1_doc()))
    assert loaded.inputs.traveler == TRAVELER and loaded.inputs.as_of == SEPT_28
    assert loaded.saved is None and loaded.ticked == TICKED
    (own,) = loaded.user_routes
    assert (own.id, own.to_country, own.source_url, own.added) == (
        "user-sochi-batumi",
        "GE",
        None,  # its only link was graded unverified: no source
        dt.date(2022, 9, 27),
    )
    option = next(o for o in command.replan(loaded, now=NOW).routes if o.id == own.id)
    assert option.status == "unknown"  # the "open" status in the file was not read


def test_a_version_1_route_with_a_curated_id_is_refused():
    doc = version_1_doc()
    doc["user_routes"][0]["id"] = "ru-ge-upper-lars"
    with pytest.raises(InputError, match="damaged at user_routes.0.id"):
        load(encoded(doc))


# ------------------------------------------------------------------------ fuzzing

GOOD = dump_planfile(PLAN, ticked=TICKED, user_routes=[OWN], starred=STARRED, saved=NOW)
JSON_VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(10**20), max_value=10**20)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=300),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner),
    max_leaves=8,
)


def _paths(node, prefix=()):
    yield prefix
    if isinstance(node, dict):
        for key, value in node.items():
            if prefix or key != "plan":  # the stored plan is never read: skip its 10,000 paths
                yield from _paths(value, (*prefix, key))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _paths(value, (*prefix, i))


PATHS = [p for p in _paths(json.loads(GOOD)) if p]


def _restored_or_refused(data: bytes) -> PlanFile | None:
    try:
        loaded = load(data)
    except InputError as exc:
        message = str(exc)
        assert message.endswith(".") and "\n" not in message
        return None
    assert isinstance(loaded, PlanFile)
    assert all(isinstance(r, UserRoute) and r.id.startswith("user-") for r in loaded.user_routes)
    routes = CATALOG.routes_from(loaded.inputs.departure) + loaded.user_routes
    assert loaded.starred <= {r.id for r in routes}
    return loaded


@given(st.sampled_from(PATHS), JSON_VALUES, st.booleans())
def test_any_value_anywhere_is_restored_or_refused(path, value, delete):
    doc = json.loads(GOOD)
    node = doc
    for key in path[:-1]:
        node = node[key]
    if delete:
        del node[path[-1]]
    else:
        node[path[-1]] = value
    loaded = _restored_or_refused(encoded(doc))
    if loaded is not None:  # and whatever loads also plans (or says why not)
        try:
            plan = command.replan(loaded, now=NOW)
        except InputError:
            return
        assert all(o.added_by_user == o.id.startswith("user-") for o in plan.routes)


@given(st.data())
def test_any_damage_to_the_bytes_is_restored_or_refused(data):
    raw = bytearray(GOOD)
    for _ in range(data.draw(st.integers(1, 8))):
        at = data.draw(st.integers(0, len(raw) - 1))
        raw[at] = data.draw(st.integers(0, 255))
    cut = data.draw(st.integers(0, len(raw)))
    _restored_or_refused(bytes(raw[: max(cut, len(raw) // 2)]))


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
    written = command.after_plan(PLAN, args, ticked=TICKED, user_routes=[OWN])
    assert written == [tmp_path / "p.pdf", tmp_path / "p.json"]
    assert "reservist" not in text_of((tmp_path / "p.pdf").read_bytes())
    loaded = load((tmp_path / "p.json").read_bytes())
    assert loaded.ticked == TICKED and loaded.user_routes == (OWN,)


def test_plan_options_default_to_nothing():
    args = parser().parse_args(["plan"])
    assert (args.pdf, args.save, args.paper, args.personal) == (None, None, "a4", True)
    assert command.after_plan(PLAN, args) == []


def test_pdf_command_prints_the_plan_of_a_saved_file(tmp_path: Path):
    planfile = tmp_path / "plan.json"
    planfile.write_bytes(dump_planfile(PLAN, ticked=TICKED, user_routes=[OWN]))
    args = parser().parse_args(["pdf", str(planfile), "-o", str(tmp_path / "out.pdf")])
    assert args.func(args) == 0
    text = text_of((tmp_path / "out.pdf").read_bytes())
    assert "Верхний Ларс" in text and OWN.name in text and text.count("✓") >= len(TICKED)
    assert "added by you" in text and "no source given" in text


def test_open_command_marks_the_files_routes_as_the_persons(tmp_path: Path, capsys):
    planfile = tmp_path / "plan.json"
    planfile.write_bytes(dump_planfile(PLAN, user_routes=[OWN]))
    args = parser().parse_args(["open", str(planfile), "--full"])
    assert args.func(args) == 0
    lines = [line for line in capsys.readouterr().out.splitlines() if OWN.name in line]
    assert lines and lines[0].endswith("[ADDED BY YOU, NO SOURCE GIVEN]")
    args = parser().parse_args(["open", str(planfile), "--json"])
    assert args.func(args) == 0
    routes = json.loads(capsys.readouterr().out)["routes"]
    own = [r for r in routes if r["added_by_user"]]
    assert [(r["id"], r["unsourced"]) for r in own] == [(OWN.id, True)]


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
    planfile.write_bytes(dump_planfile(PLAN))
    args = parser().parse_args(["pdf", str(planfile), "-o", str(tmp_path / "no" / "out.pdf")])
    with pytest.raises(InputError, match="Cannot write"):
        args.func(args)


def test_pdf_command_reads_no_folder_device_or_pipe(tmp_path: Path):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)  # opening it would wait for a writer forever
    for path in (tmp_path, Path("/dev/zero"), fifo):
        args = parser().parse_args(["pdf", str(path), "-o", str(tmp_path / "out.pdf")])
        with pytest.raises(InputError, match="not a regular file"):
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


def card_of(text: str, route_id: str) -> bool:
    """Whether the PDF of PLAN has a details card for the route ("12. Name" heads a card;
    its row in the routes table has no dot)."""
    routes = ordered_routes(PLAN.routes)
    number, option = next((n, o) for n, o in enumerate(routes, 1) if o.id == route_id)
    return f"{number}. {option.name}" in text


def test_pdf_command_gives_details_for_the_files_stars_and_star_options(tmp_path: Path):
    planfile, out = tmp_path / "plan.json", tmp_path / "out.pdf"
    planfile.write_bytes(dump_planfile(PLAN, user_routes=[OWN]))
    args = parser().parse_args(["pdf", str(planfile), "-o", str(out)])
    assert args.func(args) == 0
    text = text_of(out.read_bytes())
    assert "Details of 6 ways out" in text  # the best 5 and the one the person added
    assert not card_of(text, LARS) and not card_of(text, VAALIMAA)
    planfile.write_bytes(dump_planfile(PLAN, user_routes=[OWN], starred=[LARS]))
    args = parser().parse_args(["pdf", str(planfile), "-o", str(out), "--star", VAALIMAA])
    assert args.func(args) == 0
    text = text_of(out.read_bytes())
    assert "Details of 8 ways out" in text
    assert card_of(text, LARS) and card_of(text, VAALIMAA)


def test_pdf_command_full_gives_details_for_every_route(tmp_path: Path):
    planfile, out = tmp_path / "plan.json", tmp_path / "out.pdf"
    planfile.write_bytes(dump_planfile(PLAN, user_routes=[OWN]))
    args = parser().parse_args(["pdf", str(planfile), "-o", str(out), "--full"])
    assert args.func(args) == 0
    text = text_of(out.read_bytes())
    assert f"Details of every way out ({len(PLAN.routes)})" in text
    assert card_of(text, LARS) and card_of(text, ordered_routes(PLAN.routes)[-1].id)


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--star", "ru-no-such-route"], "error: --star 'ru-no-such-route': this plan has no"),
        (["--star", LARS, "--star", "\x1b[31mred"], r"error: --star '\x1b[31mred': this plan"),
        (["--checklist-only", "--full"], "error: --full and --star choose route details"),
    ],
)
def test_pdf_command_bad_stars_are_one_line_and_exit_2(tmp_path: Path, capsys, extra, message):
    planfile, out = tmp_path / "plan.json", tmp_path / "out.pdf"
    planfile.write_bytes(dump_planfile(PLAN))
    assert cli.main(["pdf", str(planfile), "-o", str(out), *extra]) == 2
    err = capsys.readouterr().err
    assert err.startswith(message) and err.count("\n") == 1
    assert not out.exists()
