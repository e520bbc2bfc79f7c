"""The canonical event table and the readers that convert files into it.

Every reader returns the same thing: a GeoDataFrame in EPSG:4326 with the columns of
:data:`COLUMNS`, in that order and with those dtypes. Renderers and exporters read only
this form, so a new input format needs only a reader.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
from pyproj import CRS, Transformer

from geo import _formats, _twins, _validate
from geo._arrowcsv import (
    TEXT,
    Overlong,
    arrow_text,
    blank_as_missing,
    distinct_rows,
    expand,
    missing_text,
    overlong_records,
    read_simple_csv,
    text_series,
)
from geo._errors import NO_VALUE, Problem, ValidationError, reading
from geo._geojson import read_simple_geojson
from geo._io import LIMITS, read_bounded
from geo._progress import step
from geo.export import EXPORT_MARK
from geo.schema import (
    COLUMNS,
    LAT_ALIASES,
    LON_ALIASES,
    ORIGIN_COLUMNS,
    RAW_FIELDS,
    REQUIRED,
)


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
    with reading(name):
        step(f"reading {name}")
        raw = _read_raw(Path(path), name, crs)
        return _checked(raw, name, strict=strict)


def read_parquet_piece(
    path: str | Path,
    row_groups: Sequence[int],
    first_row: int,
    *,
    strict: bool = False,
    crs: str | None = None,
) -> LoadReport:
    """Read some row groups of a (Geo)Parquet file, as :func:`read_events` reads the file.

    The same conversion, rules and messages as for the whole file; records are named by
    their row in the file (``first_row`` is the number of rows before the first group),
    so a dataset read piece by piece (:mod:`geo.distributed`) reports what the file would.
    """
    name = str(path)
    with reading(name):
        table = read_parquet_table(name, name, list(row_groups))
        raw = _raw_from_arrow(table, name, crs, first_row=first_row)
        return _checked(raw, name, strict=strict)


def parquet_piece_ids(path: str | Path, row_groups: Sequence[int]) -> pd.Series:
    """The event ids of some row groups of a (Geo)Parquet file, as the reader makes them
    (stripped; ``""`` where missing), reading the id column only."""
    import pyarrow.parquet as pq

    f = pq.ParquetFile(str(path))
    kind = _formats.detect(pd.Index(f.schema_arrow.names))
    column = _formats.ID_COLUMNS[kind]
    if column not in f.schema_arrow.names:
        return pd.Series([""] * sum(f.metadata.row_group(g).num_rows for g in row_groups))
    f = pq.ParquetFile(str(path), read_dictionary=[column])
    table = f.read_row_groups(list(row_groups), columns=[column])
    if _decoded_bytes(table) > LIMITS.max_input_bytes:  # the reader refuses the piece
        return pd.Series([""] * table.num_rows)
    return _formats.event_ids(kind, _parquet_text(table.column(column)).astype(object))


def _checked(raw: pd.DataFrame, name: str, *, strict: bool) -> LoadReport:
    """Validate a raw frame into a :class:`LoadReport` (inside ``reading(name)``)."""
    early = list(raw.attrs.get("file_problems", []))  # rows the reader could not split
    noted = list(raw.attrs.get("file_warnings", []))  # about records read all the same
    n_raw = len(raw)
    checked = _validate.check(raw, name)
    columns_read = raw.attrs.get("columns_read")
    del raw  # the typed table holds what is kept
    problems = sorted(
        [*early, *noted, *_as_read(checked.problems, columns_read)], key=_record_number
    )
    if strict and problems:
        raise ValidationError(problems)
    events = _to_canonical(_kept(checked), name)
    del checked
    pa.default_memory_pool().release_unused()  # the raw table's memory, kept by the pool
    return LoadReport(events, problems, n_raw + len(early))


def _as_read(problems: list[Problem], columns: dict[str, str] | None) -> list[Problem]:
    """Problems of an ACLED or UCDP export named by the columns the user's file has
    (``event_date``, ``where_prec``), once per bad cell: two fields made from one cell
    (``date_start`` and ``date_end`` from ``event_date``) give one problem."""
    if not columns:
        return problems
    out, seen = [], set()
    for p in problems:
        column = columns.get(p.field, p.field)
        key = (p.where, column, p.severity)
        if column != p.field and key in seen:
            continue
        seen.add(key)
        out.append(replace(p, field=column) if column != p.field else p)
    return out


def _kept(checked: _validate.Checked) -> pd.DataFrame:
    """The typed rows without errors (the table itself when every row passed: no copy)."""
    ok = checked.ok.to_numpy(dtype=bool)
    return checked.typed if ok.all() else checked.typed[ok]


def read_frame(
    frame: pd.DataFrame,
    *,
    name: str = "<DataFrame>",
    strict: bool = False,
    crs: str | None = None,
) -> LoadReport:
    """Read a DataFrame or GeoDataFrame of events into the canonical table.

    The frame is checked exactly like a file: canonical, ACLED and UCDP columns are
    recognised by name, and every rule and message applies. A problem's place is the row
    label (``"row 3"``). A GeoDataFrame gives its point geometry (reprojected from its CRS);
    a DataFrame needs latitude/longitude columns.

    Examples
    --------
    >>> report = read_frame(pd.read_csv("acled_export.csv"))  # doctest: +SKIP
    """
    with reading(name):
        table, declared = _frame_as_text(frame)
        where = [f"row {label}" for label in frame.index]
        raw = _raw_from_table(table, where, [], name, crs or declared)
        checked = _validate.check(raw, name)
    problems = _as_read(checked.problems, raw.attrs.get("columns_read"))
    if strict and problems:
        raise ValidationError(problems)
    events = _to_canonical(_kept(checked), name)
    return LoadReport(events, problems, len(raw))


def _frame_as_text(frame: pd.DataFrame) -> tuple[pd.DataFrame, str | None]:
    """Every cell as the text a CSV export would hold; a GeoDataFrame's points as columns."""
    declared = None
    data = pd.DataFrame(frame).copy()
    if isinstance(frame, gpd.GeoDataFrame) and frame.geometry.name in frame:
        geom = frame.geometry
        kinds = geom.geom_type.fillna("missing")
        if kinds.ne("Point").any():
            bad = kinds[kinds.ne("Point")]
            msg = f"geometry must be Points; row {bad.index[0]} is {bad.iat[0]!r}"
            raise ValidationError([Problem("<DataFrame>", "file", "geometry", NO_VALUE, msg)])
        data = data.drop(columns=[frame.geometry.name])
        data["longitude"], data["latitude"] = geom.x.to_numpy(), geom.y.to_numpy()
        declared = frame.crs.to_string() if frame.crs is not None else None
    data.columns = [str(c).strip() for c in data.columns]
    text = pd.DataFrame(
        {c: data[c].astype(object).map(_cell_text).astype(object) for c in data.columns},
        index=data.index,
    )
    return text.reset_index(drop=True), declared


