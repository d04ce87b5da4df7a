"""Properties of the planning core for any input (issue 13, part 6), found with hypothesis.

Any traveler (valid or not), any date 1900..2100, any departure country (with route data or
without, valid code or not) and any place on earth (or none) gives a valid Plan from
build_plan, or one InputError from make_traveler or build_plan; never another exception. In
every plan no blocked route comes before one that is not blocked, every reason's source is
an http(s) URL or None, and every distance and time is finite or None.

The "ci" profile keeps this file near 20 s; HYPOTHESIS_PROFILE=deep multiplies every example
count by 50.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterator
from functools import cache
from urllib.parse import urlsplit

import pycountry
import pytest
from hypothesis import event, example, given, settings
from hypothesis import strategies as st

from planner import entry, geo
from planner.advisories import SOURCES
from planner.advisories.snapshot import DEFAULT_ROOT
from planner.catalog import get_catalog
from planner.errors import InputError, PlannerError
from planner.models import MILITARY_STATUSES, Advisory, Place, Plan
from planner.plan import build_plan
from planner.traveler import make_traveler


def examples(ci: int) -> int:
    """`ci` examples under the "ci" profile, scaled with the profile (x50 under "deep")."""
    return max(1, ci * settings().max_examples // 100)


CODES = sorted(c.alpha_2 for c in pycountry.countries)
WITH_DATA = ["RU", "UA", "IL", "LB"]
# Codes no ISO list has, lowercase, padded, three letters, empty: what a form may send.
BAD_CODES = ["ZZ", "XK", "ru", " RU ", "RUS", "R", "", "12", "\u0420\u0423", "EU", "UK"]


def mostly(good: st.SearchStrategy, bad: st.SearchStrategy) -> st.SearchStrategy:
    """`good` nine times in ten: inputs that are all wrong would only test the first check."""
    return st.integers(0, 9).flatmap(lambda i: bad if i == 9 else good)


code = mostly(st.sampled_from(WITH_DATA) | st.sampled_from(CODES), st.sampled_from(BAD_CODES))
codes = st.lists(code, max_size=3)
number = mostly(st.integers(0, 120), st.integers() | st.sampled_from([-1, 121, 10**30, -(10**30)]))
children = mostly(st.integers(0, 20), number)


def _circumstance_ids() -> list[str]:
    countries = get_catalog().countries.values()
    return sorted({c.id for country in countries for c in country.circumstances})


@st.composite
def traveler_fields(draw: st.DrawFn) -> dict:
    """Raw form input: mostly plausible, sometimes impossible, never only the happy path."""
    fields = {
        "citizenships": tuple(draw(mostly(st.lists(code, min_size=1, max_size=3), codes))),
        "passports": draw(st.none() | codes.map(tuple)),
        "visas": tuple(draw(codes)),
        "sex": draw(mostly(st.sampled_from([None, "male", "female"]), st.sampled_from(["x", ""]))),
        "age": draw(st.none() | number),
        "military_status": draw(
            mostly(st.sampled_from(MILITARY_STATUSES), st.sampled_from(["general", "", None]))
        ),
        "has_car": draw(st.booleans()),
        "children": draw(children),
        "children_under_18": draw(children),
        "disability": draw(st.booleans()),
        "carer": draw(st.booleans()),
        "pets": draw(st.booleans()),
        "circumstances": tuple(
            draw(
                mostly(
                    st.just([]),
                    st.lists(st.sampled_from([*_circumstance_ids(), "none-such"]), max_size=3),
                )
            )
        ),
        "near": draw(st.text(max_size=20)),
    }
    # A form leaves a field out as often as it sends it empty.
    return {k: v for k, v in fields.items() if draw(st.booleans()) or k == "citizenships"}


latitudes = st.one_of(
    st.floats(-90, 90, allow_nan=False), st.sampled_from([-90.0, 90.0, 0.0, -0.0, 5e-324])
)
longitudes = st.one_of(
    st.floats(-180, 180, allow_nan=False), st.sampled_from([-180.0, 180.0, 0.0, -0.0])
)
places = st.one_of(
    st.none(),
    st.builds(
        Place,
        name=st.text(max_size=10),
        lat=latitudes,
        lon=longitudes,
        country=st.none() | st.sampled_from([*WITH_DATA, *CODES]),
    ),
    st.builds(Place, name=st.just("nowhere")),  # a place without coordinates
)


@st.composite
def plan_dates(draw: st.DrawFn) -> tuple[dt.date, dt.datetime]:
    """(as_of, now): any day 1900..2100 and any clock 1990..2100, mostly a plan date in the
    data (2022..2026) and a clock a little after it, as in real use."""
    if draw(st.booleans()):
        as_of = draw(st.dates(dt.date(1900, 1, 1), dt.date(2100, 12, 31)))
        now = draw(
            st.datetimes(
                dt.datetime(1990, 1, 1), dt.datetime(2100, 1, 1), timezones=st.just(dt.UTC)
            )
        )
        return as_of, now
    as_of = draw(st.dates(dt.date(2022, 1, 1), dt.date(2026, 6, 30)))
    now = dt.datetime.combine(as_of, dt.time(12), dt.UTC)
    return as_of, now + dt.timedelta(days=draw(st.integers(-400, 400)))


@cache
def _real_advisories() -> tuple[Advisory, ...]:
    """A few real advisories for Russia, Ukraine and Israel, dated 2014..2026."""
    found = []
    for module in SOURCES.values():
        for path in sorted((DEFAULT_ROOT / module.SOURCE).iterdir()):
            if path.suffix in (".json", ".xml"):
                found += [a for a in module.parse(path.read_bytes()) if a.country in WITH_DATA]
    return tuple(found[:: max(1, len(found) // 12)])


# ----------------------------------------------------------------- the properties


def _url_ok(url: str | None) -> bool:
    if url is None:
        return True
    parts = urlsplit(url)
    return parts.scheme in ("http", "https") and bool(parts.hostname) and url == url.strip()


def _finite_or_none(*values: float | None) -> bool:
    return all(v is None or math.isfinite(v) for v in values)


def plan_problems(plan: Plan) -> Iterator[str]:
    verdicts = [o.verdict for o in plan.routes]
    if "blocked" in verdicts:
        first = verdicts.index("blocked")
        if any(v != "blocked" for v in verdicts[first:]):
            yield f"a blocked route comes before one that is not: {verdicts}"
    for o in plan.routes:
        if not _finite_or_none(o.distance_km, o.hours, o.wait_hours, o.lat, o.lon):
            yield f"{o.id}: distance, time or position not finite"
        if (o.distance_km or 0) < 0 or (o.hours or 0) < 0 or (o.wait_hours or 0) < 0:
            yield f"{o.id}: negative distance or time"
        for reason in o.reasons:
            if not _url_ok(reason.source_url):
                yield f"{o.id}: reason source {reason.source_url!r} is not http(s)"


def plan_or_input_error(fields: dict, as_of: dt.date, departure: str, **kwargs) -> Plan | None:
    """build_plan's answer for raw input, None when the input was refused with InputError."""
    try:
        traveler = make_traveler(**fields)
        plan = build_plan(traveler, as_of, departure, **kwargs)
    except InputError as exc:
        assert str(exc) and "\n" not in str(exc)
        return None
    assert isinstance(plan, Plan)
    assert list(plan_problems(plan)) == []
    return plan


