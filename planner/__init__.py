"""Departure Planner core: data, planning rules and renderers, with no Streamlit import."""
