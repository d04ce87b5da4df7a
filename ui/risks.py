"""Section 4, "Risks for you": the core's risk notes, most severe first, each sourced and dated."""

from __future__ import annotations

import streamlit as st

from planner.messages import t
from planner.models import Plan
from ui.labels import md, source_link
from ui.replay import replay

SEVERITY_ORDER = {"high": 0, "medium": 1, "low": 2}
# An explicit (empty) icon: without one, Streamlit looks for a leading emoji in any non-ASCII
# text, and its first look loads an emoji catalog (~80 ms at the first run).
NO_ICON = ""
SEVERITY_BOX = {"high": st.error, "medium": st.warning, "low": st.info}


def render(plan: Plan) -> None:
    """The section, drawn once per set of notes and contacts, replayed after that."""
    key = plan.model_dump_json(include={"risks", "contacts"})
    replay("risks", key, lambda: _draw(plan))


def _draw(plan: Plan) -> None:
    st.header(t("app.risks.title"))
    if not plan.risks:
        st.success(t("pdf.risks.none"), icon=NO_ICON)
    for note in sorted(plan.risks, key=lambda n: SEVERITY_ORDER[n.severity]):
        link = source_link(
            note.source_url, note.as_of, stale=note.stale, confidence=note.confidence
        )
        SEVERITY_BOX[note.severity](
            f"**{md(t(f'pdf.severity.{note.severity}'))} · {md(note.title)}**  \n"
            f"{md(note.text)}  \n{link}",
            icon=NO_ICON,
        )
    render_contacts(plan)


def render_contacts(plan: Plan) -> None:
    """Embassies and emergency numbers: who to call, and the limits of their help."""
    if not plan.contacts:
        return
    with st.expander(t("pdf.contacts.title"), expanded=False):
        for contact in plan.contacts:
            lines = [f"**{md(contact.label)}**"]
            if contact.phone:
                lines.append(md(t("pdf.contacts.phone", phone=contact.phone)))
            if contact.email:
                lines.append(md(t("pdf.contacts.email", value=contact.email)))
            if contact.url:
                lines.append(f"[{md(contact.url)}]({contact.url})")
            if contact.address:
                lines.append(md(t("pdf.contacts.address", value=contact.address)))
            for note in contact.notes:
                lines.append(f"{md(note.text)} ({source_link(note.source_url, note.as_of)})")
            lines.append(source_link(contact.source_url, contact.as_of))
            st.markdown("  \n".join(lines))
