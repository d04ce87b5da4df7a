"""Adding a route the user heard about: it becomes a `Route` with `added_by_user=True` that
build_plan plans like the others (distance, entry passport) and the page marks "added by you".

Without a source link the route is recorded as unverified; it is never more than a report.
"""

from __future__ import annotations

import datetime as dt
import re

import streamlit as st
from pydantic import ValidationError

from planner.errors import PlannerError
from planner.messages import t
from planner.models import ModeRecord, Note, Place, Route
from ui import resources
from ui.labels import KINDS, label, md
from ui.planning import user_routes

# Means of crossing a route of each kind allows, when the user cannot say more.
KIND_MODES = {
    "land": ("car", "bus", "foot"),
    "air": ("plane",),
    "sea": ("ship",),
    "rail": ("train",),
}
FIELDS = (
    "new_route_name",
    "new_route_kind",
    "new_route_to",
    "new_route_place",
    "new_route_lat",
    "new_route_lon",
    "new_route_note",
    "new_route_url",
)
ERROR = "new_route_error"
ADDED = "new_route_added"
OPEN = "add_route_open"  # the expander holding the form: built only while open


def _osm_link(lat: float, lon: float) -> str:
    """Where the point is, for a route with no source of its own."""
    return (
        f"https://www.openstreetmap.org/?mlat={lat:.5f}&mlon={lon:.5f}#map=10/{lat:.4f}/{lon:.4f}"
    )


def make_route(
    *,
    name: str,
    kind: str,
    to_country: str,
    place: Place,
    note: str,
    url: str,
    on: dt.date,
    taken: set[str],
) -> Route:
    """The user's report as a Route; InputError (one sentence) when something is missing."""
    name = " ".join(name.split())
    if not name:
        raise _input_error(t("app.add.need_name"))
    if not to_country:
        raise _input_error(t("app.add.need_country"))
    url = url.strip()
    if url and not url.startswith(("https://", "http://")):
        raise _input_error(t("app.add.bad_url"))
    assert place.lat is not None and place.lon is not None
    source = url or _osm_link(place.lat, place.lon)
    confidence = "medium" if url else "unverified"
    slug = re.sub(r"[^a-z0-9]+", "-", name.casefold()).strip("-")[:40] or "route"
    route_id, n = f"user-{slug}", 2
    while route_id in taken:
        route_id, n = f"user-{slug}-{n}", n + 1
    # The core labels an unverified note itself ("[unverified] ..."): no second label here.
    text = note.strip() or t("app.add.default_note" if url else "app.add.no_source")
    try:
        return Route(
            id=route_id,
            kind=kind,
            name=name,
            departure=place,
            to_country=to_country,
            modes=(
                ModeRecord(
                    date=on, modes=KIND_MODES[kind], source_url=source, confidence=confidence
                ),
            ),
            notes=(Note(text=text, as_of=on, source_url=source, confidence=confidence),),
            added_by_user=True,
        )
    except ValidationError as exc:
        err = exc.errors()[0]
        raise _input_error(err["msg"].removeprefix("Value error, ")) from None


def _input_error(message: str) -> PlannerError:
    from planner.errors import InputError

    return InputError(message)


def _place() -> Place:
    state = st.session_state
    lat, lon = state.get("new_route_lat"), state.get("new_route_lon")
    query = (state.get("new_route_place") or "").strip()
    if lat is not None and lon is not None:
        try:
            return Place(name=query or f"{lat:.4f}, {lon:.4f}", lat=lat, lon=lon)
        except ValidationError:
            raise _input_error(t("app.add.bad_latlon")) from None
    if not query:
        raise _input_error(t("app.add.need_place"))
    return resources.find_place(query, state.get("from_country") or "")


def _submit() -> None:
    """Form callback: add the route, or keep every field and say what is wrong."""
    state = st.session_state
    routes = user_routes()
    try:
        route = make_route(
            name=state.get("new_route_name") or "",
            kind=state.get("new_route_kind") or "land",
            to_country=state.get("new_route_to") or "",
            place=_place(),
            note=state.get("new_route_note") or "",
            url=state.get("new_route_url") or "",
            on=state.get("as_of") or dt.date.today(),
            taken={r.id for r in routes},
        )
    except PlannerError as exc:
        state[ERROR] = str(exc)
        return
    state[ERROR] = ""
    state[ADDED] = route.name
    state["user_routes"] = [*routes, route]
    for key in FIELDS:
        state.pop(key, None)


def _remove(route_id: str) -> None:
    st.session_state["user_routes"] = [r for r in user_routes() if r.id != route_id]


def render() -> None:
    routes = user_routes()
    # The form's ten widgets are built only while the box is open: closed, it costs a rerun
    # nothing. A form sends its fields only on submit, so closing it loses no added route.
    box = st.expander(t("app.add.title"), key=OPEN, on_change="rerun")
    if box.open:
        with box:
            _form()
    for route in routes:
        left, right = st.columns([4, 1])
        left.markdown(
            f"**{md(route.name)}** · {md(label('app.kind', route.kind))} → "
            f"{md(resources.country_name(route.to_country))} · {md(t('pdf.route.added_by_user'))}"
        )
        right.button(
            t("app.add.remove"),
            key=f"remove_route_{route.id}",
            on_click=_remove,
            args=(route.id,),
        )


def _form() -> None:
    st.caption(t("app.add.intro"))
    with st.form("add_route_form", clear_on_submit=False, border=False):
        st.text_input(t("app.add.name"), key="new_route_name")
        a, b = st.columns(2)
        a.selectbox(
            t("app.add.kind"),
            list(KINDS),
            key="new_route_kind",
            format_func=lambda k: label("app.kind", k),
        )
        b.selectbox(
            t("app.add.to"),
            list(resources.country_names()),
            key="new_route_to",
            index=None,
            format_func=resources.country_name,
            placeholder=t("app.form.choose_country"),
        )
        st.text_input(t("app.add.place"), key="new_route_place", help=t("app.add.place_help"))
        c, d = st.columns(2)
        c.number_input(t("app.add.lat"), key="new_route_lat", value=None, format="%.5f")
        d.number_input(t("app.add.lon"), key="new_route_lon", value=None, format="%.5f")
        st.text_area(t("app.add.note"), key="new_route_note", height=70)
        st.text_input(
            t("app.add.url"),
            key="new_route_url",
            placeholder="https://",
            help=t("app.add.url_help"),
        )
        st.form_submit_button(t("app.add.submit"), key="add_route", on_click=_submit)
    if st.session_state.get(ERROR):
        st.error(st.session_state[ERROR], icon=":material/warning:")
    elif st.session_state.get(ADDED):
        st.success(t("app.add.added", name=st.session_state.pop(ADDED)))
