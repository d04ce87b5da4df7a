"""planner/entry.py against the real Passport Index releases and crisis overrides."""

from __future__ import annotations

import datetime as dt

import pytest

from planner import entry
from planner.errors import InputError
from planner.models import AllExcept, EntryOverride

D = dt.date
FI_OVERRIDE = EntryOverride(
    id="fi-ru-tourists-2022-09-30",
    destination="FI",
    passports=("RU",),
    requirement="restricted",
    note="From 30 Sept 2022 Finland refuses Russian tourists.",
    date=D(2022, 9, 30),
    source_url="https://um.fi/current-affairs/-/asset_publisher/gc654PySnjTX/content/",
)
LAND_BAN = EntryOverride(
    id="xx-land-closed",
    destination="AZ",
    passports="all",
    kinds=("land",),
    requirement="no admission",
    note="Land border closed.",
    date=D(2020, 3, 1),
    source_url="https://example.org/az",
)


def test_releases_on_disk():
    assert entry.releases() == [D(2022, 9, 10), D(2025, 1, 12)]


@pytest.mark.parametrize(
    ("passport", "dest", "on", "requirement", "days", "dataset"),
    [
        ("US", "GE", D(2022, 9, 28), "visa free", 360, "2022-09-10"),
        ("RU", "GE", D(2022, 9, 28), "visa free", 360, "2022-09-10"),
        ("RU", "FI", D(2022, 9, 28), "visa required", None, "2022-09-10"),
        ("US", "TR", D(2022, 9, 28), "e-visa", None, "2022-09-10"),
        ("US", "TR", D(2025, 3, 1), "visa free", None, "2025-01-12"),
        ("RU", "RU", D(2022, 9, 28), "citizen", None, "2022-09-10"),
        ("NA", "ZA", D(2022, 9, 28), "visa free", 90, "2022-09-10"),  # "NA" stays Namibia
    ],
)
def test_dataset_values(passport, dest, on, requirement, days, dataset):
    got = entry.requirement(passport, dest, on, overrides=())
    assert (got.requirement, got.days, got.dataset) == (requirement, days, dataset)
    assert got.source_url == "https://github.com/ilyankou/passport-index-dataset"
    assert got.as_of == D.fromisoformat(dataset) and got.override_id is None


def test_release_in_force_is_the_newest_on_or_before():
    assert entry.requirement("US", "TR", D(2025, 1, 11), overrides=()).dataset == "2022-09-10"
    assert entry.requirement("US", "TR", D(2025, 1, 12), overrides=()).dataset == "2025-01-12"


def test_before_the_first_release_says_so():
    got = entry.requirement("RU", "GE", D(2020, 1, 1), overrides=())
    assert got.dataset == "2022-09-10"
    assert "first visa data release (2022-09-10) is newer than the plan date" in got.note
    # One note for every day before it, so a plan for the next day reuses the answer.
    assert entry.requirement("RU", "GE", D(2020, 1, 2), overrides=()).note == got.note


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("-1", ("citizen", None)),
        ("90", ("visa free", 90)),
        ("visa free", ("visa free", None)),
        ("visa on arrival", ("visa on arrival", None)),
        ("eta", ("eta", None)),
        ("e-visa", ("e-visa", None)),
        ("visa required", ("visa required", None)),
        ("no admission", ("no admission", None)),
        ("covid ban", ("no admission", None)),
        ("Hayya Entry Permit", ("eta", None)),
        ("ask the consul", ("unknown", None)),
    ],
)
def test_dataset_words(raw, expected):
    requirement, days, note = entry._from_dataset(raw)
    assert (requirement, days) == expected
    if raw == "covid ban":
        assert "COVID" in note


def test_every_dataset_value_is_understood():
    offenders = sorted(
        {
            raw
            for release in entry.releases()
            for raw in entry._table(release).values()
            if entry._from_dataset(raw)[0] == "unknown"
        }
    )
    assert offenders == []


def test_held_visa():
    got = entry.requirement("RU", "FI", D(2022, 9, 28), visas=("FI",), overrides=())
    assert got.requirement == "visa held"
    assert entry.requirement(
        "US", "TR", D(2022, 9, 28), visas=("TR",), overrides=()
    ).requirement == ("visa held")
    # A held visa does not make visa-free entry any harder.
    assert entry.requirement("US", "GE", D(2022, 9, 28), visas=("GE",), overrides=()).days == 360


def test_restricted_override_beats_a_held_visa():
    got = entry.requirement("RU", "FI", D(2022, 10, 15), visas=("FI",), overrides=[FI_OVERRIDE])
    assert got.requirement == "restricted"
    assert got.override_id == "fi-ru-tourists-2022-09-30"
    assert "only some categories are admitted" in got.note
    assert got.source_url == FI_OVERRIDE.source_url and got.as_of == D(2022, 9, 30)


def test_override_not_yet_in_force():
    got = entry.requirement("RU", "FI", D(2022, 9, 28), visas=("FI",), overrides=[FI_OVERRIDE])
    assert (got.requirement, got.override_id) == ("visa held", None)


