"""The interactive web map (folium + the page's own small script), offline by construction."""

from .builder import build_map, render_html, write_map

__all__ = ["build_map", "render_html", "write_map"]
