"""Event layers: the events embedded once as compact columns, drawn by geo/static JS.

No popup HTML and no JavaScript is written per event: the page reads one JSON block and
builds markers, tooltips and popups from it on demand.
"""

from __future__ import annotations

import base64
import json
import zlib
from collections.abc import Sequence
from importlib.resources import files
from typing import Any, cast

import folium
import geopandas as gpd
import numpy as np
import pandas as pd
from branca.element import Element, MacroElement
from folium.template import Template

from geo.events import (
    CASUALTY_FIELDS,
    DEATH_FIELDS,
    EVENT_TYPES,
    OPTIONAL_TEXT_FIELDS,
    TEXT_FIELDS,
)
from geo.render._util import script_json
from geo.render.page import PageConfig

#: Okabe–Ito colours, distinguishable with the common forms of colour blindness.
TYPE_COLOURS: dict[str, str] = {
    "Battles": "#D55E00",
    "Explosions/Remote violence": "#0072B2",
    "Violence against civilians": "#CC79A7",
    "Protests": "#009E73",
    "Riots": "#56B4E9",
    "Strategic developments": "#E69F00",
}
#: Circle radius in pixels: ``min + scale * sqrt(best fatalities)``, capped at ``max``.
SIZE_SCALE = {"minRadius": 5.0, "scale": 1.6, "maxRadius": 30.0}
_EPOCH = np.datetime64("1970-01-01", "D")
#: The page's own scripts, in load order. Each file says its place at its top.
#:
#: 1. ``helpers.js`` pure helpers; defines the namespace ``GeoPage`` (``GeoPage.helpers``)
#: 2. ``core.js`` DOM helpers, the events' columns, the plugin registry and start-up
#: 3. ``popup.js`` popup, tooltip and stacked-events content
#: 4. ``canvas.js`` the canvas the events are drawn on (points, squares, hexagons, heat)
#: 5. ``controller.js`` the ``Controller``: filter, layers, pointer, core page API
#: 6.-16. plugins, each ``GeoPage.plugin(fn)``, run in this order once the controller is
#:    built: legend, title box, time control, choropleth, event list, filters, density
#:    legend, report tools, download, layout, permalink (last: it applies the address once
#:    everything is in place). Plugins use only the surface documented in ``core.js``.
STATIC_JS = (
    "helpers.js",
    "core.js",
    "popup.js",
    "canvas.js",
    "controller.js",
    "legend.js",
    "page.js",
    "timecontrol.js",
    "choropleth.js",
    "eventlist.js",
    "filters.js",
    "density.js",
    "report.js",
    "download.js",
    "layout.js",
    "permalink.js",
)
#: Free text stays as plain lists (dictionary-encoded only when it repeats); every other
#: text field of the canonical table, and the coded columns, are dictionary-encoded.
_TEXT_COLUMNS = ("event_id", "summary", "fatality_note")
_DICT_COLUMNS = (
    *(f for f in TEXT_FIELDS if f not in _TEXT_COLUMNS),
    "date_precision",
    "geo_precision",
    "border_side",
)
#: Columns only some formats fill (ACLED's associated actors, UCDP's death breakdown...):
#: left out of the page when no event has a value, so the popup shows nothing for them.
_OPTIONAL_COLUMNS = frozenset((*OPTIONAL_TEXT_FIELDS, *DEATH_FIELDS))
#: Encoded events larger than this (bytes of JSON) are embedded compressed.
INLINE_LIMIT = 512 * 1024


def static_text(name: str) -> str:
    """Return the text of a file in ``geo/static``."""
    return files("geo").joinpath("static", name).read_text(encoding="utf-8")


def _days(values: pd.Series) -> list[int]:
    return (
        (values.to_numpy(dtype="datetime64[ns]").astype("datetime64[D]") - _EPOCH)
        .astype(int)
        .tolist()
    )


def _dict_encode(values: pd.Series) -> dict[str, list[Any]]:
    codes, uniques = pd.factorize(values, sort=True)
    return {"dict": [str(u) for u in uniques], "codes": codes.tolist()}