@settings(max_examples=examples(400))
@given(
    fields=traveler_fields(),
    when=plan_dates(),
    departure=mostly(st.sampled_from(WITH_DATA), code),
    location=places,
)
@example(  # a dual national the day mobilisation began, in Moscow
    fields={"citizenships": ("RU", "US"), "sex": "male", "age": 30},
    when=(dt.date(2022, 9, 21), dt.datetime(2022, 9, 21, tzinfo=dt.UTC)),
    departure="RU",
    location=Place(name="Moscow", lat=55.75, lon=37.62, country="RU"),
)
def test_any_input_gives_a_plan_or_an_input_error(fields, when, departure, location):
    as_of, now = when
    plan = plan_or_input_error(fields, as_of, departure, location=location, now=now)
    event("plan" if plan else "input error")


@settings(max_examples=examples(300))
@given(
    fields=traveler_fields(),
    as_of=st.dates(dt.date(2022, 2, 24), dt.date(2026, 6, 30)),
    departure=st.sampled_from(WITH_DATA),
    location=places,
    advisories=st.lists(st.deferred(lambda: st.sampled_from(_real_advisories())), max_size=4),
)
def test_plans_from_countries_with_data(fields, as_of, departure, location, advisories):
    """Dates where the data is, so most inputs reach the routes rather than a date error."""
    now = dt.datetime(2026, 7, 1, tzinfo=dt.UTC)
    fields = {**fields, "citizenships": fields["citizenships"] or (departure,)}
    plan = plan_or_input_error(
        fields, as_of, departure, location=location, now=now, advisories=advisories
    )
    event("plan" if plan else "input error")
    if plan is not None:
        assert plan.routes and plan.has_route_data
        assert plan.departure_country == departure


