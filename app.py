"""Departure Planner web app. Run with `make run` (or `streamlit run app.py`); the page itself
is `ui/page.py`."""

from ui.page import run

run()
