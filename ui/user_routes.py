"""Adding a route the user heard about: the core makes it a `UserRoute`
(planner/user_routes.py), which build_plan plans like the others (distance, entry passport)
and every view marks "added by you"; without a source link it is marked "no source given"
and graded unverified. It is never more than a report: ranked after the curated routes
unless the person ticks "rank my routes with the others".
"""

from __future__ import annotations

import datetime as dt

import streamlit as st
from pydantic import ValidationError

from planner.errors import InputError, PlannerError
from planner.messages import t
from planner.models import MAX_NAME, Place
from planner.user_routes import make_user_route
from ui import resources
from ui.labels import KINDS, esc, label, say
from ui.planning import RANK_USER_ROUTES, user_routes

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


def _place() -> Place:
    state = st.session_state
    lat, lon = state.get("new_route_lat"), state.get("new_route_lon")
    query = (state.get("new_route_place") or "").strip()
    if lat is not None and lon is not None:
        try:
            return Place(name=query[:MAX_NAME] or f"{lat:.4f}, {lon:.4f}", lat=lat, lon=lon)
        except ValidationError:
            raise InputError(t("app.add.bad_latlon")) from None
    if not query:
        raise InputError(t("app.add.need_place"))
    return resources.find_place(query, state.get("from_country") or "")


def _submit() -> None:
    """Form callback: add the route, or keep every field and say what is wrong."""
    state = st.session_state
    routes = user_routes()
    try:
        route = make_user_route(
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
    if routes:
        st.checkbox(t("app.add.rank"), key=RANK_USER_ROUTES, help=t("app.add.rank_help"))
    for route in routes:
        left, right = st.columns([4, 1])
        words = [t("pdf.route.added_by_user")]
        words += [] if route.source_url else [t("pdf.route.unsourced")]
        left.markdown(
            f"**{esc(route.name)}** · {esc(label('app.kind', route.kind))} → "
            f"{esc(resources.country_name(route.to_country))} · {esc(', '.join(words))}"
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
        st.error(esc(st.session_state[ERROR]), icon=":material/warning:")
    elif st.session_state.get(ADDED):
        st.success(say("app.add.added", name=st.session_state.pop(ADDED)))
