"""The page: set-up and the order of its sections, nothing else.

Each section lives in its own `ui/` module; the plan comes from `planner.plan.build_plan`,
exactly as the CLI makes it. `app.py` only calls `run()`: Streamlit's test harness compiles
the script file on every run, so the code lives here, compiled once.
"""

from __future__ import annotations

import logging

import streamlit as st

from planner.errors import PlannerError
from planner.messages import t
from ui import (
    about,
    advisories,
    alerts,
    changes,
    checklist,
    export,
    planning,
    profile,
    resources,
    risks,
    routes,
)
from ui.labels import CSS, esc, sentence


def main() -> None:
    # An emoji icon is drawn in the browser; a :material/...: one is fetched from Google.
    st.set_page_config(page_title=t("app.title"), page_icon="🧭", layout="wide")
    st.title(t("app.title"))
    st.caption(CSS + t("app.tagline"), unsafe_allow_html=True)  # one element for both
    inputs = profile.render()
    report = advisories.get_report(inputs.departure)
    plan = None
    if inputs.ready:
        try:
            plan = planning.current_plan(inputs, report.plan_kwargs(), advisories.report_key())
        except PlannerError as exc:
            st.error(esc(sentence(str(exc))), icon=":material/warning:")
    elif not inputs.problems and inputs.traveler is None:
        st.info(t("app.start"), icon=":material/arrow_upward:")
    if plan is not None:
        routes.summary(plan)
        alerts.render(plan)
        changes.render(plan)
    advisories.render(
        report,
        resources.country_name(inputs.departure),
        inputs.as_of,
        plan.notices if plan is not None else (),
    )
    if plan is None:
        export.render_restore()
        about.render(None)
        return
    routes.section(plan)
    risks.render(plan)
    checklist.render(plan)
    export.render(plan)
    about.render(plan)


def run() -> None:
    """One run of the page."""
    try:
        main()
    except Exception:
        # Last resort: a bug must not show a traceback to a frightened person. st.stop() and
        # st.rerun() raise BaseException subclasses, so they pass through.
        logging.getLogger("departure_planner").exception("the page failed")
        st.error(t("app.crash"), icon=":material/error:")
    resources.freeze_loaded()
