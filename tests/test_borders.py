"""Country outlines (data/borders) and distances to a shared border, on real places."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest

import planner
from planner import borders
from planner.borders import countries_geojson, distance_to_border_km

ROOT = Path(__file__).resolve().parent.parent


def _build_script():
    spec = importlib.util.spec_from_file_location(
        "build_borders", ROOT / "scripts/build_borders.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


CROSSINGS = [
    ("Verkhny Lars", 42.7681, 44.6311, "RU", "GE", 10),
    ("Verkhny Lars, from Georgia", 42.7681, 44.6311, "GE", "RU", 10),
    ("Vaalimaa", 60.60000, 27.80833, "RU", "FI", 10),
    ("Vaalimaa, from Finland", 60.60000, 27.80833, "FI", "RU", 10),
    ("Torfyanovka", 60.595, 27.91667, "RU", "FI", 10),
    ("Frankfurt (Oder)", 52.347, 14.551, "DE", "PL", 5),
]


@pytest.mark.parametrize("place, lat, lon, a, b, max_km", CROSSINGS, ids=[c[0] for c in CROSSINGS])
def test_crossings_are_near_their_border(place, lat, lon, a, b, max_km):
    assert distance_to_border_km(lat, lon, a, b) < max_km


def test_moscow_is_far_from_the_finnish_border():
    km = distance_to_border_km(55.75, 37.62, "RU", "FI")
    assert 400 < km < 900  # about 780 km to the south end of the RU-FI line


def test_the_shared_border_not_the_whole_outline():
    # Murmansk is ~100 km from the Finnish border but on Russia's own outline nearly at sea;
    # the RU-FI border alone excludes Russia's coast and its border with Norway.
    assert distance_to_border_km(68.97, 33.08, "RU", "FI") > 80
    # Berlin: ~80 km to Poland, but the German-Polish line, not Poland's Baltic coast
    assert 50 < distance_to_border_km(52.52, 13.40, "DE", "PL") < 100


def test_no_land_border_falls_back_to_the_outline():
    # Cyprus and Turkey share no land border (N. Cyprus has no ISO code): Turkey's coast
    assert 60 < distance_to_border_km(35.17, 33.36, "CY", "TR") < 150


@pytest.mark.parametrize("a, b", [("RU", "XX"), ("XX", "FI"), ("RU", "AQX")])
def test_unknown_country_is_none(a, b):
    assert distance_to_border_km(60.6, 27.8, a, b) is None


def test_unknown_resolution_names_the_valid_ones():
    with pytest.raises(ValueError, match="110m, 50m"):
        countries_geojson("1m")


def test_outlines_are_found_from_the_package_not_the_working_directory(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    countries_geojson.cache_clear()
    assert len(countries_geojson("110m")["features"]) > 150
    assert borders.BORDERS_DIR.is_relative_to(Path(planner.__file__).resolve().parent.parent)


@pytest.mark.parametrize("resolution, max_mb", [("110m", 1.0), ("50m", 4.0)])
def test_outline_files(resolution, max_mb):
    path = borders.BORDERS_DIR / f"countries-{resolution}.geojson"
    assert path.stat().st_size < max_mb * 1e6
    features = countries_geojson(resolution)["features"]
    codes = {f["properties"]["iso2"] for f in features}
    assert {"RU", "FI", "GE", "UA", "PL", "IL", "JO", "EG"} <= codes
    unnamed = {f["properties"]["name"] for f in features if f["properties"]["iso2"] is None}
    assert {"Kosovo", "N. Cyprus", "Somaliland"} <= unnamed
    open_rings = [
        f["properties"]["name"]
        for f in features
        for polygon in (
            [f["geometry"]["coordinates"]]
            if f["geometry"]["type"] == "Polygon"
            else f["geometry"]["coordinates"]
        )
        for ring in polygon
        if len(ring) < 4 or ring[0] != ring[-1]
    ]
    assert open_rings == []


def test_topojson_arcs_are_decoded_stitched_and_reversed():
    # two squares sharing the arc x=1: arc 0 is the shared edge, used reversed by the right one
    topology = {
        "type": "Topology",
        "transform": {"scale": [0.5, 0.25], "translate": [10, 20]},
        "arcs": [
            [[2, 0], [0, 4]],  # (1,0) -> (1,1) in quantized deltas
            [[2, 4], [-2, 0], [0, -4], [2, 0]],  # (1,1) -> (0,1) -> (0,0) -> (1,0)
            [[2, 0], [2, 0], [0, 4], [-2, 0]],  # (1,0) -> (2,0) -> (2,1) -> (1,1)
        ],
        "objects": {
            "countries": {
                "type": "GeometryCollection",
                "geometries": [
                    {"type": "Polygon", "arcs": [[0, 1]], "id": "246", "properties": {"name": "A"}},
                    {"type": "Polygon", "arcs": [[2, -1]], "properties": {"name": "B"}},
                ],
            }
        },
    }
    features = _build_script().to_geojson(topology)["features"]
    by_name = {f["properties"]["name"]: f for f in features}
    assert by_name["A"]["properties"]["iso2"] == "FI"
    assert by_name["B"]["properties"]["iso2"] is None
    assert by_name["A"]["geometry"]["coordinates"] == [
        [[11, 20], [11, 21], [10, 21], [10, 20], [11, 20]]
    ]
    assert by_name["B"]["geometry"]["coordinates"] == [
        [[11, 20], [12, 20], [12, 21], [11, 21], [11, 20]]
    ]


def test_the_page_map_outlines_draw_no_ring_across_the_whole_world():
    """A ring with points at both -180 and +180 longitude is drawn across every sea."""
    from ui.resources import countries_geojson_text

    features = json.loads(countries_geojson_text())["features"]
    wide = []
    for feature in features:
        geometry = feature["geometry"]
        polygons = geometry["coordinates"]
        for polygon in [polygons] if geometry["type"] == "Polygon" else polygons:
            for ring in polygon:
                lons = [point[0] for point in ring]
                if max(lons) - min(lons) > 180:
                    wide.append(feature["properties"]["name"])
    assert wide == []
    codes = {f["properties"]["iso2"] for f in features}
    assert "RU" in codes and "FJ" in codes and "AQ" not in codes
