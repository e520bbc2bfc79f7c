"""Readers: GeoJSON and CSV into the canonical table, reprojection, file-level errors."""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from geopandas.testing import assert_geodataframe_equal
from pyproj import Transformer

from geo import events
from geo._errors import ValidationError
from geo.cli import main
from geo.events import load_events, read_events
from geo.export import write_events
from geo.schema import COLUMNS

KABUL = (69.17, 34.53)
SHIPPED = Path(__file__).resolve().parents[1] / "data" / "events.geojson"
ORIGIN = ["origin_file", "origin_record"]


def _to_3857(lon: float, lat: float) -> tuple[float, float]:
    return Transformer.from_crs("EPSG:4326", "EPSG:3857", always_xy=True).transform(lon, lat)


def _write_csv(path: Path, header: list[str], rows: list[list[object]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(header)
        w.writerows(rows)
    return path


def _csv_of(
    props: dict, lon: float, lat: float, lat_name: str = "latitude", lon_name: str = "longitude"
):
    """Header and row of a CSV that says the same as ``props`` at (lon, lat)."""
    flat = {k: v for k, v in props.items() if k not in ("sources", "tags")}
    (src,) = props["sources"]
    flat.update({f"source_{k}": v for k, v in src.items()})
    flat["tags"] = ",".join(props["tags"])
    flat[lat_name] = repr(lat)
    flat[lon_name] = repr(lon)
    return list(flat), [list(flat.values())]


# --------------------------------------------------------------------------------------
# The canonical form
# --------------------------------------------------------------------------------------


def test_geojson_reads_into_canonical_columns_dtypes_and_crs(tmp_events, good_props):
    path = tmp_events([(good_props, KABUL)])
    report = read_events(path)

    ev = report.events
    assert report.problems == []
    assert report.n_read == 1
    assert report.n_rejected == 0
    assert list(ev.columns) == [*COLUMNS, "geometry"]
    assert {c: str(ev[c].dtype) for c in COLUMNS} == COLUMNS
    assert ev.crs is not None
    assert ev.crs.to_epsg() == 4326
    assert ev.geometry.name == "geometry"

    row = ev.iloc[0]
    assert row["event_id"] == "AFG-2022-0001"
    assert row["date_start"] == pd.Timestamp("2022-03-10")
    assert row["date_end"] == pd.Timestamp("2022-03-11")
    assert row["date_precision"] == "day"
    assert row["geo_precision"] == "district"
    assert [row[f] for f in ("fatalities_low", "fatalities_best", "fatalities_high")] == [1, 2, 3]
    assert [row[f] for f in ("injured_low", "injured_best", "injured_high")] == [0, 4, 6]
    assert tuple(row["sources"]) == (
        {"name": "Test Wire", "url": "https://example.org/a", "date": "2022-03-12"},
    )
    assert tuple(row["tags"]) == ("cross-border", "shelling")
    assert (row["origin_file"], row["origin_record"]) == (str(path), "feature 1")
    assert (row.geometry.x, row.geometry.y) == KABUL


def test_missing_optional_fields_get_canonical_defaults(tmp_events):
    path = tmp_events([{"event_id": "E1", "date_start": "2022-05-01", "event_type": "battles"}])
    ev = read_events(path).events
    row = ev.iloc[0]
    assert row["event_type"] == "Battles"  # case-normalised to the ACLED spelling
    assert row["sub_event_type"] == ""
    assert row["summary"] == ""
    assert row["geo_precision"] == "exact"
    assert row["date_precision"] == "day"
    assert row["date_end"] == pd.Timestamp("2022-05-01")
    assert pd.isna(row["fatalities_best"])
    assert tuple(row["sources"]) == ()
    assert tuple(row["tags"]) == ()
    assert {c: str(ev[c].dtype) for c in COLUMNS} == COLUMNS


@pytest.mark.parametrize(
    ("lat_name", "lon_name"),
    [
        ("latitude", "longitude"),
        ("lat", "lon"),
        ("Latitude", "Longitude"),
        ("lat", "lng"),
        ("y", "x"),
    ],
)
def test_csv_reads_the_same_as_geojson(tmp_path, tmp_events, good_props, lat_name, lon_name):
    gj = read_events(tmp_events([(good_props, KABUL)]))
    header, rows = _csv_of(good_props, *KABUL, lat_name=lat_name, lon_name=lon_name)
    csv_path = _write_csv(tmp_path / "events.csv", header, rows)
    cs = read_events(csv_path)

    assert cs.problems == []
    assert list(cs.events.columns) == [*COLUMNS, "geometry"]
    assert {c: str(cs.events[c].dtype) for c in COLUMNS} == COLUMNS
    assert cs.events["origin_record"].tolist() == ["line 2"]
    assert cs.events["origin_file"].tolist() == [str(csv_path)]
    assert_geodataframe_equal(
        gj.events.drop(columns=["origin_file", "origin_record"]),
        cs.events.drop(columns=["origin_file", "origin_record"]),
        check_less_precise=False,
    )


def test_geojson_crs_member_3857_is_reprojected(tmp_events, good_props):
    x, y = _to_3857(*KABUL)
    path = tmp_events([(good_props, (x, y))], crs="EPSG:3857")
    report = read_events(path)
    assert report.problems == []
    pt = report.events.geometry.iloc[0]
    assert report.events.crs.to_epsg() == 4326
    assert pt.x == pytest.approx(KABUL[0], abs=1e-6)
    assert pt.y == pytest.approx(KABUL[1], abs=1e-6)


def test_geojson_crs_member_ogc_urn_is_reprojected(tmp_events, good_props):
    x, y = _to_3857(*KABUL)
    path = tmp_events([(good_props, (x, y))], crs="urn:ogc:def:crs:EPSG::3857")
    pt = read_events(path).events.geometry.iloc[0]
    assert (pt.x, pt.y) == pytest.approx(KABUL, abs=1e-6)


def test_csv_with_crs_argument_is_reprojected(tmp_path, good_props):
    x, y = _to_3857(*KABUL)
    header, rows = _csv_of(good_props, x, y, "lat", "lon")
    path = _write_csv(tmp_path / "m.csv", header, rows)
    report = read_events(path, crs="EPSG:3857")
    assert report.problems == []
    pt = report.events.geometry.iloc[0]
    assert report.events.crs.to_epsg() == 4326
    assert (pt.x, pt.y) == pytest.approx(KABUL, abs=1e-6)


def test_csv_3857_without_crs_is_rejected_as_out_of_range(tmp_path, good_props):
    x, y = _to_3857(*KABUL)
    header, rows = _csv_of(good_props, x, y)
    report = read_events(_write_csv(tmp_path / "m.csv", header, rows))
    assert len(report.events) == 0
    assert [p.field for p in report.problems] == ["latitude", "longitude"]


def test_unknown_crs_is_a_file_problem(tmp_events, good_props):
    path = tmp_events([good_props], crs="EPSG:999999")
    with pytest.raises(
        ValidationError, match=rf"{re.escape(str(path))}: file: 'EPSG:999999': unknown CRS"
    ):
        read_events(path)


# --------------------------------------------------------------------------------------
# Several files
# --------------------------------------------------------------------------------------


def test_load_events_reports_duplicate_ids_across_files(tmp_events, good_props):
    a = tmp_events(
        [{**good_props, "event_id": "A1"}, {**good_props, "event_id": "A2"}], name="a.geojson"
    )
    b = tmp_events(
        [{**good_props, "event_id": "B1"}, {**good_props, "event_id": "A2"}], name="b.geojson"
    )
    report = load_events([a, b])

    assert report.events["event_id"].tolist() == ["A1", "A2", "B1"]
    origins = report.events[["origin_file", "origin_record"]].itertuples(index=False)
    assert [tuple(o) for o in origins] == [
        (str(a), "feature 1"),
        (str(a), "feature 2"),
        (str(b), "feature 1"),
    ]
    assert report.n_read == 4
    assert report.n_rejected == 1
    (p,) = report.problems
    assert (p.file, p.where, p.field, p.value) == (str(b), "feature 2", "event_id", "A2")
    assert p.severity == "error"
    assert f"first seen at {a}: feature 2" in p.message
    assert "across files" in p.message
    assert report.events.crs.to_epsg() == 4326
    assert {c: str(report.events[c].dtype) for c in COLUMNS} == COLUMNS


def test_load_events_strict_raises_on_duplicate_across_files(tmp_events, good_props):
    a = tmp_events([{**good_props, "event_id": "A1"}], name="a.geojson")
    b = tmp_events([{**good_props, "event_id": "A1"}], name="b.geojson")
    with pytest.raises(ValidationError, match=r"duplicate event_id across files") as exc:
        load_events([a, b], strict=True)
    assert [(p.file, p.where) for p in exc.value.problems] == [(str(b), "feature 1")]


def test_load_events_problems_are_in_file_order(tmp_events, good_props):
    """LoadReport.problems is documented as "in file order"."""
    a = tmp_events([{**good_props, "event_id": "A1"}], name="a.geojson")
    b = tmp_events(
        [{**good_props, "event_id": "A1"}, {**good_props, "event_id": "B2", "date_start": "nope"}],
        name="b.geojson",
    )
    c = tmp_events([{**good_props, "event_id": "C1", "country": "Pakistan"}], name="c.geojson")
    report = load_events([a, b, c])
    assert [(p.file, p.where, p.field) for p in report.problems] == [
        (str(b), "feature 1", "event_id"),
        (str(b), "feature 2", "date_start"),
        (str(c), "feature 1", "country"),
    ]


def test_load_events_of_no_valid_rows_is_empty_canonical(tmp_events, good_props):
    path = tmp_events([{**good_props, "date_start": "bad"}])
    report = load_events([path])
    assert len(report.events) == 0
    assert list(report.events.columns) == [*COLUMNS, "geometry"]
    assert report.n_rejected == 1


# --------------------------------------------------------------------------------------
# Date forms
# --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("date_start", "date_end", "start", "end", "precision"),
    [
        ("2022-03-10", None, "2022-03-10", "2022-03-10", "day"),
        ("2022-02", None, "2022-02-01", "2022-02-28", "month"),
        ("2024-02", None, "2024-02-01", "2024-02-29", "month"),
        ("2021-12", None, "2021-12-01", "2021-12-31", "month"),
        ("2021", None, "2021-01-01", "2021-12-31", "year"),
        ("2022-03-10T14:30:00Z", None, "2022-03-10", "2022-03-10", "day"),
        ("2022-03-10", "2022-03", "2022-03-10", "2022-03-31", "day"),
        ("2022", "2022-06", "2022-01-01", "2022-06-30", "year"),
        ("2022-03-10", "2022-04-02", "2022-03-10", "2022-04-02", "day"),
    ],
)
def test_date_forms_give_date_end_and_precision(
    tmp_events, date_start, date_end, start, end, precision
):
    props = {"event_id": "E1", "date_start": date_start, "event_type": "Battles"}
    if date_end is not None:
        props["date_end"] = date_end
    report = read_events(tmp_events([props]))
    assert report.problems == []
    row = report.events.iloc[0]
    assert row["date_start"] == pd.Timestamp(start)
    assert row["date_end"] == pd.Timestamp(end)
    assert row["date_precision"] == precision


def test_declared_month_precision_extends_a_day_date_to_month_end(tmp_events):
    props = {
        "event_id": "E1",
        "date_start": "2022-03-10",
        "date_precision": "Month",
        "event_type": "Riots",
    }
    row = read_events(tmp_events([props])).events.iloc[0]
    assert row["date_precision"] == "month"
    assert row["date_end"] == pd.Timestamp("2022-03-31")


# --------------------------------------------------------------------------------------
# File-level errors: each one names the file
# --------------------------------------------------------------------------------------


def _raises_about(path: Path, pattern: str, exc: type[Exception] = ValidationError):
    return pytest.raises(exc, match=rf"{re.escape(str(path))}: file: .*{pattern}")


def test_missing_file(tmp_path):
    path = tmp_path / "nope.geojson"
    with _raises_about(path, r"file not found") as info:
        read_events(path)
    (p,) = info.value.problems
    assert (p.file, p.where, p.field) == (str(path), "file", "")


def test_directory_instead_of_file(tmp_path):
    path = tmp_path / "dir.geojson"
    path.mkdir()
    with _raises_about(path, r"is a directory"):
        read_events(path)


@pytest.mark.parametrize(
    "content",
    [b"", b"   \n\t\r\n  ", b"\xef\xbb\xbf"],
    ids=["empty", "whitespace-only", "utf8-bom-only"],
)
@pytest.mark.parametrize("suffix", [".geojson", ".csv"])
def test_empty_file(tmp_path, content, suffix):
    path = tmp_path / f"empty{suffix}"
    path.write_bytes(content)
    with _raises_about(path, r"file is empty"):
        read_events(path)


def test_invalid_json_mentions_line_and_column(tmp_path):
    path = tmp_path / "broken.geojson"
    path.write_text('{"type": "FeatureCollection",\n  "features": [,]}\n', encoding="utf-8")
    with _raises_about(path, r"invalid JSON at line 2, column 16"):
        read_events(path)


def test_not_utf8_says_utf8(tmp_path, good_props):
    path = tmp_path / "latin1.geojson"
    doc = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "properties": {**good_props, "location": "Caf\u00e9 Peshawar"},
                "geometry": {"type": "Point", "coordinates": [71.5, 34.0]},
            }
        ],
    }
    path.write_bytes(json.dumps(doc, ensure_ascii=False).encode("latin-1"))
    with _raises_about(path, r"not valid UTF-8 text \(byte offset \d+\); accepted encoding: UTF-8"):
        read_events(path)


