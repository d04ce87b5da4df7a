"""The plan for this session: build_plan called exactly as the CLI calls it, once per input.

The last plan is kept in `st.session_state` with the inputs it was built from, so ticking a
box or filtering routes reruns the page without planning again.
"""

from __future__ import annotations

from typing import Any

import streamlit as st

from planner.errors import PlannerError
from planner.models import Plan, UserRoute
from planner.plan import build_plan
from ui.profile import Inputs

USER_ROUTES = "user_routes"
RANK_USER_ROUTES = "rank_user_routes"
_LAST = "_last_plan"


def user_routes() -> list[UserRoute]:
    """The person's own routes (planner.models.UserRoute): only the form and a checked plan
    file put them here; anything else found under the key is dropped, never planned."""
    routes = st.session_state.setdefault(USER_ROUTES, [])
    if not all(isinstance(r, UserRoute) for r in routes):
        routes = st.session_state[USER_ROUTES] = [r for r in routes if isinstance(r, UserRoute)]
    return routes


def rank_user_routes() -> bool:
    return bool(st.session_state.get(RANK_USER_ROUTES, False))


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
        rank_user_routes(),
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
        rank_user_routes=rank_user_routes(),
        **advisory_kwargs,
    )
    st.session_state[_LAST] = (fingerprint, plan)
    return plan


__all__ = ["PlannerError", "current_plan", "user_routes"]
