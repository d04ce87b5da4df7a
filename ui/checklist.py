"""Section 5, "Checklist": the plan's items by category; ticks survive reruns and replans.

Each item is a checkbox keyed `tick_<item id>`. The set of ticked ids is also kept in
`st.session_state["ticked"]`, so an item that disappears (the plan changed) and comes back
is still ticked, and the PDF and plan file get the same ticks.

The list is a fragment: ticking a box reruns only the checklist (and its progress bar), not
the whole page. The kept set is updated in place, so the export section's download
buttons, drawn by the last full run, still give the current ticks.
"""

from __future__ import annotations

import functools

import streamlit as st

from planner.models import ChecklistItem, Plan
from ui.labels import esc, label, say, source_link

TICKED = "ticked"
TICK_KEY = "tick_{id}"


def ticked() -> frozenset[str]:
    return frozenset(st.session_state.get(TICKED, set()))


def live_ticks() -> set[str]:
    """The session's kept set itself (read it when needed: ticks change it in place)."""
    return st.session_state.setdefault(TICKED, set())


def set_ticked(ids: frozenset[str]) -> None:
    """Replace every tick (a restored plan file): widget keys first, before widgets exist."""
    kept = live_ticks()
    kept.clear()
    kept.update(ids)
    for key in [k for k in st.session_state if str(k).startswith("tick_")]:
        st.session_state[key] = str(key).removeprefix("tick_") in ids


def render(plan: Plan) -> None:
    st.header(say("app.checklist.title"))
    _items(plan)


@st.fragment
def _items(plan: Plan) -> None:
    items = plan.checklist
    state = st.session_state
    done = live_ticks()
    for item in items:
        state.setdefault(TICK_KEY.format(id=item.id), item.id in done)
    ids = [i.id for i in items]
    # Each box's value is in session state before the box is drawn: the progress bar can be
    # drawn once, complete, above them.
    n_done = sum(bool(state[TICK_KEY.format(id=i)]) for i in ids)
    st.progress(
        n_done / len(ids) if ids else 0.0,
        text=say("app.checklist.progress", done=n_done, total=len(ids)),
    )
    from planner.checklist import CATEGORY_ORDER

    order = {c: n for n, c in enumerate(CATEGORY_ORDER)}
    categories = sorted({i.category for i in items}, key=lambda c: (order.get(c, 99), c))
    for category in categories:
        group = sorted((i for i in items if i.category == category), key=lambda i: i.priority)
        st.subheader(esc(label("pdf.category", category)))
        for item in group:
            # Fold each box's value into the kept set as it is drawn.
            if st.checkbox(_label(item), key=TICK_KEY.format(id=item.id)):
                done.add(item.id)
            else:
                done.discard(item.id)


@functools.lru_cache(maxsize=512)
def _label(item: ChecklistItem) -> str:
    """The item, then on its own small line why, its source and date: one element an item
    (a caption under each box was a second one, at about a third of a box's cost a rerun)."""
    urgent = f":red[**{say('app.checklist.now')}**] " if item.priority == 1 else ""
    when = "" if item.priority == 1 else f"{esc(label('pdf.priority', str(item.priority)))} · "
    why = say("app.checklist.why", reason=item.reason)
    return (
        f"{urgent}{esc(item.text)}  \n"
        f":small[:gray[{when}{why} · {source_link(item.source_url, item.as_of)}]]"
    )
