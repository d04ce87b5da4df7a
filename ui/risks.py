"""Section 4, "Risks for you": the core's risk notes, most severe first, each sourced and dated."""

from __future__ import annotations

import functools

import streamlit as st

from planner.models import Contact, Plan, RiskNote
from ui.labels import esc, link, say, source_link

SEVERITY_ORDER = {"high": 0, "medium": 1, "low": 2}


def render(plan: Plan) -> None:
    st.header(say("app.risks.title"))
    st.markdown(_notes_markdown(plan.risks), unsafe_allow_html=True)
    render_contacts(plan)


@functools.lru_cache(maxsize=32)
def _notes_markdown(risks: tuple[RiskNote, ...]) -> str:
    """Every note in one element (a rerun pays for each element about as much as for its
    text): a box each, coloured by severity (.dp-risk-* in ui.labels.CSS), the severity also
    in words. Notes are frozen, so a later plan's equal notes find their text here."""
    if not risks:
        return _box("none", f"**{say('pdf.risks.none')}**")
    return "\n\n".join(
        _box(note.severity, _note(note))
        for note in sorted(risks, key=lambda n: SEVERITY_ORDER[n.severity])
    )


def _note(note: RiskNote) -> str:
    source = source_link(note.source_url, note.as_of, stale=note.stale, confidence=note.confidence)
    severity = say(f"pdf.severity.{note.severity}")
    return f"**{severity} · {esc(note.title)}**  \n{esc(note.text)}  \n{source}"


def _box(severity: str, text: str) -> str:
    # Blank lines around the tags keep the markdown between them markdown.
    return f'<div class="dp-risk dp-risk-{esc(severity)}">\n\n{text}\n\n</div>'


def render_contacts(plan: Plan) -> None:
    """Embassies and emergency numbers: who to call, and the limits of their help."""
    if not plan.contacts:
        return
    with st.expander(say("pdf.contacts.title"), expanded=False):
        st.markdown(_contacts_markdown(plan.contacts))


@functools.lru_cache(maxsize=32)
def _contacts_markdown(contacts: tuple[Contact, ...]) -> str:
    """Every contact in one element, a paragraph each."""
    blocks = []
    for contact in contacts:
        lines = [f"**{esc(contact.label)}**"]
        if contact.phone:
            lines.append(say("pdf.contacts.phone", phone=contact.phone))
        if contact.email:
            lines.append(say("pdf.contacts.email", value=contact.email))
        if contact.url:
            lines.append(link(contact.url, contact.url))
        if contact.address:
            lines.append(say("pdf.contacts.address", value=contact.address))
        for note in contact.notes:
            lines.append(f"{esc(note.text)} ({source_link(note.source_url, note.as_of)})")
        lines.append(source_link(contact.source_url, contact.as_of))
        blocks.append("  \n".join(lines))
    return "\n\n".join(blocks)
