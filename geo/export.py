"""Event tables out: the filtered, enriched events as GeoJSON, CSV or GeoParquet.

Every format reads back with :func:`geo.read_events` to the same events; cells a
spreadsheet would run as a formula are written as text.
"""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd

from geo._atomic import write_bytes_atomic, write_text_atomic
from geo._errors import InputError
from geo.schema import ORIGIN_COLUMNS

#: Formats of exported event tables, by file suffix.
EVENT_FORMATS = {".geojson": "geojson", ".json": "geojson", ".csv": "csv", ".parquet": "parquet"}


def event_format(path: str | Path, fmt: str | None = None) -> str:
    """The export format: ``fmt`` if given, else by the suffix of ``path``."""
    if fmt is not None:
        if fmt not in set(EVENT_FORMATS.values()):
            msg = f"format {fmt!r} is not known; accepted: geojson, csv, parquet"
            raise InputError(msg)
        return fmt
    suffix = Path(path).suffix.lower()
    if suffix not in EVENT_FORMATS:
        msg = (
            f"{path}: unknown file type {suffix or '(none)'!r} for events; accepted: "
            f"{', '.join(EVENT_FORMATS)} (or give --format)"
        )
        raise InputError(msg)
    return EVENT_FORMATS[suffix]


def write_events(
    events: gpd.GeoDataFrame,
    path: str | Path,
    *,
    fmt: str | None = None,
    inputs: Sequence[str | Path] = (),
) -> Path:
    """Write canonical (optionally enriched) events as GeoJSON, CSV or GeoParquet, atomically.

    Every format reads back with :func:`geo.read_events` to the same events:

    - GeoJSON: one Feature per event, properties in canonical order.
    - CSV: one row per event with ``latitude``/``longitude``; ``sources`` as a JSON list (what
      the reader takes back) plus ``source_names`` and ``source_urls`` joined by `` | `` for
      people reading the sheet; ``tags`` as a JSON list.
    - GeoParquet: canonical columns, ``sources`` as a list of ``{name, url, date}`` structs
      and ``tags`` as a list of strings.
    """
    kind = event_format(path, fmt)
    if kind == "geojson":
        return write_text_atomic(events_to_geojson(events), path, inputs=inputs)
    if kind == "csv":
        return write_text_atomic(events_csv(events), path, inputs=inputs)
    return write_bytes_atomic(events_parquet(events), path, inputs=inputs)


def _plain_columns(events: gpd.GeoDataFrame) -> list[str]:
    return [c for c in events.columns if c not in ("geometry", "origin_file", "origin_record")]


def events_csv(events: gpd.GeoDataFrame) -> str:
    """The events as CSV text (:func:`csv_text`), marked as one of the tool's exports."""
    table = pd.DataFrame(index=events.index)
    for col in _plain_columns(events):
        values = events[col]
        if col in ("sources", "tags"):
            table[col] = [
                json.dumps([dict(v) if isinstance(v, dict) else v for v in x], ensure_ascii=False)
                for x in values
            ]
        elif pd.api.types.is_datetime64_any_dtype(values):
            table[col] = values.dt.strftime("%Y-%m-%d").fillna("")
        elif pd.api.types.is_bool_dtype(values):
            table[col] = values.map({True: "true", False: "false"})
        elif pd.api.types.is_float_dtype(values):
            table[col] = values.round(3)
        else:
            table[col] = values
    table["source_names"] = [" | ".join(s.get("name", "") for s in x) for x in events["sources"]]
    table["source_urls"] = [
        " | ".join(s.get("url", "") for s in x if s.get("url")) for x in events["sources"]
    ]
    table["latitude"] = events.geometry.y.round(6).to_numpy()
    table["longitude"] = events.geometry.x.round(6).to_numpy()
    table[EXPORT_MARK] = EXPORT_MARK_VALUE
    return csv_text(table)


#: What a spreadsheet takes for the start of a formula (OWASP "CSV injection").
FORMULA_START = "=+-@\t\r"
#: A number written plainly: a cell that matches is left as it is, though it may start
#: with ``+`` or ``-`` (``-1.5``, ``+2e3``); ``-inf``, ``-nan`` and ``-1_0`` are text.
NUMBER = r"^[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?$"
_NUMBER = re.compile(NUMBER)
#: The last column of every event CSV the tool writes (``geo export``, the page's
#: download), and its value: the reader removes the protective apostrophes (and only them)
#: from a file that has it, so an export reads back exactly.
EXPORT_MARK, EXPORT_MARK_VALUE = "geo_export", "1"


def safe_cell(value: object) -> object:
    """A text cell as every CSV of the tool writes it: one a spreadsheet would run as a
    formula (``=``, ``+``, ``-``, ``@``, a tab or a carriage return first, and not a plain
    number) gets a leading apostrophe, and so does one that starts with an apostrophe, so
    that removing one apostrophe from the tool's own exports gives the value back."""
    if (
        isinstance(value, str)
        and value
        and (value[0] == "'" or (value[0] in FORMULA_START and not _NUMBER.match(value)))
    ):
        return "'" + value
    return value


