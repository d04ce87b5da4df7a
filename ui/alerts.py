"""The alerts in force on the plan date (an embassy's "depart immediately", martial law), at
the top of the page under the best way out: newest first, each with its date and source.
Which alerts are in force is the core's answer (planner/alerts.py)."""

from __future__ import annotations

import functools

import streamlit as st

from planner.messages import format_date
from planner.models import AlertNote, Plan
from ui import resources
from ui.labels import esc, say, source_link

SHOWN = 3  # the rest are one click away


def render(plan: Plan) -> None:
    if plan.alerts:
        st.markdown(_markdown(plan.alerts, plan.as_of), unsafe_allow_html=True)


@functools.lru_cache(maxsize=32)
def _markdown(alerts: tuple[AlertNote, ...], on) -> str:
    """The alerts as one element: a box with the first few, the others in a disclosure."""
    first = "\n\n".join(_alert(a) for a in alerts[:SHOWN])
    rest = ""
    if len(alerts) > SHOWN:
        more = say("alerts.more_page", n=len(alerts) - SHOWN)
        body = "\n\n".join(_alert(a) for a in alerts[SHOWN:])
        rest = f'\n\n<details class="dp-why"><summary>{more}</summary>\n\n{body}\n\n</details>'
    title = say("alerts.title", date=format_date(on))
    return f'<div class="dp-alerts">\n\n**{title}**\n\n{first}{rest}\n\n</div>'


def _alert(alert: AlertNote) -> str:
    who = f"**{esc(resources.country_name(alert.issuer))}** · " if alert.issuer else ""
    link = source_link(alert.source_url, alert.as_of, confidence=alert.confidence)
    return f"⚠ {who}{esc(alert.text)}  \n<small>{link}</small>"