def _text(values: pd.Series) -> dict[str, list[Any]] | list[str]:
    """Dictionary-encode text that repeats (half the rows or more); else a plain list."""
    values = values.astype(str)
    if len(values) > 16 and values.nunique() <= len(values) // 2:
        return _dict_encode(values)
    return values.tolist()


def _counts(values: pd.Series) -> list[int | None]:
    arr = values.to_numpy(dtype="float64", na_value=np.nan)
    missing = np.isnan(arr)
    out = np.where(missing, 0, arr).astype(np.int64).astype(object)
    out[missing] = None
    return out.tolist()


def encode_events(events: gpd.GeoDataFrame) -> dict[str, Any]:
    """Encode the canonical events as columns for the page.

    Dates become day numbers since 1970-01-01; repeated text is dictionary-encoded;
    coordinates keep 5 decimals (about 1 m).
    """
    cols: dict[str, Any] = {"event_id": events["event_id"].astype(str).tolist()}
    for name in _TEXT_COLUMNS[1:]:
        cols[name] = _text(events[name])
    for name in _DICT_COLUMNS:
        if name in events and not _unused(events, name):
            cols[name] = _dict_encode(events[name].astype(str))
    cols["date_start"] = _days(events["date_start"])
    cols["date_end"] = _days(events["date_end"])
    for name in (*CASUALTY_FIELDS, *DEATH_FIELDS):
        if name in events and not _unused(events, name):
            cols[name] = _counts(events[name])
    cols["lat"] = np.round(events.geometry.y.to_numpy(), 5).tolist()
    cols["lon"] = np.round(events.geometry.x.to_numpy(), 5).tolist()
    if "border_distance_km" in events:
        cols["border_distance_km"] = np.round(events["border_distance_km"].to_numpy(), 2).tolist()
    if "in_border_belt" in events:
        cols["in_border_belt"] = [int(bool(v)) for v in events["in_border_belt"]]
    cols["sources"] = _sources(events["sources"])
    if "tags" in events and any(len(t) for t in events["tags"]):
        tags = pd.Series([tuple(str(x) for x in t) for t in events["tags"]], dtype="object")
        codes, uniques = pd.factorize(tags, sort=False)
        cols["tags"] = {"dict": [list(u) for u in uniques], "codes": codes.tolist()}
    return {"n": len(events), "columns": cols}


def _unused(events: gpd.GeoDataFrame, name: str) -> bool:
    """An optional column that no event fills (the input format has no such field)."""
    if name not in _OPTIONAL_COLUMNS:
        return False
    values = events[name]
    return bool((values.isna() | (values.astype(str) == "")).all())


def _sources(values: pd.Series) -> dict[str, list[Any]]:
    """Sources as ``[name, url, date]`` triples, dictionary-encoded per distinct list.

    Rows read from one file share one tuple per distinct list, so the lists are first told
    apart by identity (integers, no per-row Python) and only those are keyed by content;
    codes still number the distinct lists in order of first appearance.
    """
    objects = values.to_numpy(dtype=object)
    ids = np.fromiter(map(id, objects), dtype=np.int64, count=len(objects))
    by_id, _ = pd.factorize(ids, sort=False)
    _, where = np.unique(by_id, return_index=True)
    keys = [
        tuple((s.get("name", ""), s.get("url", ""), s.get("date", "")) for s in objects[i])
        for i in where
    ]
    key_codes, uniques = pd.factorize(pd.Series(keys, dtype="object"), sort=False)
    codes = key_codes[by_id] if len(by_id) else by_id
    return {"dict": [[list(t) for t in u] for u in uniques], "codes": codes.tolist()}


def pack(data: dict[str, Any]) -> dict[str, Any] | str:
    """The encoded events as they go into the page.

    Beyond :data:`INLINE_LIMIT` bytes of JSON they are gzip-compressed (fixed mtime, so the
    output stays byte-identical) and base64-encoded; the page inflates them with the
    browser's ``DecompressionStream``. Small maps keep plain, readable JSON.
    """
    # the JSON text made and compressed a member at a time (never the whole text and its
    # UTF-8 bytes at once), giving exactly json.dumps(data, ...) compressed in one go
    pieces = _json_pieces(data)
    head, size = [], 0
    for piece in pieces:
        head.append(piece)
        size += len(piece)
        if size > INLINE_LIMIT:
            break
    else:
        return data
    # level 4: at 100k realistic events 5.8 MB against 6.7 MB at level 1 (the page then
    # weighs 1.2x the gzip of its CSV, not 1.36x) for 0.1 s more; 6 is 3x slower again
    level = 4
    gz = zlib.compressobj(level, zlib.DEFLATED, 31)  # a gzip member, as gzip.compress(mtime=0)
    out = [gz.compress("".join(head).encode("utf-8"))]
    del head
    out.extend(gz.compress(piece.encode("utf-8")) for piece in pieces)
    out.append(gz.flush())
    return base64.b64encode(b"".join(out)).decode("ascii")