@settings(max_examples=examples(15))  # an unknown name costs ~0.2 s of suggestions
@given(query=st.text(max_size=30), country=st.none() | code)
@example(query="Moscow", country="RU")
@example(query="Tbilisi, GE", country=None)
def test_any_place_name_gives_a_place_or_an_input_error(query, country):
    try:
        place = geo.find_place(query, country=country)
    except InputError:
        return
    assert isinstance(place, Place) and place.lat is not None


@settings(max_examples=examples(200))
@given(fields=traveler_fields())
def test_make_traveler_raises_only_input_error(fields):
    try:
        make_traveler(**fields)
    except PlannerError as exc:
        assert isinstance(exc, InputError), exc


@settings(max_examples=examples(300))
@given(
    passports=st.lists(code, max_size=3),
    destination=code,
    on=st.dates(dt.date(1900, 1, 1), dt.date(2100, 12, 31)),
    kind=st.sampled_from(["land", "air", "sea", "rail", "", "teleport"]),
    visas=st.lists(code, max_size=2),
    departure=st.none() | code,
)
def test_entry_answers_any_codes_and_dates(passports, destination, on, kind, visas, departure):
    """best_entry: an Entry whose requirement is ranked, or InputError for a bad code."""
    try:
        answer = entry.best_entry(
            tuple(passports), destination, on, kind=kind, visas=tuple(visas), departure=departure
        )
    except InputError:
        return
    assert answer.requirement in entry.REQUIREMENT_RANK
    assert answer.source_url.startswith("https://")


# Non-ASCII letters whose upper case is ASCII: "ß" -> "SS" (South Sudan), "ﬁ" -> "FI".
LOOKALIKES = ["ß", "ﬁ", "ıe", "ſe", "ﬆ", "ﬀ"]
text_codes = st.one_of(st.sampled_from(LOOKALIKES), st.text(min_size=1, max_size=3))


def _is_code(text: str) -> bool:
    return len(text.strip()) == 2 and text.strip().isascii() and text.strip().isalpha()


@settings(max_examples=examples(200))
@given(text=text_codes)
@example(text="ß")
def test_traveler_codes_are_two_ascii_letters(text):
    """A typed "ß" was taken for South Sudan ("ß".upper() == "SS"), "ﬁ" for Finland."""
    for field in ("citizenships", "passports", "visas"):
        fields = {"citizenships": ("RU",), field: (text,)}
        try:
            make_traveler(**fields)
        except InputError:
            continue
        assert _is_code(text), (field, text)


@settings(max_examples=examples(200))
@given(text=text_codes)
@example(text="ß")
def test_entry_codes_are_two_ascii_letters(text):
    try:
        entry.requirement(text, "GE", dt.date(2024, 1, 1))
    except InputError:
        return
    assert _is_code(text), text


def test_departure_code_is_two_ascii_letters():
    traveler = make_traveler(citizenships=("RU",))
    with pytest.raises(InputError):
        build_plan(traveler, dt.date(2024, 1, 1), "ß", now=dt.datetime(2024, 1, 1, tzinfo=dt.UTC))


def test_place_country_is_two_ascii_letters():
    with pytest.raises(ValueError):
        Place(name="x", country="\ufb01")


@pytest.mark.parametrize("departure", WITH_DATA)
def test_first_plan_from_each_country_is_checked(departure):
    """The properties hold on a plain plan too, so a vacuous generator cannot hide a bug."""
    fields = {"citizenships": (departure,), "sex": "male", "age": 30}
    # 15 Jan 2024, or the first day of the country's data if it begins later (Lebanon).
    on = max(dt.date(2024, 1, 15), get_catalog().country(departure).data_begins)
    now = dt.datetime(on.year, on.month, on.day, tzinfo=dt.UTC)
    plan = plan_or_input_error(fields, on, departure, now=now)
    assert plan is not None and plan.routes
