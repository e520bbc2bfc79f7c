"""The change map as a page: events added, removed and revised, drawn distinctly.

What ``geo diff --map OUT.html`` writes. The page is built from the project's own pieces:
a :class:`~geo.render.map.ConflictMap` (Leaflet only, inlined when self-contained), its tile
base layers and offline vector basemap (:mod:`geo.render.basemap`), the context overlays of
the main map (:func:`geo.render.map._overlays`) and its framing rule
(:func:`geo.render.framing.frame_box`). Each kind of change is drawn with the marker and
colours of the image (:data:`geo.render.change_style.CHANGE_STYLES`); the legend counts
them, the one-line correction is the title, the credits (with the data's access dates)
sit under the map and each event's popup says what changed (field, old -> new).

Data enters the page one way: JSON in a ``<script type="application/json">`` block
(:func:`geo.render._util.script_json`), shown by ``geo/static/changes.js`` with
``textContent`` only.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import folium
import geopandas as gpd
import pandas as pd
import rcssmin
import rjsmin
from folium.template import Template

from geo.context import Layers
from geo.render._util import script_json
from geo.render.assets import static_text
from geo.render.basemap import OFFLINE_NAME, add_base_layers, add_offline_basemap, stabilise_ids
from geo.render.change_style import CHANGE_STYLES, legend_label
from geo.render.framing import frame_box, leaflet_bounds
from geo.render.html import save_html
from geo.render.map import ConflictMap, _overlays

#: The change page's own script (its load order: it is the only one). It runs after the
#: main page's pure helpers (``helpers.js``, :data:`HELPERS`), which decode the drawn
#: context layers (``GeoPage.helpers.decodeFeature``).
CHANGE_JS = ("changes.js",)
HELPERS = "helpers.js"
#: How the page names a changed field (others by their canonical name).
FIELD_NAMES = {"fatalities_best": "death toll (best)", "geometry": "position (lat, lon)"}
#: Longest text of a value shown in a popup (characters); longer ones end in "…".
VALUE_CHARS = 2000


@functools.cache
def change_script() -> str:
    """``helpers.js`` then ``geo/static/changes.js``, minified as the page's scripts are."""
    return rjsmin.jsmin("\n".join(static_text(name) for name in (HELPERS, *CHANGE_JS)))


@functools.cache
def change_style() -> str:
    """``geo/static/changes.css``, minified."""
    return rcssmin.cssmin(static_text("changes.css"))


class ChangePage(folium.MacroElement):
    """The change map's configuration (one JSON block) and its script."""

    _template = Template(
        """
        {% macro header(this, kwargs) %}
            <style>{{ this.css }}</style>
            <script>{{ this.js }}</script>
        {% endmacro %}
        {% macro html(this, kwargs) %}
            <script type="application/json" id="{{ this.get_name() }}_config">{{ this.config }}</script>
        {% endmacro %}
        {% macro script(this, kwargs) %}
            GeoChanges.init(L.extend(
                JSON.parse(document.getElementById("{{ this.get_name() }}_config").textContent),
                {
                    map: {{ this._parent.get_name() }},
                    tiles: {{ this.tiles.get_name() }},
                    offline: {{ this.offline.get_name() }}
                }
            ));
        {% endmacro %}
        """
    )

    def __init__(self, config: dict[str, Any], *, tiles: Any, offline: Any) -> None:
        super().__init__()
        self._name = "ChangePage"
        self.config = script_json(config)
        self.tiles, self.offline = tiles, offline
        self.js, self.css = change_script(), change_style()


def _text(value: Any) -> str:
    """A value as a popup shows it: missing as an em dash, long text cut."""
    if value is None:
        return "—"
    text = str(value)
    return text if len(text) <= VALUE_CHARS else text[: VALUE_CHARS - 1] + "…"


def _day(value: Any) -> str:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return ""
    if isinstance(value, pd.Timestamp | dt.date):
        return f"{value:%Y-%m-%d}"
    return str(value)


