"""Building a Traveler from raw input: every state a person belongs to must issue passports."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from planner.errors import InputError
from planner.models import Traveler
from planner.plan import build_plan
from planner.traveler import make_traveler

NO_PASSPORTS = "UM (United States Minor Outlying Islands) issues no passports of its own"


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"citizenships": ("UM",)}, "citizenship"),
        ({"citizenships": ("US",), "passports": ("UM",)}, "passport"),
        ({"citizenships": ("US",), "residences": ("UM",)}, "permanent residence"),
        ({"citizenships": ("US",), "family_of": ("UM",)}, "family member's citizenship"),
    ],
)
def test_a_territory_without_passports_is_refused(fields, field):
    with pytest.raises(InputError) as exc:
        make_traveler(**fields)
    assert str(exc.value) == (
        f"{field}: {NO_PASSPORTS}; give the country whose passport is used there"
    )


def test_states_with_passports_are_accepted():
    traveler = make_traveler(citizenships=("LB", "RU"), residences=("US",), family_of=("XK",))
    assert traveler.citizenships == ("LB", "RU")


def test_a_plan_refuses_a_traveler_built_without_the_check():
    # A plan file or a script builds the model directly: build_plan checks again.
    traveler = Traveler(citizenships=("UM",))
    with pytest.raises(InputError, match=re.escape(NO_PASSPORTS)):
        build_plan(traveler, dt.date(2022, 9, 28), "RU", destination_advice=None)
