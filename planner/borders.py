"""Country outlines and distances to a shared border, from data/borders/ (Natural Earth).

The GeoJSON files are built by scripts/build_borders.py from the world-atlas package
(Natural Earth 1:110m for the map, 1:50m for checks; see data/borders/PROVENANCE.md).
Each feature has `iso2` (ISO 3166-1 alpha-2, or null for Kosovo, N. Cyprus, Somaliland, ...)
and `name`. Distances use an equirectangular approximation around the point: good to a few
per cent at the scales the data check cares about (tens to hundreds of km).
"""

from __future__ import annotations

import functools
import json
from typing import Any

import numpy as np

from planner.errors import DataError
from planner.paths import DATA_DIR

BORDERS_DIR = DATA_DIR / "borders"
RESOLUTIONS = ("110m", "50m")
EARTH_RADIUS_KM = 6371.0088
# b's boundary within this distance of a's counts as their shared border: shared arcs
# coincide exactly in the source, so this only absorbs rounding and small slivers.
SHARED_KM = 5.0

__all__ = ["RESOLUTIONS", "countries_geojson", "countries_geojson_text", "distance_to_border_km"]


@functools.cache
def countries_geojson(resolution: str = "110m") -> dict[str, Any]:
    """The FeatureCollection of country outlines at `resolution` ('110m' or '50m'), loaded once.

    The dict is shared between callers: read it, do not change it."""
    return json.loads(countries_geojson_text(resolution))


def countries_geojson_text(resolution: str = "110m") -> str:
    """The same FeatureCollection as JSON text, for a caller that only passes it on (the web
    page's map): parsing it would build, and keep, tens of thousands of small lists."""
    if resolution not in RESOLUTIONS:
        raise ValueError(f"unknown resolution {resolution!r}; use one of {', '.join(RESOLUTIONS)}")
    path = BORDERS_DIR / f"countries-{resolution}.geojson"
    try:
        return path.read_text(encoding="utf-8")
    except OSError as exc:
        raise DataError(f"{path}: cannot read: {exc.strerror}") from None


@functools.cache
def _rings(code: str, resolution: str) -> tuple[np.ndarray, ...]:
    """Every ring (outer and holes) of the country's outline as (n, 2) lon/lat arrays."""
    rings: list[np.ndarray] = []
    for feature in countries_geojson(resolution)["features"]:
        if feature["properties"]["iso2"] != code:
            continue
        geometry = feature["geometry"]
        polygons = (
            [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]
        )
        rings.extend(np.asarray(ring, dtype=float) for polygon in polygons for ring in polygon)
    return tuple(rings)


def _km_xy(points: np.ndarray, lat0: float, lon0: float) -> np.ndarray:
    """Lon/lat points as km east/north of (lat0, lon0), scaled at each pair's mean latitude."""
    dlon = (points[..., 0] - lon0 + 180.0) % 360.0 - 180.0
    mean_lat = np.radians((points[..., 1] + lat0) / 2.0)
    x = np.radians(dlon) * np.cos(mean_lat) * EARTH_RADIUS_KM
    y = np.radians(points[..., 1] - lat0) * EARTH_RADIUS_KM
    return np.stack([x, y], axis=-1)


def _nearest_km(points: np.ndarray, others: np.ndarray, within_km: float) -> np.ndarray:
    """For each point, the distance in km to the nearest of `others` (vertex to vertex), or
    inf where none is within `within_km`."""
    best = np.full(len(points), np.inf)
    # A ring is a path, so a run of consecutive vertices covers a small box: compare it only
    # with the vertices of `others` inside that box widened by `within_km`.
    for start in range(0, len(points), 128):
        chunk = points[start : start + 128]
        margin_lat = np.degrees(within_km / EARTH_RADIUS_KM) * 1.01
        cos_lat = max(np.cos(np.radians(np.abs(chunk[:, 1]).max() + margin_lat)), 0.01)
        margin = np.array([margin_lat / cos_lat, margin_lat])
        lo, hi = chunk.min(axis=0) - margin, chunk.max(axis=0) + margin
        near = others[np.all((others >= lo) & (others <= hi), axis=1)]
        if len(near) == 0:
            continue
        lat = np.radians(chunk[:, None, 1])
        lat_o = np.radians(near[None, :, 1])
        dlon = np.radians((near[None, :, 0] - chunk[:, None, 0] + 180.0) % 360.0 - 180.0)
        x = dlon * np.cos((lat + lat_o) / 2.0)
        y = lat_o - lat
        best[start : start + 128] = np.sqrt(x * x + y * y).min(axis=1) * EARTH_RADIUS_KM
    return best


@functools.cache
def _border_segments(a: str, b: str, resolution: str) -> tuple[np.ndarray, np.ndarray] | None:
    """Start and end points (lon/lat) of b's boundary segments shared with a; all of b's
    boundary if they share none (neighbours across water); None if either is unknown."""
    rings_a, rings_b = _rings(a, resolution), _rings(b, resolution)
    if not rings_a or not rings_b:
        return None
    vertices_a = np.concatenate(rings_a)
    starts, ends, all_starts, all_ends = [], [], [], []
    for ring in rings_b:
        near = _nearest_km(ring, vertices_a, SHARED_KM) <= SHARED_KM
        shared = near[:-1] & near[1:]
        starts.append(ring[:-1][shared])
        ends.append(ring[1:][shared])
        all_starts.append(ring[:-1])
        all_ends.append(ring[1:])
    if sum(len(s) for s in starts) == 0:
        starts, ends = all_starts, all_ends
    return np.concatenate(starts), np.concatenate(ends)


def distance_to_border_km(
    lat: float, lon: float, a: str, b: str, *, resolution: str = "50m"
) -> float | None:
    """Approximate distance in km from (lat, lon) to the border between countries a and b.

    The border is the part of b's outline within SHARED_KM of a's, or b's whole outline if
    the two share no land border. None if either code is not in the outlines."""
    segments = _border_segments(a.upper(), b.upper(), resolution)
    if segments is None:
        return None
    p = _km_xy(segments[0], lat, lon)
    q = _km_xy(segments[1], lat, lon)
    d = q - p
    length2 = np.einsum("ij,ij->i", d, d)
    # projection of the origin (the point itself) onto each segment, clamped to its ends
    t = np.clip(-np.einsum("ij,ij->i", p, d) / np.where(length2 > 0, length2, 1.0), 0.0, 1.0)
    closest = p + t[:, None] * d
    return float(np.sqrt(np.einsum("ij,ij->i", closest, closest)).min())
