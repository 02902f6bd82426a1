"""Cut Natural Earth 4.0.0 GeoJSON to the Amur region and west to the Sayan (the Kyakhta line of 1727): the six layers the pipeline reads.

Adapted from the cut script that came with the project's reference data (its
``cut_natural_earth.py``): same box, columns, precision and writer; this version keeps only
the layers ``nerchinsk-map data rebuild`` reads and takes its folders as arguments.

Input: the unpacked Natural Earth 4.0.0 GeoJSON files (``<stem>.json``), as published in the
repository martynafford/natural-earth-geojson at commit 0b9a6ce.

    python cut_natural_earth.py path/to/natural-earth-geojson/10m_and_50m_json  natural-earth/
"""

import os
import sys

import geopandas as gpd
import shapely
from shapely.geometry import box

CLIP = box(84, 37, 151, 67)  # lon 84..151 E, lat 37..67 N (west to the Sayan for Kyakhta 1727)
KEEP = {
    "ne_10m_rivers_lake_centerlines": ["name", "name_en", "name_alt", "featurecla", "scalerank", "rivernum", "dissolve", "note"],
    "ne_10m_lakes": ["name", "name_alt", "featurecla", "scalerank", "note"],
    "ne_10m_playas": ["name", "featurecla", "scalerank"],
    "ne_10m_admin_0_boundary_lines_land": ["name", "adm0_left", "adm0_right", "adm0_a3_l", "adm0_a3_r", "featurecla", "type", "note"],
    "ne_10m_populated_places": ["NAME", "NAMEASCII", "NAMEALT", "ADM0NAME", "ADM0_A3", "ADM1NAME", "FEATURECLA", "POP_MAX", "GEONAMEID", "SCALERANK"],
    "ne_10m_land": ["featurecla", "scalerank"],
}


def main(src: str, out: str) -> None:
    os.makedirs(out, exist_ok=True)
    for name, cols in KEEP.items():
        g = gpd.read_file(os.path.join(src, f"{name}.json"))
        g = g[[c for c in cols if c in g.columns] + ["geometry"]]
        g = g[g.intersects(CLIP)].copy()
        g["geometry"] = g.geometry.intersection(CLIP)
        g = g[~g.geometry.is_empty & g.geometry.notna()]
        g.columns = [c.lower() if c != "geometry" else c for c in g.columns]
        g = g.set_crs(4326, allow_override=True)
        g["geometry"] = shapely.set_precision(g.geometry.values, 1e-6)
        g = g[~g.geometry.is_empty]
        path = os.path.join(out, f"{name}.geojson")
        if os.path.exists(path):
            os.remove(path)
        g.to_file(path, driver="GeoJSON", COORDINATE_PRECISION=6, RFC7946="YES")
        print(f"{name}: {len(g)} features, {os.path.getsize(path) / 1e6:.2f} MB")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
