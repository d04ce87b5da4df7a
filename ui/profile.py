"""Section 1, "Your situation": the inputs, each with a stable key, validated by the core.

Every widget has a `key` (listed in README), so scripted tests and a restored plan file set
`st.session_state[key]` before a run. A bad value shows its message right under its own
field; every other value stays as it was.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import streamlit as st

from planner.errors import PlannerError
from planner.messages import t
from planner.models import MILITARY_STATUSES, Place, Traveler
from planner.plan import check_country, check_date
from planner.traveler import make_traveler
from ui import resources
from ui.labels import esc, say, sentence

# Form fields in order: (session key, default). Dates default to today at run time.
DEFAULTS: dict[str, Any] = {
    "from_country": "RU",
    "near": "",
    "online_geocode": False,
    "citizenships": [],
    "visas": [],
    "residences": [],
    "family_of": [],
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
# The optional inputs (and CIRCUMSTANCE_KEY's), in a box built only while it is open.
MORE_KEYS = (
    "visas",
    "residences",
    "family_of",
    "children_under_18",
    "pets",
    "disability",
    "carer",
    "online_geocode",
)
MORE_OPEN = "more_open"
# A message under an input: (kind, text), kind one of error, need, warning, caption.
Note = tuple[str, str]
# Traveler fields checked one by one to put an error under the right widget.
_TRAVELER_FIELDS = (
    "citizenships",
    "passports",
    "visas",
    "residences",
    "family_of",
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
    """Defaults for every input, set once per session (never over a user's or test's value).

    The optional inputs' widgets exist only while their box is open, and Streamlit drops a
    widget's value with the widget: while the box is closed, writing each value back as the
    session's own keeps it."""
    state = st.session_state
    for key, value in DEFAULTS.items():
        state.setdefault(key, list(value) if isinstance(value, list) else value)
    state.setdefault("as_of", dt.date.today())
    _sane(state)
    if not state.get(MORE_OPEN):
        for key in (*MORE_KEYS, *_circumstance_keys(state["from_country"])):
            if key in state:
                state[key] = state[key]


DATE_MIN = dt.date(2000, 1, 1)
DATE_AHEAD = dt.timedelta(days=400)
# Every yes/no widget of the page, by key or key prefix (a box, a toggle, an open box).
_FLAGS = (
    "online_geocode",
    "has_car",
    "pets",
    "disability",
    "carer",
    "hide_blocked",
    "pdf_anonymous",
    "live_advisories",
    "rank_user_routes",
    "more_open",
    "add_route_open",
    "about_open",
)
_FLAG_PREFIXES = ("tick_", "star_", "passport_", "circumstance_")
_KEPT_SETS = ("ticked", "starred")  # ids the checklist and the route cards keep, changed in place
_COUNTS = ("age", "children", "children_under_18")


def _sane(state: Any) -> None:
    """Values a widget could not show are put back to their defaults before any widget is
    drawn. A script or a restored file may set anything, and a widget given a value outside
    its options raises: the page would then fail on every rerun until reloaded, losing every
    answer. (Plan files are checked before they are applied; this is the last guard.)"""
    if state.get("from_country") not in resources.departure_labels():
        state["from_country"] = DEFAULTS["from_country"]
    for key, codes in (
        ("citizenships", resources.citizenship_codes()),
        ("visas", resources.country_names()),
        ("residences", resources.citizenship_codes()),
        ("family_of", resources.citizenship_codes()),
    ):
        value = state.get(key)
        items = value if isinstance(value, list | tuple) else []
        kept = list(dict.fromkeys(c for c in items if isinstance(c, str) and c in codes))
        if value != kept:
            state[key] = kept
    if state.get("sex") not in (None, "male", "female"):
        state["sex"] = None
    if state.get("military_status") not in MILITARY_STATUSES:
        state["military_status"] = DEFAULTS["military_status"]
    as_of = state.get("as_of")
    if (
        not isinstance(as_of, dt.date)
        or isinstance(as_of, dt.datetime)
        or not DATE_MIN <= as_of <= dt.date.today() + DATE_AHEAD
    ):
        state["as_of"] = dt.date.today()
    for key in _COUNTS:
        value = state.get(key)
        if value is not None and (isinstance(value, bool) or not isinstance(value, int)):
            state[key] = DEFAULTS[key]
    flags = [k for k in state if isinstance(k, str) and k.startswith(_FLAG_PREFIXES)]
    for key in (*_FLAGS, *flags):
        if key in state and not isinstance(state[key], bool):
            state[key] = bool(DEFAULTS.get(key, False))
    if not isinstance(state.get("near"), str):
        state["near"] = ""
    for key in _KEPT_SETS:
        value = state.get(key)
        if value is not None and not (
            isinstance(value, set) and all(isinstance(i, str) for i in value)
        ):
            state[key] = set()


