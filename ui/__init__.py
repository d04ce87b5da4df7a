"""The Streamlit page, one module per section; each reads input or the Plan and renders it.

No planning happens here: the page builds a Traveler and calls `planner.plan.build_plan`,
exactly as the CLI does, and every user-facing string comes from `planner.messages.t`.
"""
