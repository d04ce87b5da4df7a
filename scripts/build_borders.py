"""Build data/borders/*.geojson from the world-atlas npm package (Natural Earth, public domain).

    npm pack world-atlas@2.0.2          # -> world-atlas-2.0.2.tgz (ISC, Mike Bostock)
    .venv/bin/python scripts/build_borders.py world-atlas-2.0.2.tgz

world-atlas ships TopoJSON whose features carry ISO 3166-1 numeric ids ("643"); this script
decodes the arcs itself (no extra dependency), maps the ids to alpha-2 codes with pycountry and
writes GeoJSON FeatureCollections with coordinates rounded to 3 decimals (about 100 m).
Features without an id (Kosovo, N. Cyprus, Somaliland, ...) are kept with `iso2: null`.
"""

from __future__ import annotations

import argparse
import json
import sys
import tarfile
from pathlib import Path
from typing import Any

import pycountry

OUT_DIR = Path(__file__).resolve().parent.parent / "data" / "borders"
RESOLUTIONS = ("110m", "50m")
DECIMALS = 3

Point = tuple[float, float]


def decode_arcs(topology: dict[str, Any]) -> list[list[Point]]:
    """Absolute lon/lat positions of every arc (quantized arcs are delta-encoded)."""
    transform = topology.get("transform")
    if transform is None:
        return [[(p[0], p[1]) for p in arc] for arc in topology["arcs"]]
    (sx, sy), (tx, ty) = transform["scale"], transform["translate"]
    arcs = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy, *_ in arc:
            x += dx
            y += dy
            points.append((x * sx + tx, y * sy + ty))
        arcs.append(points)
    return arcs


def _ring(indexes: list[int], arcs: list[list[Point]]) -> list[list[float]]:
    """Stitch arcs into one closed ring; a negative index ~i means arc i reversed."""
    points: list[Point] = []
    for index in indexes:
        arc = arcs[index] if index >= 0 else arcs[~index][::-1]
        # consecutive arcs share their joining point
        points.extend(arc if not points else arc[1:])
    ring: list[list[float]] = []
    for lon, lat in points:
        p = [round(lon, DECIMALS), round(lat, DECIMALS)]
        if not ring or ring[-1] != p:  # rounding can merge neighbouring points
            ring.append(p)
    if ring and ring[0] != ring[-1]:
        ring.append(ring[0])
    return ring


def _polygon(rings: list[list[int]], arcs: list[list[Point]]) -> list[list[list[float]]]:
    return [r for r in (_ring(ring, arcs) for ring in rings) if len(r) >= 4]


def _iso2(numeric: str | None) -> str | None:
    if numeric is None:
        return None
    record = pycountry.countries.get(numeric=numeric.zfill(3))
    return record.alpha_2 if record else None


def to_geojson(topology: dict[str, Any], object_name: str = "countries") -> dict[str, Any]:
    arcs = decode_arcs(topology)
    features = []
    for geom in topology["objects"][object_name]["geometries"]:
        if geom["type"] == "Polygon":
            polygons = [_polygon(geom["arcs"], arcs)]
        elif geom["type"] == "MultiPolygon":
            polygons = [_polygon(p, arcs) for p in geom["arcs"]]
        else:  # world-atlas countries are only (Multi)Polygons; a null geometry has no shape
            continue
        polygons = [p for p in polygons if p]
        if not polygons:
            continue
        geometry = (
            {"type": "Polygon", "coordinates": polygons[0]}
            if len(polygons) == 1
            else {"type": "MultiPolygon", "coordinates": polygons}
        )
        numeric = geom.get("id")
        features.append(
            {
                "type": "Feature",
                "properties": {
                    "iso2": _iso2(numeric),
                    "iso_n3": numeric,
                    "name": geom.get("properties", {}).get("name", ""),
                },
                "geometry": geometry,
            }
        )
    features.sort(key=lambda f: (f["properties"]["iso2"] or "~", f["properties"]["name"]))
    return {"type": "FeatureCollection", "features": features}


def _read_topology(package: Path, resolution: str) -> dict[str, Any]:
    name = f"countries-{resolution}.json"
    if package.is_dir():
        return json.loads((package / name).read_text(encoding="utf-8"))
    with tarfile.open(package) as tar:
        member = tar.extractfile(f"package/{name}")
        if member is None:
            raise SystemExit(f"{package}: no package/{name}")
        return json.load(member)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("package", type=Path, help="world-atlas .tgz or its unpacked folder")
    parser.add_argument("--out", type=Path, default=OUT_DIR)
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    for resolution in RESOLUTIONS:
        collection = to_geojson(_read_topology(args.package, resolution))
        path = args.out / f"countries-{resolution}.geojson"
        # one feature per line: small diffs when the upstream changes a few countries
        lines = [json.dumps(f, separators=(",", ":")) for f in collection["features"]]
        path.write_text(
            '{"type":"FeatureCollection","features":[\n' + ",\n".join(lines) + "\n]}\n",
            encoding="utf-8",
        )
        unmapped = [
            f["properties"]["name"] for f in collection["features"] if not f["properties"]["iso2"]
        ]
        print(
            f"{path}: {len(lines)} features, {path.stat().st_size / 1e6:.2f} MB; "
            f"no ISO code: {', '.join(unmapped)}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