def _json_pieces(data: dict[str, Any]) -> Any:
    """``json.dumps(data, ensure_ascii=False, separators=(",", ":"))`` in pieces: one per
    member of ``data`` and of its ``columns``."""

    def dumps(value: Any) -> str:
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False)

    yield "{"
    for i, (key, value) in enumerate(data.items()):
        yield ("," if i else "") + dumps(key) + ":"
        if key == "columns" and isinstance(value, dict):
            yield "{"
            for j, (name, column) in enumerate(value.items()):
                yield ("," if j else "") + dumps(name) + ":" + dumps(column)
            yield "}"
        else:
            yield dumps(value)
    yield "}"


def type_entries(events: gpd.GeoDataFrame) -> list[dict[str, Any]]:
    """One entry per event type present: name, layer label with its count, colour."""
    counts = events["event_type"].value_counts()
    return [
        {
            "name": t,
            "label": f"{t} ({int(counts[t])})",
            "color": TYPE_COLOURS[t],
            "count": int(counts[t]),
        }
        for t in EVENT_TYPES
        if t in counts
    ]


def export_columns(events: gpd.GeoDataFrame, data: dict[str, Any]) -> list[str]:
    """The canonical columns the page carries, in order: what its downloads hold."""
    carried = set(data["columns"])
    return [
        c
        for c in events.columns
        if c not in ("geometry", "origin_file", "origin_record")
        and (c in carried or c in ("date_start", "date_end"))
    ]


class EventLayers(MacroElement):
    """One overlay per event type plus the page API, fed from a single JSON block.

    Parameters
    ----------
    events : geopandas.GeoDataFrame
        Canonical events (EPSG:4326).
    control : folium.LayerControl
        The layer control the type overlays are added to; must be on the map already.
    context : list of (str, folium element)
        Context layers (line, belt, provinces...) that the page API may toggle by name.
    initial_range : (int, int)
        Initial date range as day numbers since 1970-01-01.
    """

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
            GeoPage.init(L.extend(
                JSON.parse(document.getElementById("{{ this.get_name() }}_config").textContent),
                {
                    map: {{ this._parent.get_name() }},
                    control: {{ this.control.get_name() }},
                    contextLayers: [
                    {%- for name, layer in this.context %}
                        {name: {{ name|tojson }}, layer: {{ layer.get_name() }}},
                    {%- endfor %}
                    ],
                    baseLayers: [
                    {%- for name, layer in this.bases %}
                        {name: {{ name|tojson }}, layer: {{ layer.get_name() }}},
                    {%- endfor %}
                    ]
                }
            ));
        {% endmacro %}
        """
    )

    def __init__(
        self,
        events: gpd.GeoDataFrame,
        *,
        control: folium.LayerControl,
        context: Sequence[tuple[str, MacroElement]],
        bases: Sequence[tuple[str, Element]] = (),
        initial_range: tuple[int, int],
        data_range: tuple[int, int] | None = None,
        extra: dict[str, Any] | None = None,
    ) -> None:
        super().__init__()
        self._name = "EventLayers"
        self.control = control
        self.context = context
        self.bases = bases
        data = encode_events(events)
        config = cast(
            PageConfig,
            {
                "types": type_entries(events),
                "style": SIZE_SCALE,
                "initialRange": list(initial_range),
                "dataRange": list(data_range or initial_range),
                "data": pack(data),
                "exportColumns": export_columns(events, data),
                **(extra or {}),
            },
        )
        self.config = script_json(config)
        self.js = "\n".join(static_text(name) for name in STATIC_JS)
        self.css = static_text("conflictmap.css")
