"""The "about" box: where the data comes from, how old it is, and what stays on this machine."""

from __future__ import annotations

import streamlit as st

from planner.messages import format_date, t
from planner.models import Plan
from ui.labels import md


def render(plan: Plan | None) -> None:
    with st.expander(t("app.about.title")):
        st.markdown(t("app.about.privacy"))
        st.markdown(t("app.about.not_authority"))
        st.markdown(t("app.about.data"))
        if plan is not None:
            st.markdown(md(t("pdf.method", text=plan.method)))
            dated = [s.as_of for s in plan.sources if s.as_of]
            if dated:
                st.caption(
                    t(
                        "app.about.ages",
                        n=len(plan.sources),
                        oldest=format_date(min(dated)),
                        newest=format_date(max(dated)),
                    )
                )
