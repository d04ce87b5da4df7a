"""The routes on a map that works offline: country outlines drawn from bundled GeoJSON
(no base-map tiles, which need the internet), the traveler, and each route's departure point
coloured by verdict, with the verdict word in the legend and the tooltip."""

from __future__ import annotations

import json

import pydeck as pdk
import streamlit as st

from planner.messages import t
from planner.models import Plan, RouteOption
from ui import resources
from ui.labels import VERDICT_HEX, VERDICT_RGB, label, verdict_badge, verdict_word
from ui.replay import replay

TRAVELER_RGB = [25, 90, 200]


def render(plan: Plan, options: list[RouteOption]) -> None:
    """The map, drawn once per set of points and replayed after that (pydeck takes ~10 ms)."""
    points = [
        {
            "lon": o.lon,
            "lat": o.lat,
            "color": VERDICT_RGB[o.verdict],
            "tip": f"{verdict_word(o.verdict)}: {o.name} → {o.to_country_name} "
            f"({label('app.kind', o.kind)})",
        }
        for o in options
        if o.lat is not None and o.lon is not None
    ]
    here = plan.location
    missing = sum(o.lat is None for o in options)
    spot = None if here is None else (here.name, here.lat, here.lon)
    key = json.dumps([points, spot, missing])
    replay("map", key, lambda: _draw(points, here, missing))


def _draw(points: list[dict], here, missing: int) -> None:
    layers = []
    layers.append(
        pdk.Layer(
            "ScatterplotLayer",
            points,
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
        )
    )
    if here is not None and here.lat is not None:
        layers.append(
            pdk.Layer(
                "ScatterplotLayer",
                [{"lon": here.lon, "lat": here.lat, "tip": t("app.map.you", place=here.name)}],
                id="traveler",
                get_position=["lon", "lat"],
                get_fill_color=TRAVELER_RGB,
                get_line_color=[255, 255, 255],
                stroked=True,
                line_width_min_pixels=2,
                radius_min_pixels=9,
                get_radius=20000,
                pickable=True,
            )
        )
    lat, lon = _centre(here, points)
    deck = _Deck(
        layers=layers,
        initial_view_state=pdk.ViewState(latitude=lat, longitude=lon, zoom=3),
        map_style=None,
        tooltip={"text": "{tip}"},
        parameters={"clearColor": [0.8, 0.88, 0.95, 1]},
    )
    st.pydeck_chart(deck, height=440)
    you = ",".join(map(str, TRAVELER_RGB))
    legend = " ".join(verdict_badge(v, big=False) for v in VERDICT_HEX)
    legend += (
        f' <span class="dp-badge dp-small" style="background:rgb({you})">'
        f"{t('app.map.you_legend')}</span>"
    )
    st.markdown(legend, unsafe_allow_html=True)
    notes = [t("app.map.note")]
    if missing:
        notes.append(t("app.map.missing", n=missing))
    st.caption(" ".join(notes))


def _centre(here, points) -> tuple[float, float]:
    if here is not None and here.lat is not None:
        return here.lat, here.lon
    if points:
        return (
            sum(p["lat"] for p in points) / len(points),
            sum(p["lon"] for p in points) / len(points),
        )
    return 50.0, 30.0


_BASE = '"__countries__"'


_DATA = "__countries_data__"


@st.cache_resource(show_spinner=False)
def _countries_layer_json() -> str:
    """The country outlines as deck.gl JSON, serialised once per process. pydeck writes JSON
    indented, with Python's slow encoder (~150 ms for the outlines): it serialises the layer
    with a stand-in for the data, and the GeoJSON goes in with the fast compact encoder."""
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
    data = json.dumps(resources.countries_geojson(), sort_keys=True)
    return json.dumps(spec).replace(json.dumps(_DATA), data, 1)


class _Deck(pdk.Deck):
    def to_json(self) -> str:
        spec = json.loads(super().to_json())
        spec["layers"].insert(0, "__countries__")
        return json.dumps(spec).replace(_BASE, _countries_layer_json(), 1)
