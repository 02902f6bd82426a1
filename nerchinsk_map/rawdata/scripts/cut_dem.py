"""Cut the global 5 arc-minute elevation grid of the pvlib wheel to the Amur region and west to the Sayan (the Kyakhta line of 1727).

Adapted from the cut script that came with the project's reference data (its ``cut_dem.py``):
same box, decoding and GeoTIFF options. Needs h5py, numpy and rasterio.

Input: ``pvlib/data/Altitude.h5`` from the pvlib 0.16.1 wheel on PyPI (BSD-3-Clause),
``pip download pvlib==0.16.1 --no-deps`` and unzip it.
Encoding (pvlib.location.lookup_altitude): metres = value * 28 - 450, 255 = no data (sea).
Grid: 2160 x 4320 cells, row 0 starts at 90 N, column 0 at 180 W, 1/12 degree cells.

    python cut_dem.py pvlib/data/Altitude.h5 elevation/amur_region_dem_5min.tif
"""

import sys

import h5py
import numpy as np
import rasterio
from rasterio.transform import from_origin

W, E, S, N = 84, 151, 37, 67  # west to the Sayan for the Kyakhta line (1727)


def main(src: str, out: str) -> None:
    a = h5py.File(src, "r")["Altitude"][:]
    r0, r1 = (90 - N) * 12, (90 - S) * 12
    c0, c1 = (W + 180) * 12, (E + 180) * 12
    v = a[r0:r1, c0:c1]
    dem = np.where(v == 255, -32768, v.astype(np.int16) * 28 - 450).astype(np.int16)
    with rasterio.open(
        out, "w", driver="GTiff", width=dem.shape[1], height=dem.shape[0], count=1,
        dtype="int16", crs="EPSG:4326", transform=from_origin(W, N, 1 / 12, 1 / 12),
        nodata=-32768, compress="deflate", predictor=2, tiled=False,
    ) as d:
        d.write(dem, 1)
        d.update_tags(
            source="pvlib 0.16.1 pvlib/data/Altitude.h5 (BSD-3-Clause); aggregated by Mapzen from ETOPO1, GMTED2010, SRTM and others",
            units="metres above sea level, quantised in 28 m steps",
            resolution="5 arc-minutes",
        )
    print(dem.shape, dem[dem > -32768].min(), dem.max(), (dem == -32768).mean())


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
