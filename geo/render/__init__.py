"""Render the canonical events and the context layers: the page (folium/Leaflet) and the
stills (matplotlib). Modules here import nothing above the render layer."""

from __future__ import annotations

from geo.render.map import ConflictMap, build_map, empty_message

__all__ = ["ConflictMap", "build_map", "empty_message"]
