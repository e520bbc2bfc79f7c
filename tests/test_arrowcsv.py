"""The Arrow CSV reader (the fast path) against the exact csv reader: same tables, lines and problems."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pytest

from geo import _arrowcsv, events
from geo._errors import ValidationError
from geo.events import read_events
from geo.export import write_events

ROOT = Path(__file__).resolve().parents[1]
SHIPPED = ROOT / "data" / "events.geojson"


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
    # every shipped record survives the export and both readers (118 after the fixes and additions of issue 22)
    assert (
        len(fast.events) == len(json.loads(SHIPPED.read_text(encoding="utf-8"))["features"]) == 118
    )


def test_acled_export_reads_the_same_on_both_paths(monkeypatch) -> None:
    _same(*_both_paths(ROOT / "tests" / "data" / "acled_export.csv", monkeypatch))


def test_problems_are_the_same_on_both_paths(tmp_path, monkeypatch, bad_csv_rows) -> None:
    path = tmp_path / "bad.csv"
    rows = ["event_id,date_start,event_type,latitude,longitude", "E1,2025-10-12,Battles,34.8,71"]
    path.write_text("\n".join([*rows, *bad_csv_rows]) + "\n", encoding="utf-8")
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
