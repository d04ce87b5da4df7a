"""Section 1, "Your situation": the inputs, each with a stable key, validated by the core.

Every widget has a `key` (listed in README), so scripted tests and a restored plan file set
`st.session_state[key]` before a run. A bad value shows its message right under its own
field; every other value stays as it was.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

import streamlit as st

from planner.errors import PlannerError
from planner.messages import t
from planner.models import MILITARY_STATUSES, Place, Traveler
from planner.plan import check_country, check_date
from planner.traveler import make_traveler
from ui import resources
from ui.labels import md, sentence

# Form fields in order: (session key, default). Dates default to today at run time.
DEFAULTS: dict[str, Any] = {
    "from_country": "RU",
    "near": "",
    "online_geocode": False,
    "citizenships": [],
    "visas": [],
    "sex": None,
    "age": None,
    "military_status": "none",
    "has_car": True,
    "children": 0,
    "children_under_18": 0,
    "pets": False,
    "disability": False,
    "carer": False,
}
PASSPORT_KEY = "passport_{code}"
CIRCUMSTANCE_KEY = "circumstance_{id}"
# Traveler fields checked one by one to put an error under the right widget.
_TRAVELER_FIELDS = (
    "citizenships",
    "passports",
    "visas",
    "sex",
    "age",
    "military_status",
    "children",
    "children_under_18",
)


@dataclass
class Inputs:
    departure: str
    as_of: dt.date
    traveler: Traveler | None
    location: Place | None
    problems: list[str] = field(default_factory=list)

    @property
    def ready(self) -> bool:
        return self.traveler is not None and not self.problems


def init_state() -> None:
    """Defaults for every input, set once per session (never over a user's or test's value)."""
    for key, value in DEFAULTS.items():
        st.session_state.setdefault(key, list(value) if isinstance(value, list) else value)
    st.session_state.setdefault("as_of", dt.date.today())


def render() -> Inputs:
    init_state()
    codes = resources.departure_codes()
    with_data = set(resources.catalog().routes)
    st.header(t("app.form.title"))
    st.caption(t("app.form.intro"))
    slots: dict[str, Any] = {}
    left, middle, right = st.columns(3)
    with left:
        st.selectbox(
            t("app.form.from_country"),
            codes,
            key="from_country",
            format_func=lambda c: (
                t("app.form.country_with_data", name=resources.country_name(c))
                if c in with_data
                else resources.country_name(c)
            ),
            help=t("app.form.from_country_help"),
        )
        slots["from_country"] = st.empty()
        st.text_input(
            t("app.form.near"),
            key="near",
            placeholder=t("app.form.near_placeholder"),
            help=t("app.form.near_help"),
        )
        slots["near"] = st.empty()
        st.date_input(
            t("app.form.as_of"),
            key="as_of",
            min_value=dt.date(2000, 1, 1),
            max_value=dt.date.today() + dt.timedelta(days=400),
            format="YYYY-MM-DD",
            help=t("app.form.as_of_help"),
        )
        slots["as_of"] = st.empty()
    with middle:
        st.multiselect(
            t("app.form.citizenships"),
            list(resources.country_names()),
            key="citizenships",
            format_func=resources.country_name,
            placeholder=t("app.form.choose_countries"),
            help=t("app.form.citizenships_help"),
        )
        slots["citizenships"] = st.empty()
        passports = _passport_boxes(st.session_state["citizenships"])
        slots["passports"] = st.empty()
        st.radio(
            t("app.form.sex"),
            ["male", "female"],
            key="sex",
            horizontal=True,
            format_func=lambda s: t(f"app.sex.{s}"),
            help=t("app.form.sex_help"),
        )
        slots["sex"] = st.empty()
        st.number_input(
            t("app.form.age"), key="age", step=1, format="%d", placeholder=t("app.form.age_ph")
        )
        slots["age"] = st.empty()
    with right:
        st.selectbox(
            t("app.form.military_status"),
            list(MILITARY_STATUSES),
            key="military_status",
            format_func=lambda s: t(f"app.military.{s}"),
            help=t("app.form.military_help"),
        )
        slots["military_status"] = st.empty()
        st.checkbox(t("app.form.has_car"), key="has_car")
        st.number_input(t("app.form.children"), key="children", step=1, format="%d")
        slots["children"] = st.empty()
    with st.expander(t("app.form.more")):
        a, b = st.columns(2)
        with a:
            st.multiselect(
                t("app.form.visas"),
                list(resources.country_names()),
                key="visas",
                format_func=resources.country_name,
                placeholder=t("app.form.choose_countries"),
                help=t("app.form.visas_help"),
            )
            slots["visas"] = st.empty()
            st.number_input(
                t("app.form.children_under_18"),
                key="children_under_18",
                step=1,
                format="%d",
                help=t("app.form.children_under_18_help"),
            )
            slots["children_under_18"] = st.empty()
        with b:
            st.checkbox(t("app.form.pets"), key="pets")
            st.checkbox(t("app.form.disability"), key="disability")
            st.checkbox(t("app.form.carer"), key="carer")
            _circumstance_boxes(st.session_state["from_country"])
            st.checkbox(
                t("app.form.online_geocode"),
                key="online_geocode",
                help=t("app.form.online_geocode_help"),
            )
    return _validate(slots, passports)


def _circumstance_boxes(departure: str) -> None:
    """The circumstances the departure country's rules ask about, declared in its data."""
    country = resources.catalog().country(departure)
    for item in country.circumstances if country else ():
        st.checkbox(item.label, key=CIRCUMSTANCE_KEY.format(id=item.id))