def render() -> Inputs:
    """The form, with each input's message right under it.

    Every input has a key, so its value is in session state before its widget is drawn: the
    inputs are checked first and each message is drawn straight after its widget (no
    placeholder elements to fill afterwards)."""
    init_state()
    notes: dict[str, list[Note]] = {}
    inputs = _validate(notes)
    labels = resources.departure_labels()
    st.header(t("app.form.title"))
    st.caption(t("app.form.intro"))
    left, middle, right = st.columns(3)
    with left:
        state = st.session_state
        st.selectbox(
            t("app.form.from_country"),
            tuple(labels),
            index=tuple(labels).index(state["from_country"]),
            key="from_country",
            format_func=labels.__getitem__,
            help=t("app.form.from_country_help"),
        )
        _show(notes, "from_country")
        st.text_input(
            t("app.form.near"),
            key="near",
            placeholder=t("app.form.near_placeholder"),
            help=t("app.form.near_help"),
        )
        _show(notes, "near")
        st.date_input(
            t("app.form.as_of"),
            value=state["as_of"],
            key="as_of",
            min_value=DATE_MIN,
            max_value=dt.date.today() + DATE_AHEAD,
            format="YYYY-MM-DD",
            help=t("app.form.as_of_help"),
        )
        _show(notes, "as_of")
    with middle:
        _countries("citizenships")
        _show(notes, "citizenships")
        _passport_boxes(st.session_state["citizenships"])
        _show(notes, "passports")
        st.radio(
            t("app.form.sex"),
            ["male", "female"],
            index=["male", "female"].index(state["sex"]) if state["sex"] else None,
            key="sex",
            horizontal=True,
            format_func=lambda s: t(f"app.sex.{s}"),
            help=t("app.form.sex_help"),
        )
        _show(notes, "sex")
        st.number_input(
            t("app.form.age"),
            value=state["age"],
            key="age",
            step=1,
            format="%d",
            placeholder=t("app.form.age_ph"),
        )
        _show(notes, "age")
    with right:
        st.selectbox(
            t("app.form.military_status"),
            list(MILITARY_STATUSES),
            index=list(MILITARY_STATUSES).index(state["military_status"]),
            key="military_status",
            format_func=lambda s: t(f"app.military.{s}"),
            help=t("app.form.military_help"),
        )
        _show(notes, "military_status")
        st.checkbox(t("app.form.has_car"), value=state["has_car"], key="has_car")
        st.number_input(
            t("app.form.children"), value=state["children"], key="children", step=1, format="%d"
        )
        _show(notes, "children")
    if any(key in notes for key in MORE_KEYS):
        st.session_state[MORE_OPEN] = True  # a message there must be seen
    more = st.expander(t("app.form.more"), key=MORE_OPEN, on_change="rerun")
    if more.open:
        with more:
            _more(notes)
    return inputs


def _countries(key: str) -> None:
    """A list of countries to choose from, by name: the states that issue passports for
    citizenships, permanent residence and a family member's citizenship; all for visas held."""
    codes = resources.country_names() if key == "visas" else resources.citizenship_codes()
    st.multiselect(
        t(f"app.form.{key}"),
        list(codes),
        default=st.session_state[key],
        key=key,
        format_func=resources.country_name,
        placeholder=t("app.form.choose_countries"),
        help=t(f"app.form.{key}_help"),
    )


def _more(notes: dict[str, list[Note]]) -> None:
    """The optional inputs: built only while their box is open (their values are kept in
    session state meanwhile, see `init_state`), so a closed box costs a rerun nothing."""
    a, b = st.columns(2)
    with a:
        _countries("visas")
        _show(notes, "visas")
        _countries("residences")
        _show(notes, "residences")
        _countries("family_of")
        _show(notes, "family_of")
        st.number_input(
            t("app.form.children_under_18"),
            key="children_under_18",
            step=1,
            format="%d",
            help=t("app.form.children_under_18_help"),
        )
        _show(notes, "children_under_18")
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


