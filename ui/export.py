"""Section 6, "Save or print": the PDF (optionally without personal details), the plan file,
and restoring everything (inputs, ticks, added and starred routes) from a plan file.

A plan file may be a stranger's: the core checks it whole (planner/export/planfile.py)
before anything is applied, and only inputs are taken from it; the page then plans them
like typed answers. A bad file shows one sentence and changes nothing: the restore runs in
the uploader's callback, before any widget of the next run exists, and writes state only
once the whole file has been checked.
"""

from __future__ import annotations

import streamlit as st

from planner.errors import PlannerError
from planner.messages import t
from planner.models import Plan, UserRoute
from ui import changes, checklist, profile, resources, routes
from ui.labels import esc, say
from ui.planning import RANK_USER_ROUTES, USER_ROUTES, rank_user_routes, user_routes

UPLOAD = "upload_planfile"
RESTORE_ERROR = "restore_error"
RESTORED = "restored"


def _file_stem(plan: Plan) -> str:
    return f"departure-plan-{plan.departure_country}-{plan.as_of.isoformat()}"


def render(plan: Plan) -> None:
    st.header(say("app.export.title"))
    # Read at download time: ticks and stars change these sets in place, in fragments.
    live = checklist.live_ticks()
    stars = routes.live_stars()
    left, right = st.columns(2)
    with left:
        st.checkbox(
            t("app.export.anonymous"), key="pdf_anonymous", help=t("app.export.anonymous_help")
        )
        st.radio(
            t("app.export.paper"),
            ["a4", "letter"],
            key="pdf_paper",
            horizontal=True,
            format_func=lambda p: t(f"app.export.paper.{p}"),
        )
        personal = not st.session_state.get("pdf_anonymous", False)
        paper = st.session_state.get("pdf_paper") or "a4"

        def pdf() -> bytes:
            from planner.export.pdf import render_pdf  # fpdf takes a second to import

            return render_pdf(
                plan,
                paper=paper,
                personal=personal,
                ticked=frozenset(live),
                starred=frozenset(stars),
            )

        st.download_button(
            t("app.export.pdf"),
            data=pdf,
            file_name=f"{_file_stem(plan)}.pdf",
            mime="application/pdf",
            key="download_pdf",
            on_click="ignore",
            type="primary",
            icon=":material/picture_as_pdf:",
        )
    with right:
        own = list(user_routes())
        ranked = rank_user_routes()
        st.download_button(
            t("app.export.planfile"),
            data=lambda: _planfile(plan, frozenset(live), own, ranked, frozenset(stars)),
            file_name=f"{_file_stem(plan)}.json",
            mime="application/json",
            key="download_planfile",
            on_click="ignore",
            icon=":material/save:",
            help=t("app.export.planfile_help"),
        )
    render_restore()


def _planfile(
    plan: Plan,
    ticked: frozenset[str],
    own: list[UserRoute],
    ranked: bool,
    starred: frozenset[str],
) -> bytes:
    from planner.export.planfile import dump_planfile  # on download only

    return dump_planfile(
        plan, ticked=ticked, user_routes=own, rank_user_routes=ranked, starred=starred
    )


def render_restore() -> None:
    st.file_uploader(
        t("app.export.upload"),
        type=["json"],
        key=UPLOAD,
        on_change=_restore,
        help=t("app.export.upload_help"),
    )
    if st.session_state.get(RESTORE_ERROR):
        st.error(esc(st.session_state[RESTORE_ERROR]), icon=":material/warning:")
    elif st.session_state.get(RESTORED):
        st.success(esc(st.session_state[RESTORED]))


def _restore() -> None:
    upload = st.session_state.get(UPLOAD)
    if upload is None:
        return
    from planner.export.planfile import load_planfile

    try:
        loaded = load_planfile(upload.getvalue(), resources.catalog())
    except PlannerError as exc:
        st.session_state[RESTORE_ERROR] = str(exc)
        st.session_state[RESTORED] = ""
        return
    apply_planfile(loaded)
    inputs = loaded.inputs
    message = t(
        "app.export.restored",
        country=resources.country_name(inputs.departure),
        date=inputs.as_of.isoformat(),
    )
    if loaded.dropped_ticks:
        message += " " + t("app.export.dropped_ticks", n=loaded.dropped_ticks)
    if loaded.dropped_stars:
        message += " " + t("app.export.dropped_stars", n=loaded.dropped_stars)
    st.session_state[RESTORE_ERROR] = ""
    st.session_state[RESTORED] = message


def apply_planfile(loaded) -> None:
    """Every input, tick, added and starred route of a loaded, checked plan file, into
    session state."""
    state = st.session_state
    inputs = loaded.inputs
    traveler = inputs.traveler
    state["from_country"] = inputs.departure
    state["as_of"] = inputs.as_of
    state["near"] = traveler.near or (inputs.location.name if inputs.location else "")
    state["citizenships"] = list(traveler.citizenships)
    for code in traveler.citizenships:
        state[profile.PASSPORT_KEY.format(code=code)] = code in traveler.valid_passports
    state["visas"] = list(traveler.visas)
    state["residences"] = list(traveler.residences)
    state["family_of"] = list(traveler.family_of)
    state["sex"] = traveler.sex
    state["age"] = traveler.age
    state["military_status"] = traveler.military_status
    state["has_car"] = traveler.has_car
    state["children"] = traveler.children
    state["children_under_18"] = traveler.children_under_18
    state["pets"] = traveler.pets
    state["disability"] = traveler.disability
    state["carer"] = traveler.carer
    for key in [k for k in state if str(k).startswith(profile.CIRCUMSTANCE_KEY.format(id=""))]:
        state[key] = False
    for item in traveler.circumstances:
        state[profile.CIRCUMSTANCE_KEY.format(id=item)] = True
    state[USER_ROUTES] = list(loaded.user_routes)
    state[RANK_USER_ROUTES] = inputs.rank_user_routes
    checklist.set_ticked(frozenset(loaded.ticked))
    routes.set_starred(loaded.starred)
    # "What changed" counts from the day the file was saved; the picker takes it as its default.
    state[changes.SAVED] = loaded.saved.date() if loaded.saved is not None else None
    state.pop(changes.SINCE, None)
