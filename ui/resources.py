"""Data the page loads once per process: the catalog, country lists, advisories, the map base.

Everything here is shared by every session; per-user state lives in `st.session_state` only.
What never changes while the server runs is kept in functools caches, looked up in a
microsecond, where `st.cache_resource` takes ~30 us a call (a rerun makes about a dozen);
live advice and online lookups keep `st.cache_resource` for its expiry. The advisory snapshot
is read offline first, so the first render never waits on the network; live advice is
fetched only when the user asks for it.
"""

from __future__ import annotations

import functools
import gc

import pycountry
import streamlit as st

from planner import borders, entry, geo
from planner.advisories import fetch
from planner.advisories.countries import name_for_code
from planner.advisories.report import AdvisoryReport
from planner.catalog import Catalog, get_catalog
from planner.models import Place

LIVE_BUDGET = fetch.DEFAULT_BUDGET
_frozen = False


def catalog() -> Catalog:
    return get_catalog()  # loaded once per process, under a lock


@functools.cache
def country_names() -> dict[str, str]:
    """ISO alpha-2 code -> short English name for every country (the data's own name first:
    "Russia", not "Russian Federation")."""
    names = {c.alpha_2: name_for_code(c.alpha_2) for c in pycountry.countries}
    names["XK"] = name_for_code("XK")
    names.update({code: country.name for code, country in catalog().countries.items()})
    return dict(sorted(names.items(), key=lambda item: item[1]))


def country_name(code: str) -> str:
    return country_names().get(code, code)


@functools.cache
def citizenship_codes() -> tuple[str, ...]:
    """The citizenships to offer, by name: the states the visa data has passports for."""
    known = entry.passport_countries()
    return tuple(code for code in country_names() if code in known)


@functools.cache
def with_route_data() -> frozenset[str]:
    """Countries whose data has routes."""
    return frozenset(code for code, routes in catalog().routes.items() if routes)


@functools.cache
def departure_codes() -> tuple[str, ...]:
    """Countries with route data first (by name), then every other country by name."""
    with_data = sorted(with_route_data(), key=country_name)
    return (*with_data, *(c for c in country_names() if c not in with_data))


@functools.cache
def departure_labels() -> dict[str, str]:
    """Each departure choice's label, a star marking the countries with route data: worked
    out once, not for ~250 countries on every rerun."""
    from planner.messages import t

    with_data = with_route_data()
    return {
        c: t("app.form.country_with_data", name=country_name(c))
        if c in with_data
        else country_name(c)
        for c in departure_codes()
    }


@functools.cache
def snapshot_report(country: str) -> AdvisoryReport:
    """The bundled snapshot for `country`: no connection is opened."""
    return fetch.get_advisories(country, offline=True)


@st.cache_resource(show_spinner=False, ttl=30 * 60, max_entries=64)
def live_report(country: str, refresh: int) -> AdvisoryReport:
    """Live advice within the time budget, snapshot behind; `refresh` busts the cache."""
    return fetch.get_advisories(country, offline=False, budget=LIVE_BUDGET)


@functools.lru_cache(maxsize=256)
def locate(query: str, country: str) -> geo.Match:
    return geo.locate(query, country=country)


def find_place(query: str, country: str) -> Place:
    return locate(query, country).place


@st.cache_resource(show_spinner=False, max_entries=64)
def geocode_online(query: str) -> Place:
    return geo.geocode_online(query)


@functools.cache
def countries_geojson_text() -> str:
    """Country outlines for the offline map base layer (bundled, no tiles needed), as JSON
    text: the map passes them on to the browser unread, but for the few outlines the map
    would draw wrongly (see `_drawable`)."""
    lines = borders.countries_geojson_text("110m").split("\n")
    kept = [_drawable(line) for line in lines if '"iso2":"AQ"' not in line]
    if kept[-2].endswith(","):  # the removed feature may have been the last one
        kept[-2] = kept[-2].removesuffix(",")
    return "\n".join(kept)


def _drawable(line: str) -> str:
    """One feature line, with rings that touch both sides of the 180th meridian (Russia's
    Chukotka, Fiji) moved east of it: drawn as they are, they span the whole world and grey
    out every sea. (Antarctica, left out above, runs along the whole edge of the map.)"""
    if "[-180" not in line:
        return line
    import json

    feature = json.loads(line.rstrip(","))
    geometry = feature["geometry"]
    polygons = geometry["coordinates"]
    for polygon in [polygons] if geometry["type"] == "Polygon" else polygons:
        for ring in polygon:
            if max(p[0] for p in ring) - min(p[0] for p in ring) > 180:
                for point in ring:
                    point[0] += 360 if point[0] < 0 else 0
    return json.dumps(feature, separators=(",", ":")) + ("," if line.endswith(",") else "")


def freeze_loaded() -> None:
    """Once per process, after the first full run: keep what is loaded by then (the modules,
    the catalog, gazetteer, snapshot and visa tables) out of the cyclic collector's scans.

    They live as long as the process, yet every full collection walked them again: ~5 ms of
    each rerun. Reference counting still frees them if ever dropped; only reference cycles
    among them would never be collected (the first run leaves a few hundred objects)."""
    global _frozen
    if not _frozen:
        _frozen = True
        gc.freeze()