def _cell_text(value: Any) -> str:
    if value is None or value is pd.NA or value is pd.NaT:
        return ""
    if isinstance(value, float | np.floating):
        number = float(value)
        if np.isnan(number):
            return ""
        return str(int(number)) if number.is_integer() and abs(number) < 2**53 else repr(number)
    if isinstance(value, pd.Timestamp):
        return value.strftime("%Y-%m-%d")
    if isinstance(value, list | tuple | dict):
        return json.dumps(
            [dict(v) if isinstance(v, dict) else v for v in value]
            if not isinstance(value, dict)
            else value
        )
    if isinstance(value, np.ndarray):
        return json.dumps(value.tolist())
    return str(value)


def load_events(
    paths: Sequence[str | Path], *, strict: bool = False, crs: str | None = None
) -> LoadReport:
    """Read several event files into one canonical table.

    Duplicate ids across files are reported like duplicates within one file; problems stay
    in file order, then record order. See :func:`read_events` for the parameters.
    """
    reports = [read_events(p, strict=strict, crs=crs) for p in paths]
    if len(reports) == 1:  # ids are unique within a file (validation drops repeats)
        (report,) = reports
        return LoadReport(report.events, report.problems, report.n_read)
    frames = [r.events for r in reports if len(r.events)]
    events = pd.concat(frames, ignore_index=True) if frames else empty_events()
    per_file = [list(r.problems) for r in reports]
    ids = events["event_id"]
    dup = ids.duplicated(keep="first").to_numpy()
    if dup.any():  # the first place of each repeated id, looked up only for those
        firsts = ~dup & ids.isin(ids[dup]).to_numpy()
        places = events["origin_file"][firsts] + ": " + events["origin_record"][firsts]
        first_seen = dict(zip(ids[firsts], places, strict=True))
        file_index = np.repeat(np.arange(len(reports)), [len(r.events) for r in reports])
        for row in np.flatnonzero(dup):
            file, where = events["origin_file"].iat[row], events["origin_record"].iat[row]
            event_id = ids.iat[row]
            msg = f"duplicate event_id across files (first seen at {first_seen[event_id]}); ids must be unique"
            per_file[file_index[row]].append(Problem(file, where, "event_id", event_id, msg))
        events = events[~dup]
    problems = [p for found in per_file for p in sorted(found, key=_record_number)]
    if strict and dup.any():
        raise ValidationError(problems)
    events = gpd.GeoDataFrame(events.reset_index(drop=True), crs="EPSG:4326")
    return LoadReport(events, problems, sum(r.n_read for r in reports))


def _record_number(problem: Problem) -> int:
    """Sort key: the number in ``"feature 3"``/``"line 4"``; file-level problems first."""
    digits = problem.where.rpartition(" ")[2]
    return int(digits) if digits.isdigit() else 0


def _read_raw(path: Path, name: str, crs: str | None) -> pd.DataFrame:
    suffix = path.suffix.lower()
    if suffix not in (".csv", ".geojson", ".json", ".parquet"):
        msg = f"unsupported file type {suffix!r}; accepted: .geojson, .json, .csv, .parquet"
        raise _file_problem(name, msg)
    # the bytes are handed on, not kept here, so that a reader can let them go
    if suffix == ".csv":
        return _raw_from_csv(_read_data(path, name), name, crs)
    if suffix == ".parquet":
        return _raw_from_parquet(_read_data(path, name), name, crs)
    return _raw_from_geojson(_read_data(path, name), name, crs)


def _file_problem(name: str, message: str, value: Any = NO_VALUE) -> ValidationError:
    return ValidationError([Problem(name, "file", "", value, message)])


def _read_data(path: Path, name: str) -> bytes:
    data = read_bounded(path, name)
    if _NOT_BLANK.search(data, 3 if data.startswith(b"\xef\xbb\xbf") else 0) is None:
        raise _file_problem(name, "file is empty; expected a GeoJSON FeatureCollection or a CSV")
    return data


#: Anything but the ASCII whitespace ``bytes.strip`` removes (searched, not copied).
_NOT_BLANK = re.compile(rb"[^ \t\n\r\x0b\x0c]")


def _decode(data: bytes, name: str) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        bad = data[exc.start : exc.start + 4]
        msg = (
            f"not valid UTF-8 text (byte offset {exc.start}); accepted encoding: UTF-8. "
            "Re-save the file as UTF-8"
        )
        raise _file_problem(name, msg, bad) from None