def _ticked_circumstances(departure: str) -> tuple[str, ...]:
    country = resources.catalog().country(departure)
    items = country.circumstances if country else ()
    key = CIRCUMSTANCE_KEY.format
    return tuple(c.id for c in items if st.session_state.get(key(id=c.id)))


def _passport_boxes(citizenships: list[str]) -> tuple[str, ...]:
    """One "I have a valid passport" box per citizenship, ticked by default."""
    held = []
    for code in citizenships:
        key = PASSPORT_KEY.format(code=code)
        st.session_state.setdefault(key, True)
        if st.checkbox(t("app.form.passport_valid", country=resources.country_name(code)), key=key):
            held.append(code)
    return tuple(held)


def _validate(slots: dict[str, Any], passports: tuple[str, ...]) -> Inputs:
    state = st.session_state
    problems: list[str] = []

    def fail(key: str, message: str) -> None:
        slots[key].error(sentence(message), icon=":material/warning:")
        problems.append(key)

    departure = state["from_country"]
    try:
        departure = check_country(departure)
    except PlannerError as exc:
        fail("from_country", str(exc))
    as_of = state["as_of"] or dt.date.today()
    try:
        check_date(as_of, resources.catalog(), departure, dt.date.today())
    except PlannerError as exc:
        fail("as_of", str(exc))
    location = _locate(state["near"], departure, slots["near"], problems)
    fields = {
        "citizenships": tuple(state["citizenships"]),
        "passports": passports,
        "visas": tuple(state["visas"]),
        "sex": state["sex"],
        "age": state["age"],
        "military_status": state["military_status"],
        "has_car": bool(state["has_car"]),
        "children": state["children"] if state["children"] is not None else 0,
        "children_under_18": state["children_under_18"] or 0,
        "pets": bool(state["pets"]),
        "disability": bool(state["disability"]),
        "carer": bool(state["carer"]),
        "circumstances": _ticked_circumstances(departure),
        "near": state["near"].strip(),
    }
    if not fields["citizenships"]:
        slots["citizenships"].info(t("app.form.need_citizenship"), icon=":material/person_add:")
        return Inputs(departure, as_of, None, location, problems)
    if not passports:
        slots["passports"].warning(t("app.form.no_passport"))
    try:
        traveler = make_traveler(**fields)
    except PlannerError as exc:
        fail(_field_of(fields), str(exc))
        traveler = None
    return Inputs(departure, as_of, traveler, location, problems)


def _field_of(fields: dict[str, Any]) -> str:
    """The first field the core rejects on its own: where to show the error."""
    base = {"citizenships": fields["citizenships"] or ("US",)}
    for name in _TRAVELER_FIELDS:
        try:
            make_traveler(**{**base, name: fields[name]})
        except PlannerError:
            return name
    return "citizenships"


def _locate(near: str, departure: str, slot: Any, problems: list[str]) -> Place | None:
    """The gazetteer's place for the typed name (online only if the user opted in)."""
    near = (near or "").strip()
    if not near:
        slot.caption(t("app.form.near_empty"))
        return None
    try:
        place = resources.find_place(near, departure)
    except PlannerError as exc:
        if not st.session_state["online_geocode"]:
            slot.error(sentence(str(exc)), icon=":material/warning:")
            problems.append("near")
            return None
        try:
            with st.spinner(t("app.form.geocoding")):
                place = resources.geocode_online(near)
        except PlannerError as online_exc:
            slot.error(sentence(f"{exc}. {sentence(str(online_exc))}"), icon=":material/warning:")
            problems.append("near")
            return None
    shown = place.name + (f" ({place.local_name})" if place.local_name else "")
    where = resources.country_name(place.country) if place.country else ""
    slot.caption(t("app.form.near_found", place=md(shown), country=md(where)))
    if place.country and place.country != departure:
        slot.warning(
            t(
                "app.form.near_other_country",
                country=resources.country_name(place.country),
                departure=resources.country_name(departure),
            )
        )
    return place
