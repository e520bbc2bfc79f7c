"""The Arrow load path: the fast CSV reader against the exact one, (Geo)Parquet in and out,
the warning summary, the report file and the progress display."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from geo import _arrowcsv, events
from geo._errors import Problem, ValidationError
from geo._summary import SHOWN, report_text, summarise
from geo.cli import main
from geo.events import read_events
from geo.export import write_events

ROOT = Path(__file__).resolve().parents[1]
SHIPPED = ROOT / "data" / "events.geojson"

ORIGIN = ["origin_file", "origin_record"]


def _same(a, b) -> None:
    """Two LoadReports hold the same events, the same problems and the same counts."""
    assert a.n_read == b.n_read
    assert [str(p) for p in a.problems] == [str(p) for p in b.problems]
    pd.testing.assert_frame_equal(a.events, b.events)


def _both_paths(path: Path, monkeypatch):
    fast = read_events(path)
    monkeypatch.setattr(events, "read_simple_csv", lambda data: None)
    exact = read_events(path)
    monkeypatch.undo()
    return fast, exact


def _export_csv(tmp_path: Path) -> Path:
    return write_events(read_events(SHIPPED).events, tmp_path / "shipped.csv")


# ---------------------------------------------------------------- fast and exact CSV readers


def test_a_simple_csv_takes_the_arrow_path(tmp_path) -> None:
    path = _export_csv(tmp_path)
    assert _arrowcsv.read_simple_csv(path.read_bytes()) is not None


def test_fast_and_exact_readers_give_identical_reports(tmp_path, monkeypatch) -> None:
    path = _export_csv(tmp_path)
    fast, exact = _both_paths(path, monkeypatch)
    _same(fast, exact)
    assert len(fast.events) == 91


def test_acled_export_reads_the_same_on_both_paths(monkeypatch) -> None:
    _same(*_both_paths(ROOT / "tests" / "data" / "acled_export.csv", monkeypatch))


BAD_ROWS = [
    "E2,2025-13-01,Battles,34.8,71.0",  # impossible date
    "E3,2025-10-12,Bombing,34.8,71.0",  # unknown type
    "E4,2025-10-12,Battles,north,71.0",  # non-numeric coordinates
    'E5,2025-10-12,"Battles",95,71.0',  # quoted, latitude out of range
    "E1,2025-10-12,Battles,34.8,71.0",  # duplicate id
]


def test_problems_are_the_same_on_both_paths(tmp_path, monkeypatch) -> None:
    path = tmp_path / "bad.csv"
    rows = ["event_id,date_start,event_type,latitude,longitude", "E1,2025-10-12,Battles,34.8,71"]
    path.write_text("\n".join([*rows, *BAD_ROWS]) + "\n", encoding="utf-8")
    assert _arrowcsv.read_simple_csv(path.read_bytes()) is not None
    fast, exact = _both_paths(path, monkeypatch)
    _same(fast, exact)
    assert [p.where for p in fast.problems] == ["line 3", "line 4", "line 5", "line 6", "line 7"]


@pytest.mark.parametrize(
    "body",
    [
        "E1,2025-10-12,Battles,34.8,71\n\nE2,2025-10-12,Battles,34.8,71\n",  # blank line
        'E1,2025-10-12,"Bat\ntles",34.8,71\n',  # quoted line break
        "E1,2025-10-12,Battles,34.8\n",  # ragged row
        'E1,2025-10-12,"Battles"x,34.8,71\n',  # text after a closing quote
        "E1,2025-10-12,Battles,34.8,71\rE2,2025-10-12,Battles,34.8,71\r",  # old Mac line ends
        "E1,2025-10-12,Battles,34.8,71,,\n",  # a spreadsheet's trailing commas
    ],
)
def test_files_that_are_not_simple_take_the_exact_reader(tmp_path, monkeypatch, body) -> None:
    path = tmp_path / "odd.csv"
    path.write_text("event_id,date_start,event_type,latitude,longitude\n" + body, newline="")
    assert _arrowcsv.read_simple_csv(path.read_bytes()) is None
    try:
        exact = read_events(path)
    except ValidationError as exc:  # a file error of the exact reader, naming the line
        assert "line 2" in str(exc)
        return
    assert exact.n_read >= 1


def test_duplicate_columns_are_a_file_error_on_the_fast_path(tmp_path) -> None:
    path = tmp_path / "dup.csv"
    path.write_text("event_id,date_start,event_type,latitude,latitude\nE1,2025,Battles,1,2\n")
    assert _arrowcsv.read_simple_csv(path.read_bytes()) is not None
    with pytest.raises(ValidationError, match=r"column 'latitude' appears twice"):
        read_events(path)


def test_the_fast_path_hands_pandas_the_arrow_text_uncopied(tmp_path) -> None:
    path = _export_csv(tmp_path)
    header, table = _arrowcsv.read_simple_csv(path.read_bytes())
    column = table.column(header.index("summary"))
    assert pa.types.is_large_string(column.type)
    series = _arrowcsv.text_series(column)
    assert _arrowcsv.arrow_text(series).chunk(0).buffers()[2].address == (
        column.chunk(0).buffers()[2].address
    )


@pytest.mark.parametrize("sliced", [False, True])
def test_blank_as_missing_keeps_the_text_and_blanks_only_empty_cells(sliced) -> None:
    values = ["a", "", None, " ", "b", "", "c"]
    chunks = [pa.array(values, pa.large_string()), pa.array(["", "d"], pa.large_string())]
    if sliced:
        chunks[0] = chunks[0].slice(1)
    column = pa.chunked_array(chunks)
    blanked = _arrowcsv.blank_as_missing(column)
    expected = [None if v in ("", None) else v for v in column.to_pylist()]
    assert blanked.to_pylist() == expected
    if not sliced:  # the text buffer itself is shared
        assert blanked.chunk(0).buffers()[2].address == column.chunk(0).buffers()[2].address


def test_distinct_rows_expand_to_the_row_by_row_result() -> None:
    table = pd.DataFrame(
        {
            "a": pd.Series(["x", "y", "x", "", None, "x"], dtype=events.TEXT),
            "b": pd.Series(["1", "1", "1", "2", "2", "3"], dtype=events.TEXT),
        }
    )
    codes, rows = _arrowcsv.distinct_rows(table, ("a", "b", "absent"))
    assert list(rows.columns) == ["a", "b"]
    assert len(rows) == 5  # ("x","1") twice
    joined = [f"{a}|{b}" for a, b in zip(rows["a"], rows["b"], strict=True)]
    got = _arrowcsv.expand(joined, codes).tolist()
    assert got == [f"{a}|{b}" for a, b in zip(table["a"], table["b"], strict=True)]
    codes, rows = _arrowcsv.distinct_rows(table, ("absent",))
    assert rows.shape == (1, 0) and set(codes) == {0}


def test_acled_mapping_per_distinct_value_equals_mapping_each_row() -> None:
    from geo import _formats

    text = (ROOT / "tests" / "data" / "acled_export.csv").read_text(encoding="utf-8")
    rows = list(csv.reader(io.StringIO(text)))
    table = pd.DataFrame(rows[1:], columns=rows[0]).astype(events.TEXT)
    whole = _formats.from_acled(table)
    each = pd.concat([_formats.from_acled(table.iloc[[i]]) for i in range(len(table))])
    pd.testing.assert_frame_equal(whole.astype(object), each.astype(object))


@pytest.mark.parametrize(
    "values",
    [
        ["34.5", "-71", "", "12.25"],
        ["34.5", "1e2", "+3", " 4 ", ".5", "5.", "inf", "NaN", "north", ""],
        ["1" + "0" * 400, "2"],  # beyond float range
    ],
)
def test_coordinates_parse_as_pandas_parses_them(values) -> None:
    text = pd.Series(values, dtype=events.TEXT).str.strip()
    expected = pd.to_numeric(text, errors="coerce").astype("float64")
    pd.testing.assert_series_equal(events._numbers(text), expected)


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


# ---------------------------------------------------------------- warnings summarised


def _warnings(n: int, field: str = "province") -> list[Problem]:
    return [
        Problem(
            "f.csv", f"line {i + 2}", field, "Khost", f"event E{i}: point lies {i}.5 km outside"
        )
        for i in range(n)
    ]


def test_each_kind_shows_ten_then_a_count() -> None:
    lines = summarise([*_warnings(25), *_warnings(3, "country")])
    assert len(lines) == SHOWN + 3 + 1
    assert lines[-1].endswith("see --report)")
    assert "… and 15 more" in lines[-1]


def test_a_mismatched_file_prints_a_few_lines(tmp_path, capsys) -> None:
    doc = json.loads(SHIPPED.read_text(encoding="utf-8"))
    for f in doc["features"]:
        f["properties"]["province"] = "Sindh"  # most points are elsewhere
    src = tmp_path / "mismatch.geojson"
    src.write_text(json.dumps(doc), encoding="utf-8")
    report = tmp_path / "report.csv"
    out = tmp_path / "m.html"
    assert main(["build", "--events", str(src), "--out", str(out), "--report", str(report)]) == 0
    err = capsys.readouterr().err.splitlines()
    assert len(err) <= SHOWN + 3
    assert any("more" in line and "--report" in line for line in err)
    rows = list(csv.DictReader(io.StringIO(report.read_text(encoding="utf-8"))))
    assert len(rows) > SHOWN
    assert set(rows[0]) == {"severity", "file", "record", "field", "value", "message"}
    assert rows[0]["record"].startswith("feature ")


def test_report_json_lists_everything() -> None:
    doc = json.loads(report_text(_warnings(30), ".json"))
    assert len(doc["problems"]) == 30
    assert doc["problems"][0]["record"] == "line 2"


def test_report_csv_escapes_formulas() -> None:
    text = report_text([Problem("f.csv", "line 2", "summary", "=1+1", "bad")], ".csv")
    assert "'=1+1" in text


def test_a_report_with_an_unknown_suffix_fails_before_reading(tmp_path, capsys) -> None:
    code = main(["build", "--out", str(tmp_path / "m.html"), "--report", str(tmp_path / "r.txt")])
    assert code == 1
    assert "accepted: .csv, .json" in capsys.readouterr().err


def test_quiet_prints_only_the_summary_line(tmp_path, capsys) -> None:
    src = tmp_path / "bad.csv"
    src.write_text("event_id,date_start,event_type,latitude,longitude\n" + "\n".join(BAD_ROWS))
    assert main(["build", "--events", str(src), "--out", str(tmp_path / "m.html"), "-q"]) == 0
    captured = capsys.readouterr()
    assert captured.err == ""
    assert captured.out.startswith("wrote ")


def test_validate_json_keeps_listing_everything(tmp_path, capsys) -> None:
    src = tmp_path / "bad.csv"
    rows = [f"E{i},2025-13-01,Battles,34.8,71.0" for i in range(30)]
    src.write_text("event_id,date_start,event_type,latitude,longitude\n" + "\n".join(rows))
    assert main(["validate", str(src), "--json"]) == 1
    assert len(json.loads(capsys.readouterr().out)["problems"]) == 30
    assert main(["validate", str(src)]) == 1
    assert len(capsys.readouterr().out.splitlines()) == SHOWN + 2


# ---------------------------------------------------------------- progress


class _Tty(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_only_on_a_terminal_for_large_inputs_and_not_quiet(tmp_path) -> None:
    from geo import _progress

    big = tmp_path / "big.csv"
    big.write_bytes(b"x" * _progress.LARGE_INPUT)
    assert _progress.wanted([str(big)], stream=_Tty())
    assert not _progress.wanted([str(big)], stream=io.StringIO())  # not a terminal
    assert not _progress.wanted([str(big)], quiet=True, stream=_Tty())
    assert not _progress.wanted([str(SHIPPED)], stream=_Tty())  # small input


def test_progress_is_silent_when_not_on_a_terminal(tmp_path, capsys, monkeypatch) -> None:
    from geo import _progress

    monkeypatch.setattr(_progress, "LARGE_INPUT", 0)
    assert main(["build", "--out", str(tmp_path / "m.html")]) == 0
    captured = capsys.readouterr()
    assert captured.err == ""
    assert captured.out.count("\n") == 1 and captured.out.startswith("wrote ")