def test_not_utf8_csv(tmp_path):
    path = tmp_path / "latin1.csv"
    path.write_bytes(
        "event_id,date_start,event_type,lat,lon\nE1,2022,Battles,34,71\u00e9\n".encode("latin-1")
    )
    with _raises_about(path, r"accepted encoding: UTF-8"):
        read_events(path)


def test_utf8_bom_is_accepted(tmp_path, good_props):
    path = tmp_path / "bom.geojson"
    doc = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "properties": good_props,
                "geometry": {"type": "Point", "coordinates": [71, 34]},
            }
        ],
    }
    path.write_bytes(b"\xef\xbb\xbf" + json.dumps(doc).encode("utf-8"))
    assert read_events(path).events["event_id"].tolist() == ["AFG-2022-0001"]


@pytest.mark.parametrize(
    ("doc", "shown"),
    [
        ({"type": "Topology", "objects": {}}, "'Topology'"),
        ([{"type": "Feature"}], "'list'"),
        ({"type": "GeometryCollection", "geometries": []}, "'GeometryCollection'"),
    ],
)
def test_not_a_feature_collection(tmp_path, doc, shown):
    path = tmp_path / "other.geojson"
    path.write_text(json.dumps(doc), encoding="utf-8")
    with _raises_about(path, r"expected a GeoJSON FeatureCollection") as info:
        read_events(path)
    assert shown in str(info.value)