def _raw_from_geojson(data: bytes, name: str, crs: str | None) -> pd.DataFrame:
    """A raw frame from GeoJSON bytes: Arrow's parser when it reads them exactly as
    ``json`` would (see :mod:`geo._geojson`), else ``json.loads`` and the code below."""
    fast = read_simple_geojson(data) if _twins.fast() else None
    if fast is not None:
        return _reproject(fast[0], crs or fast[1], name)
    text = _decode(data, name)
    del data  # the text holds what is read: the bytes go before the document is parsed
    try:
        objects = _Objects()
        doc = json.loads(text, object_pairs_hook=objects)
    except json.JSONDecodeError as exc:
        msg = f"invalid JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}"
        raise _file_problem(name, msg) from None
    except RecursionError:
        msg = f"JSON nested too deeply to read; accepted: at most {LIMITS.max_depth} levels in a field"
        raise _file_problem(name, msg) from None
    # a lone UTF-16 surrogate can only come from a "\\udXXX" escape: look for one only then
    surrogates = _ESCAPED_SURROGATE.search(text) is not None
    del text  # the parsed document holds what is read
    features = _features_of(doc, name)
    declared = crs or _geojson_crs(doc, name)
    del doc
    repeated = _repeated_keys(features, objects, name)
    n = len(features)
    empty: dict[str, Any] = {}
    dicts = [f if isinstance(f, dict) else empty for f in features]
    del features
    props = [p if isinstance(p := f.get("properties"), dict) else empty for f in dicts]
    points = [_point_of(f.get("geometry")) if f is not empty else _NO_POINT for f in dicts]
    del dicts  # each feature's dictionaries go as soon as their values are taken
    # one comprehension per field (no per-feature loop over the fields)
    columns = {f: [p.get(f) for p in props] for f in RAW_FIELDS}
    del props
    raw = pd.DataFrame(columns, dtype="object")
    del columns
    x, y, kinds = zip(*points, strict=True) if points else ((), (), ())
    raw["_lon"], raw["_lat"] = np.asarray(x, dtype="float64"), np.asarray(y, dtype="float64")
    raw["_geom_type"] = list(kinds)
    raw["_where"] = _labels("feature ", np.arange(1, n + 1)).astype(object)
    raw.attrs["file_warnings"] = repeated
    raw.attrs["maybe_surrogates"] = surrogates
    return _reproject(raw, declared, name)


_ESCAPED_SURROGATE = __import__("re").compile(r"\\u[dD][89a-fA-F][0-9a-fA-F]{2}")


