"""The plan for this session: build_plan called exactly as the CLI calls it, once per input.

The last plan is kept in `st.session_state` with the inputs it was built from, so ticking a
box or filtering routes reruns the page without planning again.
"""

from __future__ import annotations

from typing import Any

import streamlit as st

from planner.errors import PlannerError
from planner.models import Plan, Route
from planner.plan import build_plan
from ui.profile import Inputs

USER_ROUTES = "user_routes"
_LAST = "_last_plan"


def user_routes() -> list[Route]:
    return st.session_state.setdefault(USER_ROUTES, [])


def current_plan(inputs: Inputs, advisory_kwargs: dict[str, Any], advisory_key: str) -> Plan:
    """The plan for `inputs`; raises PlannerError for the caller to show."""
    assert inputs.traveler is not None
    routes = user_routes()
    fingerprint = (
        inputs.traveler.model_dump_json(),
        inputs.departure,
        inputs.as_of.isoformat(),
        inputs.location.model_dump_json() if inputs.location else "",
        tuple(r.model_dump_json() for r in routes),
        advisory_key,
    )
    last = st.session_state.get(_LAST)
    if last is not None and last[0] == fingerprint:
        return last[1]
    plan = build_plan(
        inputs.traveler,
        inputs.as_of,
        inputs.departure,
        location=inputs.location,
        user_routes=routes,
        **advisory_kwargs,
    )
    st.session_state[_LAST] = (fingerprint, plan)
    return plan


__all__ = ["PlannerError", "current_plan", "user_routes"]
