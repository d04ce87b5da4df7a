""" "What changed": near the top, the changes for this traveler since a date the person picks
(by default a week before the plan date, or, after restoring a plan file, the day it was
saved), by day, newest first, each with its source; and the verdict of the best routes over
the two months up to the plan date as a chart, so a closing trend shows at a glance.

What changed and when each verdict turned is the core's answer (planner/changes.py); this
module only picks the date and draws. The chart is Vega-Lite drawn by Streamlit in the
browser from a spec built here: nothing is fetched, and altair (half a second to import) is
not needed.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
from itertools import groupby

import streamlit as st

from planner.alerts import first_sentence
from planner.changes import DEFAULT_DAYS, Change, changes, merged, subjects, timeline
from planner.checks import data_begins
from planner.errors import PlannerError
from planner.messages import format_date, t
from planner.models import Plan
from ui import resources
from ui.labels import VERDICT_HEX, esc, say, sentence, source_link, verdict_word
from ui.replay import replay

SINCE = "changes_since"  # the date picker
SAVED = "changes_saved_on"  # the day a restored plan file was saved (ui/export.py)
_DEFAULT = "_changes_default"  # the default the picker last got: not a choice of the person
OPEN_DAYS = 1  # days shown open; the older ones are one click away
TIMELINE_ROUTES = 5
TURNED_ROUTES = 3  # routes added to the chart because their verdict just turned
TIMELINE_DAYS = 60


def render(plan: Plan) -> None:
    st.subheader(say("app.changes.title"))
    since = _pick_since(plan)
    try:
        found = changes(
            plan.traveler,
            plan.departure_country,
            since,
            plan.as_of,
            catalog=resources.catalog(),
            today=plan.generated.date(),
        )
    except PlannerError as exc:
        st.error(esc(sentence(str(exc))), icon=":material/warning:")
        return
    st.markdown(_markdown(tuple(found), since, plan.as_of), unsafe_allow_html=True)
    turned = [c.route_id for c in reversed(found) if c.kind == "verdict" and c.route_id]
    _timeline(plan, turned)


def _pick_since(plan: Plan) -> dt.date:
    """The picker's date: the person's choice while it fits the plan date, else the
    default, which follows the plan date (and a restored file's saved day)."""
    state = st.session_state
    begins = data_begins(resources.catalog(), plan.departure_country)
    saved = state.get(SAVED)
    from_file = isinstance(saved, dt.date) and begins <= saved < plan.as_of
    default = saved if from_file else max(begins, plan.as_of - dt.timedelta(days=DEFAULT_DAYS))
    chosen = state.get(SINCE)
    untouched = chosen is None or chosen == state.get(_DEFAULT)
    if untouched or not isinstance(chosen, dt.date) or not begins <= chosen <= plan.as_of:
        state[SINCE] = default
    state[_DEFAULT] = default
    left, _ = st.columns([1, 3])
    left.date_input(
        t("app.changes.since"),
        key=SINCE,
        min_value=begins,
        max_value=plan.as_of,
        help=t("app.changes.since_help", days=DEFAULT_DAYS),
    )
    since = state[SINCE]
    if from_file and since == saved:
        st.caption(say("app.changes.since_saved", date=format_date(saved)))
    elif isinstance(saved, dt.date) and saved >= plan.as_of:
        st.caption(say("app.changes.saved_later", date=format_date(saved)))
    return since


@functools.lru_cache(maxsize=32)
def _markdown(found: tuple[Change, ...], since: dt.date, until: dt.date) -> str:
    """The changes as one element, by day, newest first; the same change to many routes
    (one source, one text) is one line naming them."""
    title = say("app.changes.window", since=format_date(since), until=format_date(until))
    box = '<div class="dp-box dp-changes">\n\n{}\n\n</div>'  # blank lines: markdown inside
    if not found:
        return box.format(f"**{title}**\n\n{say('app.changes.none')}")
    days = []
    for day, groups in groupby(merged(found), lambda g: g[0].date):
        lines = [_line(group) for group in groups]
        days.append(f"**{esc(format_date(day))}**\n\n" + "\n\n".join(lines))
    shown = "\n\n".join(days[:OPEN_DAYS])
    rest = ""
    if len(days) > OPEN_DAYS:
        more = say("app.changes.more", n=len(days) - OPEN_DAYS)
        body = "\n\n".join(days[OPEN_DAYS:])
        rest = f'\n\n<details class="dp-why"><summary>{more}</summary>\n\n{body}\n\n</details>'
    head = say("app.changes.count", n=len(found))
    return box.format(f"**{title}** · {head}\n\n{shown}{rest}")


def _line(group: list[Change]) -> str:
    first = group[0]
    subject = subjects(group)
    kind = say(f"changes.kind.{first.kind}")
    turn = ""
    if first.kind == "verdict" and first.verdict_before and first.verdict_after:
        turn = f" **{esc(verdict_word(first.verdict_before))} → " + (
            f"{esc(verdict_word(first.verdict_after))}**"
        )
    source = source_link(first.source_url, confidence=first.confidence)
    text = first.text
    if first.kind == "verdict":  # the verdicts are said in words above
        text = text.split(": ", 1)[-1]
    text = first_sentence(text)  # the gist: the whole text is with the route, one click away
    return f"{kind} · **{esc(subject)}**{turn}: {esc(text)}  \n<small>{source}</small>"


def _timeline(plan: Plan, turned: list[str]) -> None:
    """The verdict on each of the last TIMELINE_DAYS days of the best few routes, and of
    the few whose verdict just turned (newest first): the news, and where it leaves them."""
    begins = data_begins(resources.catalog(), plan.departure_country)
    start = max(begins, plan.as_of - dt.timedelta(days=TIMELINE_DAYS - 1))
    best = [o.id for o in plan.routes[:TIMELINE_ROUTES] if not o.added_by_user]
    wanted = list(dict.fromkeys([*best, *turned]))[: TIMELINE_ROUTES + TURNED_ROUTES]
    if not wanted or start >= plan.as_of:
        return
    segments = timeline(
        plan.traveler,
        plan.departure_country,
        start,
        plan.as_of,
        wanted,
        catalog=resources.catalog(),
        today=plan.generated.date(),
    )
    rows = [
        {
            "route": s.name,
            "verdict": verdict_word(s.verdict),
            "from": s.start.isoformat(),
            # A bar ends where the next day begins, so a one-day stretch has a width.
            "to": (s.end + dt.timedelta(days=1)).isoformat(),
            "last": s.end.isoformat(),
        }
        for s in segments
    ]
    names = list(dict.fromkeys(r["route"] for r in rows))
    spec = _spec(names, start, plan.as_of)
    caption = say("app.changes.timeline", days=TIMELINE_DAYS, n=len(best))

    def draw() -> None:
        st.caption(caption)
        import pandas as pd  # streamlit has loaded it already

        st.vega_lite_chart(pd.DataFrame(rows), spec, width="stretch")

    replay("changes-timeline", json.dumps([rows, spec, caption], sort_keys=True), draw)


def _spec(names: list[str], start: dt.date, until: dt.date) -> dict:
    """A bar per stretch of equal verdict, one row per route, coloured and named by verdict
    (the words are in the legend, so the colours need not be told apart)."""
    verdicts = ["go", "caution", "blocked"]
    end = (until + dt.timedelta(days=1)).isoformat()
    return {
        "height": 34 * len(names) + 40,
        "mark": {"type": "bar", "cornerRadius": 2},
        "encoding": {
            "y": {
                "field": "route",
                "type": "nominal",
                "sort": names,
                "title": None,
                "axis": {"labelLimit": 260},
            },
            "x": {
                "field": "from",
                "type": "temporal",
                "title": None,
                # Dates are days: read and drawn in UTC, whatever the browser's time zone.
                "scale": {"type": "utc", "domain": [start.isoformat(), end]},
                "axis": {"format": "%d %b", "tickCount": 8},
            },
            "x2": {"field": "to"},
            "color": {
                "field": "verdict",
                "type": "nominal",
                "title": None,
                "scale": {
                    "domain": [verdict_word(v) for v in verdicts],
                    "range": [VERDICT_HEX[v] for v in verdicts],
                },
                "legend": {"orient": "bottom"},
            },
            "tooltip": [
                {"field": "route", "title": t("app.changes.tip.route")},
                {"field": "verdict", "title": t("app.changes.tip.verdict")},
                {"field": "from", "title": t("app.changes.tip.from")},
                {"field": "last", "title": t("app.changes.tip.to")},
            ],
        },
    }