def test_features_not_a_list(tmp_path):
    path = tmp_path / "f.geojson"
    path.write_text('{"type": "FeatureCollection", "features": {}}', encoding="utf-8")
    with _raises_about(path, r"'features' must be a list"):
        read_events(path)


def test_no_features(tmp_path):
    path = tmp_path / "none.geojson"
    path.write_text('{"type": "FeatureCollection", "features": []}', encoding="utf-8")
    with _raises_about(path, r"has no features; nothing to read"):
        read_events(path)


def test_csv_missing_required_columns(tmp_path):
    path = _write_csv(tmp_path / "m.csv", ["event_id", "lat", "lon"], [["E1", "34", "70"]])
    with _raises_about(path, r"missing required column\(s\) \['date_start', 'event_type'\]"):
        read_events(path)


def test_csv_without_latitude_lists_accepted_names(tmp_path):
    path = _write_csv(
        tmp_path / "m.csv",
        ["event_id", "date_start", "event_type", "lon"],
        [["E1", "2022", "Battles", "70"]],
    )
    with _raises_about(path, r"no latitude column; accepted column names: latitude, lat, y"):
        read_events(path)


def test_csv_without_longitude_lists_accepted_names(tmp_path):
    path = _write_csv(
        tmp_path / "m.csv",
        ["event_id", "date_start", "event_type", "lat"],
        [["E1", "2022", "Battles", "34"]],
    )
    with _raises_about(
        path, r"no longitude column; accepted column names: longitude, lon, lng, long, x"
    ):
        read_events(path)


