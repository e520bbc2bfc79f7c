"""The canonical event table and the readers that convert files into it.

Every reader returns the same thing: a GeoDataFrame in EPSG:4326 with the columns of
:data:`COLUMNS`, in that order and with those dtypes. Renderers and exporters read only
this form, so a new input format needs only a reader.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
from pyproj import CRS, Transformer

from geo import _formats, _validate
from geo._errors import NO_VALUE, InputError, Problem, ValidationError

#: ACLED event types and, for each, the sub-event types it allows.
EVENT_TYPES: dict[str, tuple[str, ...]] = {
    "Battles": (
        "Armed clash",
        "Government regains territory",
        "Non-state actor overtakes territory",
    ),
    "Explosions/Remote violence": (
        "Air/drone strike",
        "Shelling/artillery/missile attack",
        "Suicide bomb",
        "Remote explosive/landmine/IED",
        "Grenade",
        "Chemical weapon",
    ),
    "Violence against civilians": ("Attack", "Abduction/forced disappearance", "Sexual violence"),
    "Protests": (
        "Peaceful protest",
        "Protest with intervention",
        "Excessive force against protesters",
    ),
    "Riots": ("Violent demonstration", "Mob violence"),
    "Strategic developments": (
        "Agreement",
        "Arrests",
        "Change to group/activity",
        "Disrupted weapons use",
        "Headquarters or base established",
        "Looting/property destruction",
        "Non-violent transfer of territory",
        "Other",
    ),
}
DATE_PRECISIONS = ("day", "month", "year")
GEO_PRECISIONS = ("exact", "district", "province")
CASUALTY_FIELDS = (
    "fatalities_low",
    "fatalities_best",
    "fatalities_high",
    "injured_low",
    "injured_best",
    "injured_high",
)
TEXT_FIELDS = (
    "event_id",
    "event_type",
    "sub_event_type",
    "actor1",
    "actor2",
    "country",
    "province",
    "admin2",
    "location",
    "summary",
    "fatality_note",
)

#: The canonical columns and their dtypes, in order (plus ``geometry``).
COLUMNS: dict[str, str] = {
    "event_id": "str",
    "date_start": "datetime64[ns]",
    "date_end": "datetime64[ns]",
    "date_precision": "str",
    "event_type": "str",
    "sub_event_type": "str",
    "actor1": "str",
    "actor2": "str",
    "country": "str",
    "province": "str",
    "admin2": "str",
    "location": "str",
    "geo_precision": "str",
    **{name: "Int64" for name in CASUALTY_FIELDS},
    "summary": "str",
    "fatality_note": "str",
    "sources": "object",
    "tags": "object",
    "origin": "str",
}
REQUIRED = ("event_id", "date_start", "event_type", "geometry")
RAW_FIELDS = tuple(name for name in COLUMNS if name != "origin")
LAT_ALIASES = ("latitude", "lat", "y")
LON_ALIASES = ("longitude", "lon", "lng", "long", "x")


@dataclass
class LoadReport:
    """The result of loading event files.

    Attributes
    ----------
    events : geopandas.GeoDataFrame
        The valid events in canonical form.
    problems : list of Problem
        Everything found wrong, errors and warnings, in file order.
    n_read : int
        Records read, valid or not.
    """

    events: gpd.GeoDataFrame
    problems: list[Problem] = field(default_factory=list)
    n_read: int = 0

    @property
    def n_rejected(self) -> int:
        """Records dropped because of an error."""
        return self.n_read - len(self.events)


def empty_events() -> gpd.GeoDataFrame:
    """Return an empty canonical event table."""
    raw = pd.DataFrame({name: pd.Series(dtype="object") for name in RAW_FIELDS})
    raw["_lon"] = pd.Series(dtype="float64")
    raw["_lat"] = pd.Series(dtype="float64")
    return _to_canonical(_validate.check(raw, "<empty>").typed, "<empty>")


def read_events(path: str | Path, *, strict: bool = False, crs: str | None = None) -> LoadReport:
    """Read one GeoJSON or CSV file of events into the canonical table.

    Parameters
    ----------
    path : str or Path
        A ``.geojson``/``.json`` FeatureCollection, a ``.csv`` with latitude and longitude
        columns, or an ACLED or UCDP GED ``.csv`` export (recognised by its header).
    strict : bool
        Raise :class:`ValidationError` on any problem instead of keeping the valid rows.
    crs : str, optional
        CRS of the coordinates (e.g. ``"EPSG:3857"``); by default the GeoJSON ``crs``
        member if present, else EPSG:4326. Coordinates are reprojected to EPSG:4326.

    Returns
    -------
    LoadReport
        The valid events plus every problem found.

    Raises
    ------
    ValidationError
        If the file cannot be read at all (missing, empty, not UTF-8, invalid JSON,
        missing columns), or with ``strict=True`` if any record has a problem.

    Examples
    --------
    >>> report = read_events("data/events.geojson")  # doctest: +SKIP
    >>> report.events.crs.to_epsg()  # doctest: +SKIP
    4326
    """
    name = str(path)
    raw = _read_raw(Path(path), name, crs)
    checked = _validate.check(raw, name)
    if strict and checked.problems:
        raise ValidationError(checked.problems)
    events = _to_canonical(checked.typed[checked.ok], name)
    return LoadReport(events, checked.problems, len(raw))


def load_events(
    paths: Sequence[str | Path], *, strict: bool = False, crs: str | None = None
) -> LoadReport:
    """Read several event files into one canonical table.

    Duplicate ids across files are reported like duplicates within one file; problems stay
    in file order, then record order. See :func:`read_events` for the parameters.
    """
    reports = [read_events(p, strict=strict, crs=crs) for p in paths]
    frames = [r.events for r in reports if len(r.events)]
    events = pd.concat(frames, ignore_index=True) if frames else empty_events()
    per_file = [list(r.problems) for r in reports]
    dup = events["event_id"].duplicated(keep="first")
    first_seen = events.drop_duplicates("event_id").set_index("event_id")["origin"]
    file_index = np.repeat(np.arange(len(reports)), [len(r.events) for r in reports])
    for row in np.flatnonzero(dup.to_numpy()):
        file, _, where = str(events["origin"].iat[row]).partition(": ")
        event_id = events["event_id"].iat[row]
        msg = f"duplicate event_id across files (first seen at {first_seen[event_id]}); ids must be unique"
        per_file[file_index[row]].append(Problem(file, where, "event_id", event_id, msg))
    problems = [p for found in per_file for p in sorted(found, key=_record_number)]
    if strict and dup.any():
        raise ValidationError(problems)
    events = gpd.GeoDataFrame(events[~dup].reset_index(drop=True), crs="EPSG:4326")
    return LoadReport(events, problems, sum(r.n_read for r in reports))


def _record_number(problem: Problem) -> int:
    """Sort key: the number in ``"feature 3"``/``"line 4"``; file-level problems first."""
    digits = problem.where.rpartition(" ")[2]
    return int(digits) if digits.isdigit() else 0


def _read_raw(path: Path, name: str, crs: str | None) -> pd.DataFrame:
    text = _read_text(path, name)
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return _raw_from_csv(text, name, crs)
    if suffix in (".geojson", ".json"):
        return _raw_from_geojson(text, name, crs)
    msg = f"{name}: unsupported file type {suffix!r}; accepted: .geojson, .json, .csv"
    raise InputError(msg)


def _file_problem(name: str, message: str, value: Any = NO_VALUE) -> ValidationError:
    return ValidationError([Problem(name, "file", "", value, message)])


def _read_text(path: Path, name: str) -> str:
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise _file_problem(name, "file not found; check the path") from None
    except IsADirectoryError:
        raise _file_problem(name, "is a directory; give a .geojson or .csv file") from None
    if not data.removeprefix(b"\xef\xbb\xbf").strip():
        raise _file_problem(name, "file is empty; expected a GeoJSON FeatureCollection or a CSV")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        bad = data[exc.start : exc.start + 4]
        msg = (
            f"not valid UTF-8 text (byte offset {exc.start}); accepted encoding: UTF-8. "
            "Re-save the file as UTF-8"
        )
        raise _file_problem(name, msg, bad) from None


def _raw_from_geojson(text: str, name: str, crs: str | None) -> pd.DataFrame:
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        msg = f"invalid JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}"
        raise _file_problem(name, msg) from None
    features = _features_of(doc, name)
    columns: dict[str, list[Any]] = {f: [] for f in RAW_FIELDS}
    lon, lat, gtype, where = [], [], [], []
    for i, feature in enumerate(features, start=1):
        props = feature.get("properties") if isinstance(feature, dict) else None
        props = props if isinstance(props, dict) else {}
        for f in RAW_FIELDS:
            columns[f].append(props.get(f))
        x, y, kind = _point_of(feature.get("geometry") if isinstance(feature, dict) else None)
        lon.append(x)
        lat.append(y)
        gtype.append(kind)
        where.append(f"feature {i}")
    raw = pd.DataFrame(columns, dtype="object")
    raw["_lon"], raw["_lat"] = np.asarray(lon, dtype="float64"), np.asarray(lat, dtype="float64")
    raw["_geom_type"] = gtype
    raw["_where"] = where
    declared = crs or _geojson_crs(doc)
    return _reproject(raw, declared, name)


def _features_of(doc: Any, name: str) -> list[Any]:
    if isinstance(doc, dict) and doc.get("type") == "Feature":
        return [doc]
    if not (isinstance(doc, dict) and doc.get("type") == "FeatureCollection"):
        kind = doc.get("type") if isinstance(doc, dict) else type(doc).__name__
        msg = "expected a GeoJSON FeatureCollection (top-level 'type': 'FeatureCollection')"
        raise _file_problem(name, msg, kind)
    features = doc.get("features")
    if not isinstance(features, list):
        raise _file_problem(name, "'features' must be a list of GeoJSON Features", features)
    if not features:
        raise _file_problem(name, "the FeatureCollection has no features; nothing to read")
    return features


def _point_of(geometry: Any) -> tuple[float, float, str]:
    if geometry is None:
        return np.nan, np.nan, "missing"
    if not isinstance(geometry, dict):
        return np.nan, np.nan, type(geometry).__name__
    kind = str(geometry.get("type"))
    coords: Any = geometry.get("coordinates")
    if kind != "Point":
        return np.nan, np.nan, kind
    try:
        x, y = float(coords[0]), float(coords[1])
    except (TypeError, ValueError, IndexError, KeyError):
        return np.nan, np.nan, "Point?"
    return x, y, "Point"


def _geojson_crs(doc: dict[str, Any]) -> str | None:
    crs = doc.get("crs")
    if isinstance(crs, dict):
        props = crs.get("properties")
        if isinstance(props, dict) and isinstance(props.get("name"), str):
            return str(props["name"])
    return None


def _reproject(raw: pd.DataFrame, crs: str | None, name: str) -> pd.DataFrame:
    if crs is None:
        return raw
    try:
        source = CRS.from_user_input(crs)
    except Exception:  # pyproj raises CRSError, a broad family
        msg = "unknown CRS; give an EPSG code such as 'EPSG:4326' or 'EPSG:3857'"
        raise _file_problem(name, msg, crs) from None
    if source.equals(CRS.from_epsg(4326), ignore_axis_order=True):
        return raw
    transformer = Transformer.from_crs(source, "EPSG:4326", always_xy=True)
    with np.errstate(invalid="ignore"):
        lon, lat = transformer.transform(raw["_lon"].to_numpy(), raw["_lat"].to_numpy())
    raw["_lon"] = np.where(np.isfinite(lon), lon, np.nan)
    raw["_lat"] = np.where(np.isfinite(lat), lat, np.nan)
    raw["_geom_type"] = np.where(
        np.isfinite(lon) | raw["_lon"].isna(), raw["_geom_type"], "unprojectable"
    )
    return raw


def _raw_from_csv(text: str, name: str, crs: str | None) -> pd.DataFrame:
    import io

    try:
        table = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False).fillna("")
    except (pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        raise _file_problem(name, f"not a readable CSV: {exc}") from None
    table.columns = [str(c).strip() for c in table.columns]
    known = _formats.detect(table.columns)
    if known:  # an ACLED or UCDP export: map its columns and codes first
        table = _formats.READERS[known](table)
    lat_col = _pick_column(table, LAT_ALIASES, name)
    lon_col = _pick_column(table, LON_ALIASES, name)
    missing = [f for f in ("event_id", "date_start", "event_type") if f not in table.columns]
    if missing:
        msg = f"missing required column(s) {missing}; the header has {list(table.columns)}"
        raise _file_problem(name, msg)
    if table.empty:
        raise _file_problem(name, "the CSV has a header but no rows; nothing to read")
    raw = pd.DataFrame(
        {f: table[f].where(table[f] != "", None) if f in table else None for f in RAW_FIELDS},
        dtype="object",
    )
    raw["sources"] = _csv_sources(table)
    raw["_lon"] = pd.to_numeric(table[lon_col].str.strip(), errors="coerce")
    raw["_lat"] = pd.to_numeric(table[lat_col].str.strip(), errors="coerce")
    bad_xy = raw["_lon"].isna() | raw["_lat"].isna()
    has_text = (table[lon_col].str.strip() != "") | (table[lat_col].str.strip() != "")
    raw["_geom_type"] = np.where(
        bad_xy & has_text, "non-numeric", np.where(bad_xy, "missing", "Point")
    )
    raw["_raw_xy"] = list(zip(table[lon_col], table[lat_col], strict=True))
    raw["_where"] = [f"line {i}" for i in range(2, len(table) + 2)]
    return _reproject(raw, crs, name)


def _pick_column(table: pd.DataFrame, aliases: Iterable[str], name: str) -> str:
    lower = {c.lower(): c for c in table.columns}
    for alias in aliases:
        if alias in lower:
            return lower[alias]
    aliases = tuple(aliases)
    msg = f"no {aliases[0]} column; accepted column names: {', '.join(aliases)}"
    raise _file_problem(name, msg, list(table.columns))


def _csv_sources(table: pd.DataFrame) -> pd.Series:
    """Sources from a JSON ``sources`` column or ``source_name``/``source_url``/``source_date``."""
    if "sources" in table:  # JSON text, parsed (once per distinct value) by validation
        return table["sources"].where(table["sources"] != "", None)
    if "source_name" not in table and "source_url" not in table:
        return pd.Series([None] * len(table), dtype="object")
    empty = pd.Series([""] * len(table), index=table.index)
    cols = {k: table.get(f"source_{k}", empty) for k in ("name", "url", "date")}
    # JSON text like a ``sources`` column, made once per distinct (name, url, date)
    keys = pd.Series(list(zip(*cols.values(), strict=True)), dtype="object")
    codes, uniques = pd.factorize(keys)
    texts = np.array(
        [
            json.dumps([{k: v for k, v in zip(cols, u, strict=True) if v}]) if any(u) else None
            for u in uniques
        ],
        dtype=object,
    )
    return pd.Series(texts[codes], dtype="object", index=table.index)


def _to_canonical(typed: pd.DataFrame, name: str) -> gpd.GeoDataFrame:
    data = {col: typed[col] for col in COLUMNS if col != "origin"}
    frame = pd.DataFrame(data).reset_index(drop=True)
    frame["origin"] = (name + ": " + typed["_where"].astype(str)).to_numpy()
    frame = frame.astype(COLUMNS)
    geometry = gpd.points_from_xy(typed["_lon"].to_numpy(), typed["_lat"].to_numpy())
    return gpd.GeoDataFrame(frame, geometry=geometry, crs="EPSG:4326")


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
    back with :func:`read_events`.
    """
    props = [c for c in events.columns if c not in ("geometry", "origin")]
    features = []
    lon, lat = events.geometry.x.to_numpy(), events.geometry.y.to_numpy()
    for i, row in enumerate(events[props].itertuples(index=False, name=None)):
        properties = {k: _json_value(v) for k, v in zip(props, row, strict=True)}
        features.append(
            {
                "type": "Feature",
                "id": properties["event_id"],
                "geometry": {
                    "type": "Point",
                    "coordinates": [round(float(lon[i]), 6), round(float(lat[i]), 6)],
                },
                "properties": properties,
            }
        )
    return (
        json.dumps(
            {"type": "FeatureCollection", "features": features}, ensure_ascii=False, indent=1
        )
        + "\n"
    )
