"""Every layer's dates as EDTF (``start_edtf``/``end_edtf``) with the ISO ``start_date``/
``end_date`` derived from them (``nerchinsk_map.chronology.dates.derive``), and the Qing dates the
pipeline converts (``date_qing_converted``)."""

from __future__ import annotations

import geopandas as gpd

from ..chronology import calendars, dates

EDTF_COLUMNS = ("start_edtf", "end_edtf")


def with_edtf(gdf: gpd.GeoDataFrame, open_end: bool = True) -> gpd.GeoDataFrame:
    """``gdf`` with ``start_edtf``/``end_edtf`` after ``end_date`` and its ISO dates derived
    from them; ``open_end`` False for layers of moments (events), whose missing end stays empty."""
    columns = [c for c in gdf.columns if c != gdf.geometry.name]
    rows = dates.derive(gdf[columns].to_dict("records"), open_end=open_end)
    for row in rows:
        problems = dates.check(row)
        if problems:
            raise ValueError(f"{row.get('id')}: {'; '.join(problems)}")
    out = gdf.copy()
    for column in ("start_date", "end_date", *EDTF_COLUMNS):
        out[column] = [row[column] for row in rows]
    if "start_edtf" not in columns:  # put the EDTF pair beside the ISO dates
        order = [c for c in out.columns if c not in EDTF_COLUMNS]
        at = order.index("end_date") + 1
        out = out[order[:at] + list(EDTF_COLUMNS) + order[at:]]
    return out


def qing_converted(start_iso: str | None, wanted: bool) -> str | None:
    """The reign-year date of a day, converted with sxtwl, where a feature's Chinese-language
    source dated it in the Qing calendar but the reference facts do not give that date."""
    if not wanted:
        return None
    assert start_iso is not None, "a converted Qing date needs the feature's start date"
    return calendars.qing_text(calendars.gregorian_to_qing(start_iso))
