"""Data the page loads once per process: the catalog, country lists, advisories, the map base.

Everything here is shared by every session (`st.cache_resource`); per-user state lives in
`st.session_state` only. The advisory snapshot is read offline first, so the first render
never waits on the network; live advice is fetched only when the user asks for it.
"""

from __future__ import annotations

import pycountry
import streamlit as st

from planner import borders, geo
from planner.advisories import fetch
from planner.advisories.countries import name_for_code
from planner.advisories.report import AdvisoryReport
from planner.catalog import Catalog, get_catalog
from planner.models import Place

LIVE_BUDGET = fetch.DEFAULT_BUDGET


@st.cache_resource(show_spinner=False)
def catalog() -> Catalog:
    return get_catalog()


@st.cache_resource(show_spinner=False)
def country_names() -> dict[str, str]:
    """ISO alpha-2 code -> short English name for every country (the data's own name first:
    "Russia", not "Russian Federation")."""
    names = {c.alpha_2: name_for_code(c.alpha_2) for c in pycountry.countries}
    names["XK"] = name_for_code("XK")
    names.update({code: country.name for code, country in catalog().countries.items()})
    return dict(sorted(names.items(), key=lambda item: item[1]))


_NAMES: dict[str, str] = {}


def country_name(code: str) -> str:
    # format_func calls this ~1,300 times a run; cache_resource's lookup costs ~30 us each.
    if not _NAMES:
        _NAMES.update(country_names())
    return _NAMES.get(code, code)


@st.cache_resource(show_spinner=False)
def departure_codes() -> list[str]:
    """Countries with route data first (by name), then every other country by name."""
    with_data = sorted(
        (code for code, routes in catalog().routes.items() if routes), key=country_name
    )
    return [*with_data, *(c for c in country_names() if c not in with_data)]


@st.cache_resource(show_spinner=False)
def snapshot_report(country: str) -> AdvisoryReport:
    """The bundled snapshot for `country`: no connection is opened."""
    return fetch.get_advisories(country, offline=True)


@st.cache_resource(show_spinner=False, ttl=30 * 60, max_entries=64)
def live_report(country: str, refresh: int) -> AdvisoryReport:
    """Live advice within the time budget, snapshot behind; `refresh` busts the cache."""
    return fetch.get_advisories(country, offline=False, budget=LIVE_BUDGET)


@st.cache_resource(show_spinner=False, max_entries=256)
def find_place(query: str, country: str) -> Place:
    return geo.find_place(query, country=country)


@st.cache_resource(show_spinner=False, max_entries=64)
def geocode_online(query: str) -> Place:
    return geo.geocode_online(query)


@st.cache_resource(show_spinner=False)
def countries_geojson() -> dict:
    """Country outlines for the offline map base layer (bundled, no tiles needed)."""
    return borders.countries_geojson("110m")