def test_csv_header_only(tmp_path):
    path = _write_csv(
        tmp_path / "m.csv", ["event_id", "date_start", "event_type", "lat", "lon"], []
    )
    with _raises_about(path, r"header but no rows"):
        read_events(path)


def test_csv_non_numeric_coordinates_are_a_row_problem(tmp_path):
    path = _write_csv(
        tmp_path / "m.csv",
        ["event_id", "date_start", "event_type", "lat", "lon"],
        [["E1", "2022", "Battles", "34N", "70E"], ["E2", "2022", "Battles", "34", "70"]],
    )
    report = read_events(path)
    assert report.events["event_id"].tolist() == ["E2"]
    (p,) = report.problems
    assert (p.where, p.field, p.value) == ("line 2", "geometry", ("70E", "34N"))
    assert "must be numbers" in p.message


@pytest.mark.parametrize("suffix", [".txt", ".shp", ".xlsx"])
def test_unsupported_extension(tmp_path, suffix):
    path = tmp_path / f"events{suffix}"
    path.write_text("event_id\nE1\n", encoding="utf-8")
    # a file-level problem like any other, so `geo validate` goes on to the next file
    with pytest.raises(
        ValidationError,
        match=rf"{re.escape(str(path))}: file: unsupported file type '\{suffix}'; "
        r"accepted: \.geojson, \.json, \.csv",
    ):
        read_events(path)


