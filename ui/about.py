"""The "about" box: where the data comes from, how old it is, and what stays on this machine."""

from __future__ import annotations

import streamlit as st

from planner.messages import format_date, t
from planner.models import Plan
from ui.labels import say

OPEN = "about_open"


def render(plan: Plan | None) -> None:
    # Built only while open: closed, the box costs a rerun nothing.
    box = st.expander(t("app.about.title"), key=OPEN, on_change="rerun")
    if not box.open:
        return
    with box:
        paragraphs = [t("app.about.privacy"), t("app.about.not_authority"), t("app.about.data")]
        if plan is not None:
            paragraphs.append(say("pdf.method", text=plan.method))
        st.markdown("\n\n".join(paragraphs))
        dated = [s.as_of for s in plan.sources if s.as_of] if plan is not None else []
        if plan is not None and dated:
            st.caption(
                say(
                    "app.about.ages",
                    n=len(plan.sources),
                    oldest=format_date(min(dated)),
                    newest=format_date(max(dated)),
                )
            )