def test_override_only_for_its_passports_and_kinds():
    on = D(2022, 9, 28)
    assert (
        entry.requirement("US", "FI", D(2022, 10, 15), overrides=[FI_OVERRIDE]).override_id is None
    )
    assert entry.requirement("RU", "AZ", on, kind="land", overrides=[LAND_BAN]).requirement == (
        "no admission"
    )
    assert entry.requirement("RU", "AZ", on, kind="air", overrides=[LAND_BAN]).requirement == (
        "visa free"
    )
    all_but_tr = LAND_BAN.model_copy(update={"passports": AllExcept(all_except=("TR",))})
    assert entry.requirement("TR", "AZ", on, overrides=[all_but_tr]).override_id is None


def test_looser_override_keeps_the_stricter_answer_and_mentions_it():
    got = entry.requirement("RU", "FI", D(2022, 10, 15), overrides=[FI_OVERRIDE])
    assert (got.requirement, got.override_id) == ("visa required", None)
    assert "Finland refuses Russian tourists" in got.note


def test_catalog_overrides_are_the_default():
    got = entry.requirement("RU", "FI", D(2022, 10, 15), visas=("FI",))
    assert (got.requirement, got.override_id) == ("restricted", "fi-ru-tourists-2022-09-30")


def test_rank_order():
    assert list(entry.REQUIREMENT_RANK) == [
        "citizen",
        "visa free",
        "visa on arrival",
        "eta",
        "e-visa",
        "visa held",
        "restricted",
        "visa required",
        "no admission",
        "unknown",
    ]


def test_best_entry_avoids_the_departure_passport_on_a_tie():
    got = entry.best_entry(("RU", "US"), "GE", D(2022, 9, 28), avoid="RU", overrides=())
    assert (got.passport, got.requirement, got.days) == ("US", "visa free", 360)
    # Without `avoid`, the tie goes alphabetically.
    assert entry.best_entry(("US", "RU"), "GE", D(2022, 9, 28), overrides=()).passport == "RU"


def test_best_entry_prefers_the_easier_passport():
    got = entry.best_entry(("RU", "US"), "FI", D(2022, 10, 15), avoid="RU", overrides=[FI_OVERRIDE])
    assert (got.passport, got.requirement, got.days) == ("US", "visa free", 90)
    assert entry.best_entry(("RU",), "RU", D(2022, 9, 28), overrides=()).requirement == "citizen"


def test_best_entry_prefers_the_longer_stay():
    # Both visa free in Georgia: RU for 360 days; BY too: a tie broken alphabetically.
    got = entry.best_entry(("TR", "RU"), "GE", D(2022, 9, 28), overrides=())
    assert got.days == max(
        entry.requirement(p, "GE", D(2022, 9, 28), overrides=()).days or 0 for p in ("TR", "RU")
    )


def test_no_passport_is_an_input_error():
    with pytest.raises(InputError, match="no valid passport"):
        entry.best_entry((), "GE", D(2022, 9, 28), overrides=())


@pytest.mark.parametrize("bad", ["Russia", "R", "", "12"])
def test_bad_codes_are_input_errors(bad):
    with pytest.raises(InputError, match="two-letter ISO 3166-1 country code"):
        entry.requirement(bad, "GE", D(2022, 9, 28), overrides=())


def test_relaxing_override_replaces_a_stricter_answer():
    protection = FI_OVERRIDE.model_copy(
        update={"id": "tp", "requirement": "visa free", "note": "Temporary protection."}
    )
    got = entry.requirement("RU", "FI", D(2022, 10, 15), overrides=[protection])
    assert (got.requirement, got.override_id) == ("visa free", "tp")
    lax_already = entry.requirement("US", "FI", D(2022, 10, 15), overrides=[protection])
    assert lax_already.override_id is None


def test_best_entry_answers_again_when_an_override_comes_into_force():
    # Answers are kept across calls; the day LAND_BAN starts must not get the day before's.
    day = LAND_BAN.date
    before = entry.best_entry(("RU",), "AZ", day - dt.timedelta(days=1), overrides=[LAND_BAN])
    on = entry.best_entry(("RU",), "AZ", day, overrides=[LAND_BAN])
    assert before.override_id is None
    assert on.override_id == LAND_BAN.id and on.requirement == "no admission"
    assert entry.best_entry(("RU",), "AZ", day, overrides=[LAND_BAN]) == on
    assert entry.best_entry(("RU",), "AZ", day, overrides=()).override_id is None
    by_air = entry.best_entry(("RU",), "AZ", day, kind="air", overrides=[LAND_BAN])
    assert by_air.override_id is None


def test_passport_countries_are_the_data_sets_passports():
    codes = entry.passport_countries()
    assert {"US", "RU", "LB", "XK"} <= codes
    # Territories with no passports of their own have no rows as a passport.
    assert not codes & {"UM", "PR", "GU", "AQ"}