class _Objects:
    """An ``object_pairs_hook`` that builds plain dicts, as :func:`json.loads` does, and
    remembers the keys an object was given more than once (the last value is kept)."""

    def __init__(self) -> None:
        self.repeated: dict[int, tuple[str, ...]] = {}

    def __call__(self, pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        obj = dict(pairs)
        if len(obj) != len(pairs):
            seen: set[str] = set()
            self.repeated[id(obj)] = tuple(k for k, _ in pairs if k in seen or seen.add(k))  # type: ignore[func-returns-value]
        return obj


def _repeated_keys(features: list[Any], objects: _Objects, name: str) -> list[Problem]:
    """A warning per key given twice in a feature, its geometry or its properties."""
    if not objects.repeated:
        return []
    found = []
    for i, feature in enumerate(features, start=1):
        if not isinstance(feature, dict):
            continue
        parts = [
            ("", feature),
            ("geometry.", feature.get("geometry")),
            ("", feature.get("properties")),
        ]
        for prefix, obj in parts:
            if not isinstance(obj, dict):
                continue
            for key in objects.repeated.get(id(obj), ()):
                msg = "the key appears more than once in this object; the last value was read"
                found.append(Problem(name, f"feature {i}", prefix + key, obj[key], msg, "warning"))
    return found


def _features_of(doc: Any, name: str) -> list[Any]:
    if isinstance(doc, dict) and doc.get("type") == "Feature":
        return [doc]
    if not (isinstance(doc, dict) and doc.get("type") == "FeatureCollection"):
        kind = doc.get("type") if isinstance(doc, dict) else type(doc).__name__
        msg = "expected a GeoJSON FeatureCollection (top-level 'type': 'FeatureCollection')"
        raise _file_problem(name, msg, _short(kind))
    features = doc.get("features")
    if not isinstance(features, list):
        raise _file_problem(name, "'features' must be a list of GeoJSON Features", _short(features))
    if not features:
        raise _file_problem(name, "the FeatureCollection has no features; nothing to read")
    return features


def _short(value: Any) -> Any:
    """A value small enough to show in a message (containers by their type and length)."""
    if isinstance(value, list | dict):
        return f"<{type(value).__name__} of {len(value)}>"
    return value


_NO_POINT = (np.nan, np.nan, "missing")


def _point_of(geometry: Any) -> tuple[float, float, str]:
    """(lon, lat, kind) of a GeoJSON geometry; kind says what is wrong when it is not a Point.

    Coordinates must be JSON numbers: ``true``, ``"12"`` or nested lists are refused, not
    coerced; integers too large for a float are out of range rather than a crash.
    """
    if geometry is None:
        return np.nan, np.nan, "missing"
    if not isinstance(geometry, dict):
        return np.nan, np.nan, type(geometry).__name__
    kind = geometry.get("type")
    if kind != "Point":
        return np.nan, np.nan, str(_short(kind))
    coords: Any = geometry.get("coordinates")
    if not (isinstance(coords, list) and len(coords) in (2, 3)):
        return np.nan, np.nan, "Point?"
    if not all(isinstance(v, int | float) and not isinstance(v, bool) for v in coords):
        return np.nan, np.nan, "Point?"
    try:
        return float(coords[0]), float(coords[1]), "Point"
    except OverflowError:  # an integer beyond float range: out of range, like 1e400
        return float("inf"), float("inf"), "Point"


def _geojson_crs(doc: dict[str, Any], name: str) -> str | None:
    crs = doc.get("crs")
    if crs is None:
        return None
    props = crs.get("properties") if isinstance(crs, dict) else None
    if isinstance(props, dict) and isinstance(props.get("name"), str):
        return str(props["name"])
    msg = "the 'crs' member must be {'type': 'name', 'properties': {'name': 'EPSG:XXXX'}}"
    raise _file_problem(name, msg, _short(crs))


def _reproject(raw: pd.DataFrame, crs: str | None, name: str) -> pd.DataFrame:
    if crs is None:
        return raw
    try:
        source = CRS.from_user_input(crs)
    except Exception:  # pyproj raises CRSError, a broad family
        msg = "unknown CRS; give an EPSG code such as 'EPSG:4326' or 'EPSG:3857'"
        raise _file_problem(name, msg, crs) from None
    if not (source.is_geographic or source.is_projected) or source.is_vertical:
        kind = "geocentric" if source.is_geocentric else "not horizontal"
        msg = (
            f"CRS {source.name!r} is {kind}; accepted: a horizontal geographic or projected "
            "CRS such as 'EPSG:4326' or 'EPSG:3857'"
        )
        raise _file_problem(name, msg, crs)
    ellipsoid = source.ellipsoid
    if ellipsoid is None or not (6.35e6 < ellipsoid.semi_major_metre < 6.40e6):
        body = ellipsoid.name if ellipsoid is not None else "no ellipsoid"
        msg = (
            f"CRS {source.name!r} is not of the Earth ({body}); accepted: a horizontal "
            "geographic or projected CRS of the Earth such as 'EPSG:4326' or 'EPSG:3857'"
        )
        raise _file_problem(name, msg, crs)
    if source.equals(CRS.from_epsg(4326), ignore_axis_order=True):
        return raw
    try:
        transformer = Transformer.from_crs(source, "EPSG:4326", always_xy=True)
    except Exception:  # pyproj raises ProjError, a broad family
        msg = (
            "no transformation from this CRS to EPSG:4326 is known; give the points in another CRS"
        )
        raise _file_problem(name, msg, crs) from None
    with np.errstate(invalid="ignore", over="ignore"):
        lon, lat = transformer.transform(raw["_lon"].to_numpy(), raw["_lat"].to_numpy())
    raw["_lon"] = np.where(np.isfinite(lon), lon, np.nan)
    raw["_lat"] = np.where(np.isfinite(lat), lat, np.nan)
    raw["_geom_type"] = np.where(
        np.isfinite(lon) | raw["_lon"].isna(), raw["_geom_type"], "unprojectable"
    )
    return raw


def _raw_from_csv(data: bytes, name: str, crs: str | None) -> pd.DataFrame:
    """A raw frame from CSV bytes: Arrow's reader for simple files, else the exact reader.

    Both give the same table, the same physical line numbers and the same problems (see
    :mod:`geo._arrowcsv` for when the fast path applies).
    """
    _check_header_width(data, name)
    data, dropped = _without_overlong(data, name)
    apostrophes = b"'" in data  # cheap test first: most files have no apostrophe at all
    fast = read_simple_csv(data) if _twins.fast() else None
    if fast is not None:
        del data  # the Arrow table holds the text now; the caller kept no reference
        header, columns = fast
        names = _csv_header(header, name)
        table = pd.DataFrame(
            {n: text_series(c) for n, c in zip(names, columns.columns, strict=True)}, copy=False
        )
        del fast, columns
        lines: Any = np.arange(2, len(table) + 2)
        problems: list[Problem] = []
    else:
        text = _decode(data, name)
        del data  # the text holds what is read
        table, lines, problems = _csv_records(text, name)
        del text
    if apostrophes and EXPORT_MARK in table.columns:
        table = _unescape_formulas(table)
    problems = sorted([*problems, *dropped], key=_record_number)
    return _raw_from_table(table, _labels("line ", lines), problems, name, crs)


def _check_header_width(data: bytes, name: str) -> None:
    """Refuse a header of more columns than :data:`geo._io.LIMITS` accepts, before reading
    the rows (a 200,000-column header would take minutes and gigabytes)."""
    end = data.find(b"\n")
    first = data[: end if end >= 0 else len(data)]
    if first.count(b",") < LIMITS.max_columns:
        return
    try:
        n = len(next(csv.reader([first.decode("utf-8-sig", "replace")])))
    except (csv.Error, StopIteration):
        n = first.count(b",") + 1
    _check_width(n, name)


def _without_overlong(data: bytes, name: str) -> tuple[bytes, list[Problem]]:
    """The CSV without its records that hold a value longer than the field limit, each
    reported: the record is left out, the rest of the file is read. Found in one pass over
    the bytes (:func:`geo._arrowcsv.overlong_records`), so a gigabyte-long value is never
    parsed; the records left out become as many blank lines as they held, so every other
    record keeps its line number."""
    limit = LIMITS.max_field_chars
    found = overlong_records(data, limit)
    if not found:
        return data, []
    header = data[: max(data.find(b"\n"), 0)].decode("utf-8-sig", "replace")
    try:
        names = next(csv.reader([header]))
    except (csv.Error, StopIteration):
        names = []
    problems, kept, at = [], [], 0
    for rec in found:
        chars = _field_chars(data, rec)
        if chars is not None and chars <= limit:
            continue  # long in bytes, not in characters
        if rec.line == 1:
            msg = (
                f"the header holds a value longer than {limit:,} characters; is a quote left open?"
            )
            raise _file_problem(name, msg)
        field = names[rec.field].strip() if rec.field < len(names) else f"column {rec.field + 1}"
        size = f"<{rec.size:,} bytes>"
        msg = f"longer than {limit:,} characters; the record is left out (shorten the value)"
        problems.append(Problem(name, f"line {rec.line}", field, size, msg))
        kept.append(data[at : rec.start])
        kept.append(b"\n" * data.count(b"\n", rec.start, rec.end))
        at = rec.end
    if not problems:
        return data, []
    kept.append(data[at:])
    return b"".join(kept), problems


def _field_chars(data: bytes, rec: Overlong) -> int | None:
    """The characters of a long field's value, or None when it is too long to count cheaply
    (more than four bytes per character of the limit: certainly over it)."""
    if rec.size > 4 * LIMITS.max_field_chars + 2:
        return None
    text = data[rec.start : rec.end].decode("utf-8", "replace")
    try:
        row = next(csv.reader(io.StringIO(text, newline=""), strict=False))
    except (csv.Error, StopIteration):
        return None
    return len(row[rec.field]) if rec.field < len(row) else None


def _raw_from_parquet(data: bytes, name: str, crs: str | None) -> pd.DataFrame:
    """A raw frame from (Geo)Parquet bytes (see :func:`_raw_from_arrow`)."""
    table = read_parquet_table(pa.BufferReader(data), name)
    del data  # the table holds its own copy; the caller kept no reference
    return _raw_from_arrow(table, name, crs)


def read_parquet_table(source: Any, name: str, row_groups: Sequence[int] | None = None) -> pa.Table:
    """Row groups of a Parquet file (all by default) as one table, within the limits.

    Read a row group at a time, text columns kept dictionary-encoded until the size they
    decode to is known: a small file whose text expands beyond the input size limit (one
    long value repeated through a dictionary) is refused before it is decoded, as is a
    file of more columns than :data:`geo._io.LIMITS` accepts, or one whose columns hold
    types no field can take (lists of lists, maps, structs where text belongs).
    """
    import pyarrow.parquet as pq

    try:
        schema = pq.read_schema(source)
        _check_width(len(schema.names), name)
        _check_unique(schema.names, name)
        text = [n for n in schema.names if _is_text_type(schema.field(n).type)]
        f = pq.ParquetFile(source, read_dictionary=text)
        groups = range(f.metadata.num_row_groups) if row_groups is None else row_groups
        budget, tables = LIMITS.max_input_bytes, []
        for g in groups:
            part = f.read_row_group(g)
            budget -= _decoded_bytes(part)
            if budget < 0:
                msg = (
                    f"the file's values expand to more than the {LIMITS.max_input_bytes / 2**20:,.0f} "
                    "MB limit for one input (text repeated through a dictionary); raise it "
                    "with --max-input-mb (or GEO_MAX_INPUT_MB) or split the file"
                )
                raise _file_problem(name, msg)
            tables.append(part)
    except (pa.ArrowException, OSError) as exc:
        raise _file_problem(name, f"cannot be read as Parquet: {exc}") from None
    table = pa.concat_tables(tables) if tables else schema.empty_table()
    return table.replace_schema_metadata(schema.metadata)


def _is_text_type(kind: pa.DataType) -> bool:
    return bool(pa.types.is_string(kind) or pa.types.is_large_string(kind))


def _decoded_bytes(table: pa.Table) -> int:
    """What the table takes once its dictionary-encoded text is decoded (whole columns)."""
    total = 0
    for column in table.columns:
        if pa.types.is_dictionary(column.type):
            for chunk in column.chunks:
                lengths = pc.binary_length(chunk.dictionary).take(pc.fill_null(chunk.indices, 0))
                total += int(pc.sum(lengths).as_py() or 0) + 8 * len(chunk)
        else:
            total += column.nbytes
    return total


def _check_width(n_columns: int, name: str) -> None:
    if n_columns > LIMITS.max_columns:
        msg = (
            f"the file has {n_columns:,} columns; accepted: at most {LIMITS.max_columns:,} "
            "(an event table has a few dozen)"
        )
        raise _file_problem(name, msg)


def _raw_from_arrow(
    table: pa.Table, name: str, crs: str | None, first_row: int = 0
) -> pd.DataFrame:
    """A raw frame from a (Geo)Parquet table: the geometry column's points, or
    latitude/longitude.

    Every column becomes the text a CSV would hold (dates as days, numbers as their
    shortest form, lists such as ``sources`` and ``tags`` as JSON made once per distinct
    value), so every rule and message applies as for a CSV; places are ``row N``, counted
    from ``first_row + 1``.
    """
    try:
        meta = json.loads((table.schema.metadata or {}).get(b"geo", b"null") or "null")
    except ValueError:
        msg = "the GeoParquet 'geo' metadata is not JSON; accepted: the GeoParquet 1.x metadata"
        raise _file_problem(name, msg) from None
    declared, lon = None, None
    if isinstance(meta, dict) and meta.get("primary_column") in table.column_names:
        column = meta["primary_column"]
        declared = _geoparquet_crs(meta.get("columns", {}).get(column, {}), name)
        lon, lat, kinds = _points_of_wkb(table.column(column), name)
        table = table.drop_columns([column])
    table = _checked_types(table, name, first_row)
    text = pd.DataFrame({c: _parquet_text(table.column(c)) for c in table.column_names}, copy=False)
    del table
    xy = None
    if lon is not None:
        text["longitude"], text["latitude"] = _parquet_text(lon), _parquet_text(lat)
        # the numbers themselves: Arrow writes floats in their shortest form, so parsing
        # that text back would give the same values
        xy = (lon.to_numpy(zero_copy_only=False), lat.to_numpy(zero_copy_only=False))
    labels = _labels("row ", np.arange(first_row + 1, first_row + len(text) + 1))
    raw = _raw_from_table(text, labels, [], name, None, xy=xy)
    if lon is not None:
        raw["_geom_type"] = np.where(kinds == "Point", raw["_geom_type"], kinds)
    return _reproject(raw, crs or declared, name)


#: Columns a canonical file is read from (beside ``RAW_FIELDS``); other columns are ignored.
_READ_TOO = (*LAT_ALIASES, *LON_ALIASES, "source_name", "source_url", "source_date")


def _scalar_type(kind: pa.DataType) -> bool:
    if pa.types.is_dictionary(kind):
        kind = kind.value_type
    checks = (
        pa.types.is_string, pa.types.is_large_string, pa.types.is_integer, pa.types.is_floating,
        pa.types.is_boolean, pa.types.is_date, pa.types.is_timestamp, pa.types.is_decimal,
        pa.types.is_null,
    )  # fmt: skip
    return any(check(kind) for check in checks)


def _list_of(kind: pa.DataType) -> pa.DataType | None:
    if pa.types.is_list(kind) or pa.types.is_large_list(kind):
        return kind.value_type
    return None


def _type_accepted(column: str, kind: pa.DataType, canonical: bool) -> str | None:
    """None if a column of this Arrow type is read as its field; else what is accepted."""
    if _scalar_type(kind):
        return None
    item = _list_of(kind)
    if canonical and column == "tags":
        return None if item is not None and _scalar_type(item) else "a list of text"
    if canonical and column == "sources":
        if item is not None and (
            _scalar_type(item)
            or (pa.types.is_struct(item) and all(_scalar_type(f.type) for f in item))
        ):
            return None
        return "a list of {name, url, date} records"
    return "text or a number"


def _checked_types(table: pa.Table, name: str, first_row: int) -> pa.Table:
    """The table without the columns nothing reads, after refusing a read column of a type
    its field cannot take (a list where text belongs, lists of lists): never cast, never
    turned into the text of the value. The first record holding such a value is named."""
    kind = _formats.detect(pd.Index(table.column_names))
    canonical = kind is None
    drop = []
    for column in table.column_names:
        accepted = _type_accepted(column, table.schema.field(column).type, canonical)
        if accepted is None:
            continue
        if canonical and column not in RAW_FIELDS and column.lower() not in _READ_TOO:
            drop.append(column)  # not read: ignored, as a CSV's extra columns are
            continue
        values = table.column(column)
        held = pc.indices_nonzero(pc.is_valid(values)) if values.null_count else pa.array([0])
        row = int(held[0].as_py()) if len(held) else 0
        value = _short(values[row].as_py()) if len(values) else NO_VALUE
        msg = (
            f"the column holds {table.schema.field(column).type}; accepted: {accepted}. "
            "Write the column as the field's type"
        )
        raise ValidationError([Problem(name, f"row {first_row + row + 1}", column, value, msg)])
    return table.drop_columns(drop) if drop else table


def _geoparquet_crs(column: Any, name: str) -> str | None:
    """The CRS of a GeoParquet geometry column (PROJJSON; absent means OGC:CRS84)."""
    given = column.get("crs") if isinstance(column, dict) else None
    if given is None:
        return None
    try:
        return CRS.from_json_dict(given).to_wkt() if isinstance(given, dict) else str(given)
    except Exception:  # pyproj raises CRSError, a broad family
        msg = "the GeoParquet metadata names a CRS that cannot be read; accepted: PROJJSON"
        raise _file_problem(name, msg) from None


def _points_of_wkb(column: Any, name: str) -> tuple[pa.Array, pa.Array, np.ndarray]:
    """x, y (null unless a finite point) and the geometry kind of each WKB value."""
    simple = _simple_wkb_points(column) if _twins.fast() else None
    if simple is not None:
        return simple
    import shapely

    try:
        geoms = shapely.from_wkb(column.to_numpy(zero_copy_only=False), on_invalid="ignore")
    except Exception:  # shapely raises GEOSException on bytes that are not WKB at all
        raise _file_problem(name, "the geometry column does not hold WKB geometries") from None
    kinds = np.asarray(shapely.get_type_id(geoms))
    names = np.array(["Point", "LineString", "LinearRing", "Polygon"] + ["Multi"] * 4 + ["?"] * 4)
    kind = np.where(kinds < 0, "missing", names[np.clip(kinds, 0, 11)]).astype(object)
    points = (kinds == 0) & ~shapely.is_empty(geoms)  # GEOS refuses x and y of POINT EMPTY
    x, y = np.full(len(kinds), np.nan), np.full(len(kinds), np.nan)
    x[points], y[points] = shapely.get_x(geoms[points]), shapely.get_y(geoms[points])
    kind[(kinds == 0) & ~(np.isfinite(x) & np.isfinite(y))] = "missing"  # POINT EMPTY
    return pa.array(x, from_pandas=True), pa.array(y, from_pandas=True), kind


#: Little-endian WKB of a 2D point: byte order 1, type 1, then x and y as float64.
_WKB_POINT_HEAD = b"\x01\x01\x00\x00\x00"


def _simple_wkb_points(column: Any) -> tuple[pa.Array, pa.Array, np.ndarray] | None:
    """:func:`_points_of_wkb` read straight from the bytes when every value is a
    little-endian 2D point (21 bytes), as GeoParquet writers make them; else None."""
    values = column.combine_chunks() if isinstance(column, pa.ChunkedArray) else column
    if not (pa.types.is_binary(values.type) or pa.types.is_large_binary(values.type)):
        return None
    n = len(values)
    if n == 0 or values.null_count or values.offset:
        return None
    offsets_buffer, data_buffer = values.buffers()[1:3]
    width = np.int64 if pa.types.is_large_binary(values.type) else np.int32
    offsets = np.frombuffer(offsets_buffer, dtype=width, count=n + 1)
    start = int(offsets[0])
    if not np.array_equal(offsets - start, np.arange(0, 21 * (n + 1), 21)):
        return None
    cells = np.frombuffer(data_buffer, dtype=np.uint8, count=21 * n, offset=start).reshape(n, 21)
    head = np.frombuffer(_WKB_POINT_HEAD, dtype=np.uint8)
    if not (cells[:, :5] == head).all():
        return None
    xy = np.ascontiguousarray(cells[:, 5:]).view("<f8")
    x, y = xy[:, 0].astype("float64"), xy[:, 1].astype("float64")
    finite = np.isfinite(x) & np.isfinite(y)
    kind = np.where(finite, "Point", "missing").astype(object)  # NaN: POINT EMPTY
    x, y = np.where(finite, x, np.nan), np.where(finite, y, np.nan)
    return pa.array(x, from_pandas=True), pa.array(y, from_pandas=True), kind


def _parquet_text(column: Any) -> pd.Series:
    """One Parquet column as text cells (``""`` where missing), computed on whole columns."""
    kind = column.type
    if pa.types.is_dictionary(kind):  # categoricals: their values
        column = pc.cast(column, kind.value_type)
        kind = kind.value_type
    if pa.types.is_timestamp(kind) or pa.types.is_date(kind):  # days repeat: once each
        text = _per_distinct_arrow(column, lambda days: pc.strftime(days, "%Y-%m-%d"))
    elif pa.types.is_boolean(kind):
        text = pc.if_else(column, "true", "false")
    elif pa.types.is_string(kind) or pa.types.is_large_string(kind):
        text = column
    elif pa.types.is_integer(kind) or pa.types.is_floating(kind):
        text = pc.cast(column, pa.string())
    else:  # lists (sources, tags) and anything else: JSON, once per distinct value
        return _json_per_distinct(column)
    return text_series(pc.fill_null(text, ""))


def _per_distinct_arrow(column: Any, convert: Any) -> Any:
    """``convert`` (Arrow array -> Arrow array) applied once per distinct value."""
    values = column.combine_chunks() if isinstance(column, pa.ChunkedArray) else column
    encoded = pc.dictionary_encode(values)
    return convert(encoded.dictionary).take(encoded.indices)


def _json_per_distinct(column: Any) -> pd.Series:
    """JSON text of each value (``""`` where missing), each distinct value serialised once."""
    values = column.combine_chunks() if isinstance(column, pa.ChunkedArray) else column
    codes, first = _first_of_each(_value_keys(values))
    texts = [json.dumps(values[int(i)].as_py(), default=str) for i in first]
    return expand([*texts, ""], codes)  # a missing value's code is len(texts)


def _first_of_each(keys: Any) -> tuple[np.ndarray, np.ndarray]:
    """A code per key (nulls: one past the last) and the first row holding each key."""
    if isinstance(keys, pa.Array):
        encoded = pc.dictionary_encode(keys)
        k = len(encoded.dictionary)
        codes = pc.fill_null(encoded.indices, k).to_numpy(zero_copy_only=False)
    else:
        codes, uniques = pd.factorize(pd.Series(keys, dtype=object), use_na_sentinel=True)
        k = len(uniques)
        codes = np.where(codes < 0, k, codes)
    codes = codes.astype(np.int64)
    first = np.empty(k + 1, dtype=np.int64)
    first[codes[::-1]] = np.arange(len(codes) - 1, -1, -1)  # the last write is the first row
    return codes, first[:k]


def _value_keys(values: Any) -> Any:
    """A key per value of a list column (an Arrow text array, null for a missing list,
    built by Arrow: no per-row Python); other columns: their JSON, value by value."""
    kind = values.type
    if pa.types.is_list(kind) or pa.types.is_large_list(kind):
        inner, parts = kind.value_type, [pc.cast(pc.list_value_length(values), pa.string())]
        flat = values.values
        fields = (
            [flat.field(i) for i in range(inner.num_fields)]
            if pa.types.is_struct(inner)
            else [flat]
        )
        for f in fields:
            as_text = pc.fill_null(pc.cast(f, pa.string()), "\x00")
            listed = type(values).from_arrays(values.offsets, as_text)
            parts.append(pc.binary_join(listed, "\x1f"))
        return pc.binary_join_element_wise(*parts, "\x1e")
    return np.array([json.dumps(v, default=str) for v in values.to_pylist()], dtype=object)


def _labels(prefix: str, numbers: Any) -> pd.Series:
    """``"line 2"``, ``"line 3"``, ... made from whole columns."""
    digits = pc.cast(pa.array(np.asarray(numbers, dtype=np.int64)), pa.string())
    return pd.Series(pc.binary_join_element_wise(prefix, digits, "").to_pandas(), dtype=TEXT)


def _unescape_formulas(table: pd.DataFrame) -> pd.DataFrame:
    """Undo the apostrophe :func:`geo.export.safe_cell` puts before a cell of the tool's own
    exports (a file with the :data:`geo.export.EXPORT_MARK` column): exactly one, from every
    text cell that starts with one, so ``'=1+1`` reads back as ``=1+1`` and ``''=x`` as
    ``'=x``. Other files are read as written."""
    for col in table.columns:
        values = table[col]
        starts = values.str.startswith("'")
        if starts.any():
            table[col] = values.where(~starts.fillna(False).astype(bool), values.str.slice(1))
    return table


def _raw_from_table(
    table: pd.DataFrame,
    where: Any,
    problems: list[Problem],
    name: str,
    crs: str | None,
    *,
    xy: tuple[np.ndarray, np.ndarray] | None = None,
) -> pd.DataFrame:
    """A raw frame from a table of text cells (a CSV file's, or a DataFrame's as text).

    ``xy``: the longitude and latitude as numbers when the reader has them (GeoParquet
    points), equal to their text in the table parsed, which is then not parsed again.
    """
    known = _formats.detect(table.columns)
    lat_col = _pick_column(table, LAT_ALIASES, name)
    lon_col = _pick_column(table, LON_ALIASES, name)
    lon_text, lat_text = table[lon_col].str.strip(), table[lat_col].str.strip()
    if known:  # an ACLED or UCDP export: map its columns and codes first
        table = _formats.READERS[known](table)
    missing = [f for f in REQUIRED if f not in table.columns]
    if missing:
        msg = f"missing required column(s) {missing}; the header has {list(table.columns)}"
        raise _file_problem(name, msg)
    raw = pd.DataFrame(
        {f: _raw_column(table, f) for f in RAW_FIELDS}, index=table.index, copy=False
    )
    raw["sources"] = _csv_sources(table)
    del table
    if xy is None:
        raw["_lon"], raw["_lat"] = _numbers(lon_text), _numbers(lat_text)
    else:
        raw["_lon"], raw["_lat"] = xy
    bad_xy = (raw["_lon"].isna() | raw["_lat"].isna()).to_numpy()
    has_text = ((lon_text != "") | (lat_text != "")).to_numpy()
    kind = np.where(bad_xy & has_text, 2, np.where(bad_xy, 1, 0))
    raw["_geom_type"] = expand(["Point", "missing", "non-numeric"], kind, raw.index)
    raw["_raw_lon"], raw["_raw_lat"] = lon_text, lat_text  # as written, for messages
    raw["_where"] = where
    raw.attrs["maybe_surrogates"] = name.endswith(">")  # a file decoded from UTF-8 has none
    raw.attrs["file_problems"] = problems
    if known:  # problems name the user's columns
        raw.attrs["columns_read"] = {
            **_formats.COLUMNS_READ[known],
            "geometry": f"{lat_col}/{lon_col}",
        }
    return _reproject(raw, crs, name)


def _raw_column(table: pd.DataFrame, f: str) -> pd.Series:
    """A field of the raw frame: missing where empty (or absent); Arrow text stays Arrow
    text, sharing its buffers (only the validity bitmap is new)."""
    if f not in table:
        return missing_text(len(table), table.index)
    values = table[f]
    arrow = arrow_text(values)
    if arrow is not None:
        return text_series(blank_as_missing(arrow), table.index)
    return values.where(values != "", None).astype(object)


#: Coordinates written as plain decimals, which Arrow's parser reads to the same float as
#: :func:`pandas.to_numeric` (both round correctly); any other form is left to pandas.
_PLAIN_DECIMAL = r"^-?[0-9]+(\.[0-9]+)?$"


def _numbers(text: pd.Series) -> pd.Series:
    """Stripped text as float64, NaN where empty or not a number (as ``pd.to_numeric``)."""
    arrow = arrow_text(text)
    if arrow is not None:
        values = blank_as_missing(arrow)
        plain = pc.match_substring_regex(values, _PLAIN_DECIMAL)
        if pc.all(pc.fill_null(plain, True)).as_py() is not False:
            try:
                parsed = pc.cast(values, pa.float64()).to_numpy(zero_copy_only=False)
            except pa.ArrowInvalid:  # beyond float range: pandas decides, as before
                pass
            else:
                return pd.Series(parsed, index=text.index, dtype="float64")
    return pd.to_numeric(text, errors="coerce").astype("float64")


def _csv_records(text: str, name: str) -> tuple[pd.DataFrame, list[int], list[Problem]]:
    """The CSV as a text table, the physical line each record starts on, and row problems.

    Read with the :mod:`csv` module in strict mode so that line numbers are the lines an
    editor shows (blank lines and quoted line breaks included), a row with more or fewer
    fields than the header is reported instead of shifted, and a quote left open is named
    with the lines it swallowed.
    """
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    header: list[str] | None = None
    records: list[list[str]] = []
    lines: list[int] = []
    problems: list[Problem] = []
    end = 0
    while True:
        start = end + 1
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            raise _file_problem(name, _csv_error(exc, start, reader.line_num)) from None
        end = reader.line_num
        if not row or (len(row) == 1 and not row[0].strip()):
            continue  # a blank line
        if header is None:
            header = _csv_header(row, name)
            continue
        problem = _row_problem(row, len(header), name, start, end)
        if problem is not None:
            problems.append(problem)
            continue
        records.append(row[: len(header)])
        lines.append(start)
    if header is None:
        raise _file_problem(name, "file is empty; expected a GeoJSON FeatureCollection or a CSV")
    if not records and not problems:
        raise _file_problem(name, "the CSV has a header but no rows; nothing to read")
    table = pd.DataFrame(records, columns=header, dtype=object).fillna("").astype(TEXT)
    return table, lines, problems


def _csv_error(exc: csv.Error, start: int, end: int) -> str:
    text = str(exc)
    if "unexpected end of data" in text or "EOF" in text:
        return (
            f"a quoted value opened at line {start} is never closed; lines {start}-{end} "
            "(the rest of the file) would be read as one value. Close the quote"
        )
    if "field larger than field limit" in text:
        return (
            f"line {start}: a value is longer than {LIMITS.max_field_chars:,} characters "
            "(often a quote that is never closed)"
        )
    return f"line {end}: malformed CSV ({text}); check the quotes on that line"


def _csv_header(row: list[str], name: str) -> list[str]:
    header = [c.strip() for c in row]
    _check_unique(header, name, ", after trimming spaces")
    return [c if c else f"_unnamed_{i}" for i, c in enumerate(header, start=1)]


def _check_unique(columns: Sequence[str], name: str, how: str = "") -> None:
    """Refuse a file (CSV header, Parquet schema) that names a column twice."""
    seen: dict[str, int] = {}
    for i, col in enumerate(columns, start=1):
        if col and col in seen:
            msg = (
                f"column {col!r} appears twice (columns {seen[col]} and {i}{how}); each "
                "column name must appear once"
            )
            raise _file_problem(name, msg)
        seen[col] = i


def _row_problem(row: list[str], width: int, name: str, start: int, end: int) -> Problem | None:
    where = f"line {start}"
    if len(row) > width and not any(v.strip() for v in row[width:]):
        row = row[:width]  # trailing empty fields (a spreadsheet's extra commas): no meaning lost
    if len(row) != width:
        msg = (
            f"has {len(row)} fields but the header has {width}; a value holding a comma "
            "must be quoted"
        )
        return Problem(name, where, "", _short(row), msg)
    if end > start:  # quoted line breaks: fine in a summary, suspicious if rows were swallowed
        for value in row:
            swallowed = [ln for ln in value.splitlines()[1:] if ln.count(",") >= width - 1]
            if swallowed:
                msg = (
                    f"one value runs over lines {start}-{end} and holds what look like whole "
                    "records; is a quote left open? Those lines were not read as events"
                )
                return Problem(name, where, "", swallowed[0][:80], msg)
    return None


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
        return _raw_column(table, "sources")
    if "source_name" not in table and "source_url" not in table:
        return missing_text(len(table), table.index)
    # JSON text like a ``sources`` column, made once per distinct (name, url, date)
    fields = ("name", "url", "date")
    codes, rows = distinct_rows(table, tuple(f"source_{k}" for k in fields))
    empty = pd.Series("", index=rows.index, dtype=TEXT)
    cols = [rows.get(f"source_{k}", empty).astype(TEXT).fillna("") for k in fields]
    texts = [
        json.dumps([{k: v for k, v in zip(fields, given, strict=True) if v}])
        if any(given)
        else None
        for given in zip(*cols, strict=True)
    ]
    return expand(texts, codes, table.index)


def _to_canonical(typed: pd.DataFrame, name: str) -> gpd.GeoDataFrame:
    data = {col: typed[col] for col in COLUMNS if col not in ORIGIN_COLUMNS}
    frame = pd.DataFrame(data, copy=False).reset_index(drop=True)
    frame["origin_file"] = text_series(pa.repeat(pa.scalar(name, pa.large_string()), len(frame)))
    frame["origin_record"] = typed["_where"].astype("str").reset_index(drop=True)
    frame = frame.astype(COLUMNS)
    geometry = gpd.points_from_xy(typed["_lon"].to_numpy(), typed["_lat"].to_numpy())
    return gpd.GeoDataFrame(frame, geometry=geometry, crs="EPSG:4326")