def csv_text(table: pd.DataFrame) -> str:
    """The one CSV writer of the tool (event exports, ``geo stats``, ``--report``): every
    text cell through :func:`safe_cell`, one header, ``\\n`` line ends."""
    out = table.copy(deep=False)
    carriage_return = False
    for column in out.columns:
        values = out[column]
        if values.dtype == object or pd.api.types.is_string_dtype(values):
            out[column] = values.astype(object).map(safe_cell)
            carriage_return = carriage_return or bool(
                out[column].map(lambda v: isinstance(v, str) and "\r" in v).any()
            )
    # the csv module quotes a value holding a line feed but not one holding a lone carriage
    # return, which a reader takes for the end of the record: then every text is quoted
    quoting = csv.QUOTE_NONNUMERIC if carriage_return else csv.QUOTE_MINIMAL
    return out.to_csv(index=False, lineterminator="\n", quoting=quoting)


def events_parquet(events: gpd.GeoDataFrame) -> bytes:
    import io

    out = gpd.GeoDataFrame(events[[*_plain_columns(events), "geometry"]].copy(), crs=events.crs)
    # each distinct list made once and shared by its rows (rows read from one file share
    # one object per distinct list already)
    fields = ("name", "url", "date")
    codes, keys = distinct_objects(
        out["sources"], lambda row: tuple(tuple(s.get(k) for k in fields) for s in row)
    )
    lists = [[dict(zip(fields, s, strict=True)) for s in key] for key in keys]
    out["sources"] = pd.Series([lists[c] for c in codes], index=out.index, dtype=object)
    codes, keys = distinct_objects(out["tags"], tuple)
    tags = [list(k) for k in keys]
    out["tags"] = pd.Series([tags[c] for c in codes], index=out.index, dtype=object)
    buf = io.BytesIO()
    out.to_parquet(buf, index=False, compression="zstd", schema_version="1.0.0")
    return buf.getvalue()


def distinct_objects(values: pd.Series, key: Callable[[Any], Any]) -> tuple[np.ndarray, list]:
    """Codes numbering the distinct ``key(value)`` of an object column, and those keys.

    Rows read from one file share one object per distinct value (one tuple per distinct
    list of sources), so the objects are first told apart by identity (integers, no
    per-row Python) and only those are keyed by content; codes number the distinct keys
    in order of first appearance.
    """
    objects = values.to_numpy(dtype=object)
    ids = np.fromiter(map(id, objects), dtype=np.int64, count=len(objects))
    by_id, _ = pd.factorize(ids, sort=False)
    # codes number the objects in order of first appearance: each first appearance is
    # where the running maximum of the codes grows
    where = np.flatnonzero(np.diff(np.maximum.accumulate(by_id), prepend=-1) > 0)
    keys = [key(objects[i]) for i in where]
    key_codes, uniques = pd.factorize(pd.Series(keys, dtype="object"), sort=False)
    codes = key_codes[by_id] if len(by_id) else by_id
    return codes, list(uniques)


def _json_value(value: Any) -> Any:
    if value is None or value is pd.NA or (isinstance(value, float) and np.isnan(value)):
        return None
    if isinstance(value, pd.Timestamp):
        return value.strftime("%Y-%m-%d")
    if isinstance(value, np.bool_ | bool):
        return bool(value)
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, np.floating):
        return round(float(value), 3)
    if isinstance(value, tuple):
        return [dict(v) if isinstance(v, dict) else v for v in value]
    return value


def events_to_geojson(events: gpd.GeoDataFrame) -> str:
    """Serialise canonical (optionally enriched) events as GeoJSON text.

    Properties keep the canonical order, then any added columns; dates are ISO days;
    output is deterministic, so the same events give the same bytes. The result reads
    back with :func:`read_events`. The text is :func:`geojson_document` of
    :func:`geojson_features`, so a dataset written piece by piece is the same text.
    """
    features = geojson_features(events)
    return geojson_document([",\n".join(features)] if features else [])


def geojson_features(events: gpd.GeoDataFrame) -> list[str]:
    """Each event as the text of its Feature inside the collection (indented as
    ``json.dumps(collection, indent=1)`` indents it)."""
    props = [c for c in events.columns if c not in ("geometry", *ORIGIN_COLUMNS)]
    lon, lat = events.geometry.x.to_numpy(), events.geometry.y.to_numpy()
    texts = []
    for i, row in enumerate(events[props].itertuples(index=False, name=None)):
        properties = {k: _json_value(v) for k, v in zip(props, row, strict=True)}
        feature = {
            "type": "Feature",
            "id": properties["event_id"],
            "geometry": {
                "type": "Point",
                "coordinates": [round(float(lon[i]), 6), round(float(lat[i]), 6)],
            },
            "properties": properties,
        }
        # a JSON string never holds a raw line break, so the lines are the structure's
        text = json.dumps(feature, ensure_ascii=False, indent=1)
        texts.append("  " + text.replace("\n", "\n  "))
    return texts


def geojson_document(blocks: Sequence[str]) -> str:
    """The FeatureCollection around blocks of :func:`geojson_features` joined by ``",\n"``."""
    if not blocks:
        return '{\n "type": "FeatureCollection",\n "features": []\n}\n'
    return '{\n "type": "FeatureCollection",\n "features": [\n' + ",\n".join(blocks) + "\n ]\n}\n"