def _show(notes: dict[str, list[Note]], key: str) -> None:
    """The messages about one input, under its widget; each is plain text (an error may quote
    what was typed), escaped here."""
    for kind, plain in notes.get(key, ()):
        text = esc(plain)
        if kind == "error":
            st.error(text, icon=":material/warning:")
        elif kind == "need":
            st.info(text, icon=":material/person_add:")
        elif kind == "warning":
            st.warning(text)
        else:
            st.caption(text)


def _circumstance_keys(departure: str) -> list[str]:
    country = resources.catalog().country(departure)
    return [CIRCUMSTANCE_KEY.format(id=c.id) for c in (country.circumstances if country else ())]


def _circumstance_boxes(departure: str) -> None:
    """The circumstances the departure country's rules ask about, declared in its data."""
    country = resources.catalog().country(departure)
    for item in country.circumstances if country else ():
        st.checkbox(esc(item.label), key=CIRCUMSTANCE_KEY.format(id=item.id))


def _ticked_circumstances(departure: str) -> tuple[str, ...]:
    country = resources.catalog().country(departure)
    items = country.circumstances if country else ()
    key = CIRCUMSTANCE_KEY.format
    return tuple(c.id for c in items if st.session_state.get(key(id=c.id)))


def _passports(citizenships: list[str]) -> tuple[str, ...]:
    """The citizenships whose "I have a valid passport" box is ticked (ticked by default)."""
    state = st.session_state
    return tuple(c for c in citizenships if state.setdefault(PASSPORT_KEY.format(code=c), True))


def _passport_boxes(citizenships: list[str]) -> None:
    """One "I have a valid passport" box per citizenship."""
    for code in citizenships:
        key = PASSPORT_KEY.format(code=code)
        label = say("app.form.passport_valid", country=resources.country_name(code))
        st.checkbox(label, value=st.session_state[key], key=key)


def _validate(notes: dict[str, list[Note]]) -> Inputs:
    """The inputs from session state, each problem noted under the key of its input."""
    state = st.session_state
    problems: list[str] = []
    passports = _passports(state["citizenships"])

    def note(key: str, kind: str, text: str) -> None:
        notes.setdefault(key, []).append((kind, text))

    def fail(key: str, message: str) -> None:
        note(key, "error", sentence(message))
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
    location = _locate(state["near"], departure, functools.partial(note, "near"), problems)
    fields = {
        "citizenships": tuple(state["citizenships"]),
        "passports": passports,
        "visas": tuple(state["visas"]),
        "residences": tuple(state["residences"]),
        "family_of": tuple(state["family_of"]),
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
        note("citizenships", "need", t("app.form.need_citizenship"))
        return Inputs(departure, as_of, None, location, problems)
    if not passports:
        note("passports", "warning", t("app.form.no_passport"))
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


def _locate(
    near: str, departure: str, note: Callable[[str, str], None], problems: list[str]
) -> Place | None:
    """The gazetteer's place for the typed name (online only if the user opted in)."""
    near = (near or "").strip()
    if not near:
        note("caption", t("app.form.near_empty"))
        return None
    part_note = ""
    try:
        match = resources.locate(near, departure)
        place, part_note = match.place, match.note()
    except PlannerError as exc:
        if not st.session_state["online_geocode"]:
            note("error", sentence(str(exc)))
            problems.append("near")
            return None
        try:
            with st.spinner(t("app.form.geocoding")):
                place = resources.geocode_online(near)
        except PlannerError as online_exc:
            note("error", sentence(f"{exc}. {sentence(str(online_exc))}"))
            problems.append("near")
            return None
    shown = place.name + (f" ({place.local_name})" if place.local_name else "")
    where = resources.country_name(place.country) if place.country else ""
    note("caption", t("app.form.near_found", place=shown, country=where))
    if part_note:  # "Hamra, Beirut": say that only "Beirut" was found
        note("caption", part_note)
    if place.country and place.country != departure:
        note(
            "warning",
            t(
                "app.form.near_other_country",
                country=resources.country_name(place.country),
                departure=resources.country_name(departure),
            ),
        )
    return place