def event_records(
    groups: Mapping[str, gpd.GeoDataFrame], changes: Mapping[str, Mapping[str, tuple[Any, Any]]]
) -> list[list[Any]]:
    """One record per event: ``[kind, lat, lon, id, date, type, place, [[field, old,
    new], ...], sources]`` (the outlets the event cites, as text), by kind in the legend's order, then by id (the same input gives the same
    page)."""
    out: list[list[Any]] = []
    for k, kind in enumerate(CHANGE_STYLES):
        events = groups.get(kind)
        if events is None or not len(events):
            continue
        for _, row in events.sort_values("event_id", kind="stable").iterrows():
            point = row["geometry"]
            place = ", ".join(
                str(v) for v in (row.get("location"), row.get("province"))
                if v is not None and not (isinstance(v, float) and pd.isna(v)) and str(v)
            )  # fmt: skip
            fields = [
                [FIELD_NAMES.get(f, f), _text(a), _text(b)]
                for f, (a, b) in (changes.get(str(row["event_id"])) or {}).items()
            ]
            cited = row.get("sources")
            names = [
                _text(s.get("name")) for s in (cited if isinstance(cited, list | tuple) else [])
                if isinstance(s, dict) and str(s.get("name") or "").strip()
            ]  # fmt: skip
            out.append([
                k, round(point.y, 5), round(point.x, 5), str(row["event_id"]),
                _day(row.get("date_start")), _text(row.get("event_type")), place, fields,
                "; ".join(dict.fromkeys(names)),
            ])  # fmt: skip
    return out


def change_page(
    groups: Mapping[str, gpd.GeoDataFrame],
    *,
    changes: Mapping[str, Mapping[str, tuple[Any, Any]]] | None = None,
    layers: Layers | None = None,
    title: str = "",
    credits: Sequence[str] = (),
) -> ConflictMap:
    """The change map as a Leaflet page.

    Parameters
    ----------
    groups : mapping of str to geopandas.GeoDataFrame
        The events of each kind of change (``added``, ``changed``, ``removed``; canonical,
        EPSG:4326): added and revised ones where they are now, removed ones where they were.
    changes : mapping, optional
        For each revised event id, each changed field's ``(old, new)`` values
        (:attr:`geo.diff.Diff.values`), shown in its popup.
    layers : Layers, optional
        The context layers, drawn and toggled as in the main map.
    title : str
        The one-line correction (:func:`geo.diff.correction`).
    credits : sequence of str
        The sources, licences and access dates, shown under the map.

    Returns
    -------
    ConflictMap
        Save it with :func:`save_change_page` (or :func:`geo.render.html.save_html`).
    """
    layers = layers if layers is not None else Layers()
    shown = [g for g in groups.values() if len(g)]
    every = gpd.GeoDataFrame(
        pd.concat(shown, ignore_index=True) if shown else {"geometry": []},
        geometry="geometry", crs="EPSG:4326",
    )  # fmt: skip
    m = ConflictMap(location=(33.0, 68.0), zoom_start=6, tiles=None, control_scale=True)
    bases = add_base_layers(m, title=title or "Changes", description=title or "Changes")
    offline = add_offline_basemap(m, layers.countries, layers.neighbours)
    _overlays(m, every, layers, None)  # no choropleth: the events are not read
    folium.LayerControl(collapsed=True, position="topright").add_to(m)
    framed = frame_box(every, border=layers.border, provinces=layers.provinces)
    config = {
        "title": title,
        "kinds": [
            {
                "kind": kind,
                "label": legend_label(kind, len(groups.get(kind, ()))),
                "face": style["face"],
                "edge": style["edge"],
                "path": style["path"],
                "count": len(groups.get(kind, ())),
            }
            for kind, style in CHANGE_STYLES.items()
        ],
        "events": event_records(groups, changes or {}),
        "credits": list(credits),
        "frame": leaflet_bounds(framed),
        "offlineName": OFFLINE_NAME,
    }
    ChangePage(config, tiles=bases[0][1], offline=offline).add_to(m)
    stabilise_ids(m.get_root())
    return m


def save_change_page(m: ConflictMap, path: str | Path) -> Path:
    """Write the change page, self-contained (Leaflet inlined), atomically."""
    return save_html(m, path, self_contained=True)