def test_json_extension_is_accepted(tmp_path, good_props):
    path = tmp_path / "events.json"
    path.write_text(
        json.dumps(
            {
                "type": "FeatureCollection",
                "features": [
                    {
                        "type": "Feature",
                        "properties": good_props,
                        "geometry": {"type": "Point", "coordinates": [71, 34]},
                    }
                ],
            }
        ),
        encoding="utf-8",
    )
    assert len(read_events(path).events) == 1


# ---------------------------------------------------------------- (Geo)Parquet


def test_geoparquet_reads_the_same_events_as_the_geojson(tmp_path) -> None:
    geojson = read_events(SHIPPED)
    path = write_events(geojson.events, tmp_path / "events.parquet")
    back = read_events(path)
    assert back.problems == []
    pd.testing.assert_frame_equal(
        geojson.events.drop(columns=ORIGIN), back.events.drop(columns=ORIGIN)
    )
    assert (back.events["origin_file"].iat[0], back.events["origin_record"].iat[0]) == (
        str(path),
        "row 1",
    )


def test_plain_parquet_with_latitude_and_longitude(tmp_path) -> None:
    geojson = read_events(SHIPPED).events
    path = tmp_path / "plain.parquet"
    table = pd.DataFrame(
        {
            "event_id": geojson["event_id"],
            "date_start": geojson["date_start"],
            "event_type": geojson["event_type"],
            "latitude": geojson.geometry.y,
            "longitude": geojson.geometry.x,
        }
    )
    pq.write_table(pa.Table.from_pandas(table, preserve_index=False), path)
    back = read_events(path)
    assert back.problems == []
    assert back.events["event_id"].tolist() == geojson["event_id"].tolist()
    assert (back.events.geometry.x - geojson.geometry.x).abs().max() < 1e-9


def test_parquet_problems_name_the_row(tmp_path) -> None:
    path = tmp_path / "bad.parquet"
    table = pa.table(
        {
            "event_id": ["E1", "E2"],
            "date_start": ["2025-10-12", "2025-02-30"],
            "event_type": ["Battles", "Battles"],
            "latitude": [34.8, 34.8],
            "longitude": [71.0, 71.0],
        }
    )
    pq.write_table(table, path)
    (problem,) = read_events(path).problems
    assert (problem.where, problem.field) == ("row 2", "date_start")


def test_a_file_that_is_not_parquet_is_a_file_error(tmp_path) -> None:
    path = tmp_path / "x.parquet"
    path.write_text("event_id\nE1\n")
    with pytest.raises(ValidationError, match=r"x\.parquet: file: cannot be read as Parquet"):
        read_events(path)


