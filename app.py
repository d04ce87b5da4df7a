"""Departure Planner web app (placeholder until the web-app issue): runs the core offline."""

import streamlit as st

st.set_page_config(page_title="Departure Planner", layout="wide")
st.title("Departure Planner")
st.write(
    "The web app is being built. Meanwhile, plan from the command line: "
    "`python -m planner plan --from RU --near Moscow --citizenship US --citizenship RU "
    "--sex male --age 30 --date 2022-09-28`."
)
