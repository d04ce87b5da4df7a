"""Section 2, "What governments say": the advice as it stood on the plan date, the headline
over the advice in force then, newer advice marked as after the plan date, the data's age.

The page starts from the bundled snapshot (no network); live advice is fetched only when the
user turns on "use live advice" or presses refresh, and then within the fetch time budget.
"""

from __future__ import annotations

import datetime as dt
import json

import streamlit as st

from planner.advisories import SOURCES
from planner.advisories.report import AdvisoryReport, SourceStatus
from planner.messages import format_date, t
from planner.models import Advisory, is_safe_url
from ui import resources
from ui.labels import LEVEL_HEX, esc, say
from ui.replay import replay

REFRESH_KEY = "advisory_refreshes"


def _refresh() -> None:
    st.session_state[REFRESH_KEY] = st.session_state.get(REFRESH_KEY, 0) + 1
    st.session_state["live_advisories"] = True


def get_report(country: str) -> AdvisoryReport:
    """Snapshot unless the user asked for live advice; never raises on a network problem."""
    st.session_state.setdefault("live_advisories", False)
    if not st.session_state["live_advisories"]:
        return resources.snapshot_report(country)
    with st.spinner(t("app.adv.fetching")):
        return resources.live_report(country, st.session_state.get(REFRESH_KEY, 0))


def report_key() -> str:
    """Which report the plan was built with: the snapshot, or the n-th live refresh."""
    if not st.session_state.get("live_advisories"):
        return "snapshot"
    return f"live-{st.session_state.get(REFRESH_KEY, 0)}"


def render(
    report: AdvisoryReport, country_name: str, as_of: dt.date, notices: tuple[str, ...] = ()
) -> None:
    """The governments' advice as it stood on `as_of` (AdvisoryReport.for_date): the headline
    over the rows in force, then per government the advice on that date and any newer one."""
    st.header(say("app.adv.title", country=country_name))
    dated = report.for_date(as_of)
    top = dated.headline()
    colour = LEVEL_HEX.get(top.level, LEVEL_HEX[None])
    if top.level:
        text = t("app.adv.headline", level=top.level)
    elif dated.advisories and not top.sources:
        text = t("app.adv.headline_none_in_force", date=format_date(as_of))
    else:
        text = t("app.adv.headline_none")
    if top.leave_now:
        text = f"{t('app.adv.leave_now')} · {text}"
    st.markdown(
        f'<div class="dp-headline" style="background:{colour}">{esc(text)}</div>',
        unsafe_allow_html=True,
    )
    snap = [s for s in report.sources if s.origin == "snapshot"]
    if snap:
        dates = sorted({s.snapshot_date for s in snap if s.snapshot_date})
        when = ", ".join(format_date(d) for d in dates) if dates else t("date.unknown")
        msg = t("app.adv.snapshot_banner", n=len(snap), dates=when)
        if dates and as_of < dates[0]:
            msg += " " + t("app.adv.snapshot_replayed", date=format_date(as_of))
        st.warning(esc(msg), icon=":material/cloud_off:")
    rows = [_row(status, adv, as_of) for status, adv in _rows(dated)]
    replay("advice-table", json.dumps(rows), lambda: _table(rows))
    st.caption(say("app.adv.dated_caption", date=format_date(as_of)))
    st.caption(say("app.adv.scale"))
    left, right = st.columns([3, 2])
    with left:
        st.toggle(t("app.adv.live"), key="live_advisories", help=t("app.adv.live_help"))
    with right:
        st.button(t("app.adv.refresh"), key="refresh_advisories", on_click=_refresh)
    if notices:
        with st.expander(t("app.adv.notices", n=len(notices))):
            st.markdown("\n".join(f"- {esc(notice)}" for notice in notices))
    problems = [s for s in report.sources if s.error and s.error != "offline"]
    if problems and st.session_state.get("live_advisories"):
        with st.expander(t("app.adv.problems", n=len(problems))):
            for s in problems:
                st.markdown(f"- {esc(s.name)}: {esc(s.error or '')}")


def _rows(dated: AdvisoryReport) -> list[tuple[SourceStatus, Advisory | None]]:
    """Per government: its advice on the date (None: nothing known), then any newer one."""
    rows: list[tuple[SourceStatus, Advisory | None]] = []
    for status in dated.sources:
        mine = [a for a in dated.advisories if a.source == status.id]
        on_date = [a for a in mine if not a.after_plan_date] or [None]
        rows += [(status, a) for a in (*on_date, *(a for a in mine if a.after_plan_date))]
    return rows


def _row(status: SourceStatus, adv: Advisory | None, as_of: dt.date) -> dict:
    if adv is None:
        state = "unjudged"
    elif adv.after_plan_date:
        state = "after"
    elif adv.in_force is None:
        state = "unjudged"
    else:
        state = "in_force" if adv.in_force else "not_in_force"
    origin = adv.origin if adv is not None else status.origin
    return {
        "level": t("app.adv.level_short", level=adv.level) if adv and adv.level else "—",
        "government": getattr(SOURCES.get(status.id), "NAME", status.name),
        "label": adv.label if adv else t("app.adv.no_advice_on", date=format_date(as_of)),
        "updated": format_date(adv.updated) if adv and adv.updated else "—",
        "state": t(f"app.adv.state.{state}"),
        "data": t(f"app.adv.origin.{origin}"),
        # A link column opens what it is given: only a plain http(s) link.
        "link": adv.url if adv and is_safe_url(adv.url) else "",
    }


def _table(rows: list[dict]) -> None:
    """The governments' table, each level on its colour (drawn once per content, then
    replayed); a read-only multiselect column colours the labels without pandas' Styler."""
    import pyarrow as pa

    levels = range(1, 5)
    st.dataframe(
        pa.Table.from_pylist(rows),  # ~4x faster to send than a pandas DataFrame
        hide_index=True,
        width="stretch",
        column_config={
            "government": st.column_config.TextColumn(t("app.adv.col.government")),
            "level": st.column_config.MultiselectColumn(
                t("app.adv.col.level"),
                options=[t("app.adv.level_short", level=n) for n in levels],
                color=[LEVEL_HEX[n] for n in levels],
            ),
            "label": st.column_config.TextColumn(t("app.adv.col.label")),
            "updated": st.column_config.TextColumn(t("app.adv.col.updated")),
            "state": st.column_config.TextColumn(t("app.adv.col.state")),
            "data": st.column_config.TextColumn(t("app.adv.col.data")),
            "link": st.column_config.LinkColumn(t("app.adv.col.link"), display_text="↗"),
        },
    )
