"""The routes on a map that works offline: country outlines drawn from bundled GeoJSON
(no base-map tiles, which need the internet), the traveler, and each route's departure point
coloured by verdict, with the verdict word in the legend and the tooltip."""

from __future__ import annotations

import copy
import functools
import json

import pydeck as pdk
import streamlit as st

from planner.messages import t
from planner.models import Plan, RouteOption
from ui import resources
from ui.labels import VERDICT_HEX, VERDICT_RGB, esc, label, verdict_badge, verdict_word
from ui.memo import per_object
from ui.replay import replay
from ui.routes import own_words

TRAVELER_RGB = [25, 90, 200]
NO_BASE_MAP = "__MAP_STYLE__"  # Streamlit's DeckGlJsonChart: draw no base map at all


def render(plan: Plan, options: list[RouteOption]) -> None:
    """The map, drawn once per set of points and replayed after that."""
    points = [per_object(_point, o) for o in options if o.lat is not None and o.lon is not None]
    here = plan.location
    missing = sum(o.lat is None for o in options)
    spot = None if here is None else (here.name, here.lat, here.lon)
    key = "[" + ",".join(text for _, text in points) + "]" + json.dumps([spot, missing])
    replay("map", key, lambda: _draw([point for point, _ in points], here, missing))


def _point(o: RouteOption) -> tuple[dict, str]:
    """The option's point on the map, and the point as JSON (part of the map's replay key)."""
    mine = "".join(f" ({word})" for word in own_words(o))
    point = {
        "lon": o.lon,
        "lat": o.lat,
        "color": VERDICT_RGB[o.verdict],
        # Shown as text (deck.gl's tooltip sets innerText), never as HTML.
        "tip": f"{verdict_word(o.verdict)}: {o.name}{mine} → {o.to_country_name} "
        f"({label('app.kind', o.kind)})",
    }
    return point, json.dumps(point)


def _draw(points: list[dict], here, missing: int) -> None:
    you = []
    if here is not None and here.lat is not None:
        you = [{"lon": here.lon, "lat": here.lat, "tip": t("app.map.you", place=here.name)}]
    lat, lon = _centre(here, points)
    base = _spec()
    spec = {
        **base,
        "initialViewState": {**base["initialViewState"], "latitude": lat, "longitude": lon},
        "layers": [
            _COUNTRIES,
            {**base["layers"][0], "data": points},
            {**base["layers"][1], "data": you},
        ],
    }
    # The outlines go in last, as text: the first occurrence is the stand-in, which comes
    # before any data in the layer list.
    text = json.dumps(spec).replace(json.dumps(_COUNTRIES), _countries_layer_json(), 1)
    st.pydeck_chart(_Deck.written(text), height=440)
    rgb = ",".join(map(str, TRAVELER_RGB))
    legend = " ".join(verdict_badge(v, big=False) for v in VERDICT_HEX)
    legend += (
        f' <span class="dp-badge dp-small" style="background:rgb({rgb})">'
        f"{esc(t('app.map.you_legend'))}</span>"
    )
    notes = [t("app.map.note")]
    if missing:
        notes.append(t("app.map.missing", n=missing))
    # The legend and the note in one element (each element costs a rerun time).
    st.markdown(
        f'{legend}\n\n<span class="dp-muted">{esc(" ".join(notes))}</span>',
        unsafe_allow_html=True,
    )


def _centre(here, points) -> tuple[float, float]:
    if here is not None and here.lat is not None:
        return here.lat, here.lon
    if points:
        return (
            sum(p["lat"] for p in points) / len(points),
            sum(p["lon"] for p in points) / len(points),
        )
    return 50.0, 30.0


_COUNTRIES = "__countries__"
_DATA = "__countries_data__"
TOOLTIP = {"text": "{tip}"}


@functools.cache
def _spec() -> dict:
    """pydeck's JSON for the view and the two point layers, without their data: written once
    per process, since pydeck writes JSON slowly (indented, with Python's encoder); each map
    fills in its points and centre and is written with the fast compact encoder."""
    layers = [
        pdk.Layer(
            "ScatterplotLayer",
            [],
            id="routes",
            get_position=["lon", "lat"],
            get_fill_color="color",
            get_line_color=[255, 255, 255],
            stroked=True,
            line_width_min_pixels=1,
            radius_min_pixels=6,
            radius_max_pixels=14,
            get_radius=15000,
            pickable=True,
        ),
        pdk.Layer(
            "ScatterplotLayer",
            [],
            id="traveler",
            get_position=["lon", "lat"],
            get_fill_color=TRAVELER_RGB,
            get_line_color=[255, 255, 255],
            stroked=True,
            line_width_min_pixels=2,
            radius_min_pixels=9,
            get_radius=20000,
            pickable=True,
        ),
    ]
    deck = pdk.Deck(
        layers=layers,
        initial_view_state=pdk.ViewState(latitude=0.0, longitude=0.0, zoom=3),
        map_style=None,
        tooltip=TOOLTIP,
        parameters={"clearColor": [0.8, 0.88, 0.95, 1]},
    )
    spec = json.loads(deck.to_json())
    # No base map from the internet: without a style Streamlit's chart fetches Carto's from
    # basemaps.cartocdn.com. Its "no style" marker draws our layers alone (tests/test_browser.py
    # records every request the page makes, map included).
    spec.pop("mapProvider", None)
    spec["mapStyle"] = NO_BASE_MAP
    return spec


@functools.cache
def _countries_layer_json() -> str:
    """The country outlines as a deck.gl layer in JSON, once per process: pydeck writes the
    layer with a stand-in for the data, and the bundled GeoJSON text goes in as it is
    (parsing it only to write it again cost ~50 ms and kept its ~40,000 lists alive)."""
    layer = pdk.Layer(
        "GeoJsonLayer",
        _DATA,
        id="countries",
        stroked=True,
        filled=True,
        get_fill_color=[236, 236, 228],
        get_line_color=[120, 120, 120],
        line_width_min_pixels=1,
    )
    spec = json.loads(pdk.Deck(layers=[layer], map_style=None).to_json())["layers"][0]
    return json.dumps(spec).replace(json.dumps(_DATA), resources.countries_geojson_text(), 1)


class _Deck(pdk.Deck):
    """A deck whose JSON is already written: st.pydeck_chart takes its JSON and tooltip."""

    _text = ""

    @classmethod
    def written(cls, text: str) -> _Deck:
        # A copy of one blank deck: pydeck's constructor looks for Jupyter five times (~2 ms).
        deck = copy.copy(_blank_deck())
        deck._text = text
        return deck

    def to_json(self) -> str:
        return self._text


@functools.cache
def _blank_deck() -> _Deck:
    return _Deck(map_style=None, tooltip=TOOLTIP)