def test_parquet_over_the_size_limit_is_refused(tmp_path, monkeypatch) -> None:
    from geo._io import LIMITS

    path = write_events(read_events(SHIPPED).events, tmp_path / "events.parquet")
    monkeypatch.setattr(LIMITS, "max_input_bytes", 100)
    with pytest.raises(ValidationError, match=r"over the 0 MB limit"):
        read_events(path)


def _wkb(geoms) -> pa.Array:
    import shapely

    return pa.array(shapely.to_wkb(geoms, byte_order=1), pa.binary())


def test_plain_wkb_points_read_from_the_bytes_equal_shapely(monkeypatch) -> None:
    import shapely

    points = shapely.points([71.5, 0.0, np.nan, 1e300], [34.25, -0.0, np.nan, -1e300])
    column = _wkb(points)
    fast = events._simple_wkb_points(column)
    assert fast is not None
    monkeypatch.setattr(events, "_simple_wkb_points", lambda column: None)
    exact = events._points_of_wkb(column, "x")
    for a, b in zip(fast[:2], exact[:2], strict=True):
        assert a.equals(b)
    assert fast[2].tolist() == exact[2].tolist() == ["Point", "Point", "missing", "Point"]


@pytest.mark.parametrize(
    "column",
    [
        pa.array([b"\x00\x00\x00\x00\x01" + bytes(16)], pa.binary()),  # big-endian
        pa.array([None], pa.binary()),
        pa.array([b"\x01\x02\x00\x00\x00" + bytes(16)], pa.binary()),  # not a point
    ],
)
def test_other_wkb_is_left_to_shapely(column) -> None:
    assert events._simple_wkb_points(column) is None


def test_a_line_in_geoparquet_is_named_on_the_fast_and_shapely_paths(tmp_path) -> None:
    import shapely

    geojson = read_events(SHIPPED).events.head(3)
    path = write_events(geojson, tmp_path / "events.parquet")
    table = pq.read_table(path)
    geometry = [shapely.Point(71, 34), shapely.LineString([(0, 0), (1, 1)]), shapely.Point()]
    column = table.schema.get_field_index("geometry")
    table = table.set_column(column, table.schema.field(column), _wkb(geometry))
    pq.write_table(table, path)
    found = read_events(path).problems
    assert [(p.where, p.field) for p in found] == [("row 2", "geometry"), ("row 3", "geometry")]


def test_a_missing_list_in_parquet_does_not_shift_the_others(tmp_path) -> None:
    path = tmp_path / "tags.parquet"
    table = pa.table(
        {
            "event_id": ["E1", "E2", "E3", "E4"],
            "date_start": ["2025-10-12"] * 4,
            "event_type": ["Battles"] * 4,
            "latitude": [34.8] * 4,
            "longitude": [71.0] * 4,
            "tags": pa.array([["a"], None, ["b"], ["a"]], pa.list_(pa.string())),
        }
    )
    pq.write_table(table, path)
    ev = read_events(path).events
    assert ev["tags"].tolist() == [("a",), (), ("b",), ("a",)]


def test_parquet_dates_are_days_once_per_distinct_value() -> None:
    stamps = pa.chunked_array(
        [
            pa.array([0, 86_400, None], pa.timestamp("s")),
            pa.array([0, 3 * 86_400], pa.timestamp("s")),
        ]
    )
    got = events._parquet_text(stamps).tolist()
    assert got == ["1970-01-01", "1970-01-02", "", "1970-01-01", "1970-01-04"]


def test_enrich_writes_geoparquet_that_round_trips(tmp_path) -> None:
    out = tmp_path / "enriched.parquet"
    assert main(["enrich", str(SHIPPED), "--out", str(out), "--quiet"]) == 0
    schema = pq.read_schema(out)
    assert b"geo" in schema.metadata
    assert pa.types.is_list(schema.field("sources").type)
    assert pa.types.is_list(schema.field("tags").type)
    shipped, back = read_events(SHIPPED).events, read_events(out).events
    pd.testing.assert_frame_equal(
        shipped.drop(columns=ORIGIN), back[shipped.columns].drop(columns=ORIGIN)
    )
