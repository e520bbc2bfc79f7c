"""Each crash class found by fuzzing and probing, as a test: a clear error, never a traceback.

Every message names the file, the record and the field; a failed run leaves no output and
no temporary file behind.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from geo import cli
from geo._errors import ValidationError
from geo._io import LIMITS
from geo.cli import main
from geo.events import read_events

ROOT = Path(__file__).resolve().parents[1]
MINIMAL = "event_id,date_start,event_type,latitude,longitude\nE1,2025-10-12,Battles,34.87,71.1\n"


def _only_problem(report) -> object:
    assert len(report.problems) == 1, report.problems
    return report.problems[0]


# ---------------------------------------------------------------- the simplest input


def test_the_minimal_csv_builds_a_map(tmp_path) -> None:
    src = tmp_path / "min.csv"
    src.write_text(MINIMAL, encoding="utf-8")
    out = tmp_path / "min.html"
    assert main(["build", "--events", str(src), "--out", str(out)]) == 0
    assert out.stat().st_size > 10_000


def test_a_window_of_events_without_fatality_figures_builds(tmp_path) -> None:
    src = tmp_path / "min.csv"
    src.write_text(MINIMAL + "E2,2020-01-01,Battles,34.8,71.0\n", encoding="utf-8")
    out = tmp_path / "m.html"
    assert (
        main(["build", "--events", str(src), "--start", "2020", "--end", "2020", "--out", str(out)])
        == 0
    )


# ---------------------------------------------------------------- nesting, sizes, Unicode


def test_json_nested_beyond_the_parser_is_a_file_error(tmp_path) -> None:
    deep = "[" * 100_000 + "]" * 100_000
    path = tmp_path / "deep.geojson"
    path.write_text(
        '{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"summary":'
        + deep
        + '},"geometry":null}]}',
        encoding="utf-8",
    )
    with pytest.raises(ValidationError, match=r"deep\.geojson: file: JSON nested too deeply"):
        read_events(path)


def test_a_field_nested_deeper_than_the_limit_is_a_record_error(tmp_path, one_event) -> None:
    nested: list = []
    for _ in range(LIMITS.max_depth + 5):
        nested = [nested]
    report = read_events(one_event({"sources": nested}))
    p = _only_problem(report)
    assert (p.where, p.field) == ("feature 1", "sources")
    assert f"nested more than {LIMITS.max_depth} levels deep" in p.message
    assert len(report.events) == 0


def test_a_lone_surrogate_is_a_record_error_and_builds_nothing_broken(tmp_path) -> None:
    path = tmp_path / "s.geojson"
    path.write_text(
        '{"type":"FeatureCollection","features":[{"type":"Feature","properties":'
        '{"event_id":"E1","date_start":"2025-10-12","event_type":"Battles","summary":"a\\ud800b"},'
        '"geometry":{"type":"Point","coordinates":[71.1,34.87]}}]}',
        encoding="utf-8",
    )
    p = _only_problem(read_events(path))
    assert (p.where, p.field) == ("feature 1", "summary")
    assert "unpaired UTF-16 surrogate" in p.message
    assert main(["build", "--events", str(path), "--out", str(tmp_path / "s.html")]) == 0


def test_an_overlong_field_is_a_record_error(tmp_path, one_event) -> None:
    report = read_events(one_event({"summary": "x" * (LIMITS.max_field_chars + 1)}))
    p = _only_problem(report)
    assert p.field == "summary" and "longer than 131,072 characters" in p.message
    assert len(str(p)) < 500  # the message shows a clip of the value, not all of it


# ---------------------------------------------------------------- wrong types are refused


@pytest.mark.parametrize(
    ("geometry", "message"),
    [
        ({"type": "Point", "coordinates": [True, False]}, "Point coordinates must be two numbers"),
        ({"type": "Point", "coordinates": "12"}, "Point coordinates must be two numbers"),
        (
            {"type": "Point", "coordinates": [[71.1], [34.8]]},
            "Point coordinates must be two numbers",
        ),
        ({"type": "Point", "coordinates": [10**400, 34.8]}, "longitude out of range"),
        ({"type": ["Point"], "coordinates": [71.1, 34.8]}, "geometry must be a Point"),
    ],
)
def test_coordinates_that_are_not_numbers_are_refused(
    tmp_path, geometry, message, one_event
) -> None:
    report = read_events(one_event({}, geometry))
    assert len(report.events) == 0
    assert any(message in p.message and p.where == "feature 1" for p in report.problems)


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("event_id", True, "must be text, not true/false"),
        ("summary", False, "must be text, not true/false"),
        ("date_precision", ["day"], "wrong type; accepted: text: day, month or year"),
        ("geo_precision", {"code": 1}, "wrong type; accepted: text: exact, district or province"),
        ("date_end", ["2025-10-13"], "wrong type; accepted: a date"),
    ],
)
def test_wrong_types_are_reported_not_coerced(tmp_path, field, value, message, one_event) -> None:
    report = read_events(one_event({field: value}))
    assert len(report.events) == 0
    assert any(p.field == field and message in p.message for p in report.problems), report.problems


@pytest.mark.parametrize(
    ("crs", "kind"), [("EPSG:5773", "not horizontal"), ("EPSG:4978", "geocentric")]
)
def test_crs_that_is_not_horizontal_is_refused(tmp_path, crs, kind, one_event) -> None:
    path = one_event({})
    doc = json.loads(path.read_text())
    doc["crs"] = {"type": "name", "properties": {"name": crs}}
    path.write_text(json.dumps(doc))
    with pytest.raises(
        ValidationError,
        match=rf"e\.geojson: file: '{crs}': CRS .* is {kind}; accepted: a horizontal",
    ):
        read_events(path)


# ---------------------------------------------------------------- CSV structure


def test_csv_locations_are_physical_lines(tmp_path) -> None:
    text = (
        "event_id,date_start,event_type,latitude,longitude,summary\n"
        "\n"
        'E1,2025-10-12,Battles,34.87,71.1,"two\nlines"\n'
        "\n"
        "E2,2025-13-40,Battles,34.87,71.1,bad date\n"
    )
    path = tmp_path / "lines.csv"
    path.write_text(text, encoding="utf-8")
    p = _only_problem(read_events(path))
    assert p.where == "line 6" and p.field == "date_start"  # the editor's line 6


def test_a_ragged_row_is_reported_not_shifted(tmp_path) -> None:
    path = tmp_path / "ragged.csv"
    path.write_text(MINIMAL + "E2,2025-10-12,Battles,extra,34.87,71.1\n", encoding="utf-8")
    report = read_events(path)
    p = _only_problem(report)
    assert p.where == "line 3" and "has 6 fields but the header has 5" in p.message
    assert list(report.events["event_id"]) == ["E1"] and report.n_read == 2


def test_trailing_empty_fields_are_harmless(tmp_path) -> None:
    path = tmp_path / "trailing.csv"
    path.write_text(MINIMAL.replace("71.1\n", "71.1,,\n"), encoding="utf-8")
    report = read_events(path)
    assert report.problems == [] and len(report.events) == 1


def test_an_unclosed_quote_names_the_lines_it_swallows(tmp_path) -> None:
    path = tmp_path / "quote.csv"
    path.write_text(
        MINIMAL + 'E2,2025-10-12,Battles,34.87,"71.1\nE3,2025-10-12,Battles,34.8,71.0\n'
    )
    with pytest.raises(
        ValidationError,
        match=r"quote\.csv: file: a quoted value opened at line 3 is never closed; lines 3-4",
    ):
        read_events(path)


def test_a_quoted_value_that_swallows_records_is_named(tmp_path) -> None:
    path = tmp_path / "swallow.csv"
    path.write_text(
        "event_id,date_start,event_type,latitude,longitude,summary\n"
        'E1,2025-10-12,Battles,34.87,71.1,"starts here\n'
        "E2,2025-10-12,Battles,34.8,71.0,lost\n"
        'E3,2025-10-12,Battles,34.8,71.0,ends here"\n'
    )
    report = read_events(path)
    p = _only_problem(report)
    assert p.where == "line 2" and "is a quote left open? Those lines were not read" in p.message
    assert len(report.events) == 0


@pytest.mark.parametrize(
    "header",
    [
        "event_id,date_start,event_type,latitude,longitude,date_precision,date_precision ",
        "event_id,date_start,event_type,latitude,longitude,latitude",
    ],
)
def test_duplicate_columns_are_a_file_error(tmp_path, header) -> None:
    path = tmp_path / "dup.csv"
    path.write_text(header + "\nE1,2025-10-12,Battles,34.87,71.1,x\n", encoding="utf-8")
    with pytest.raises(
        ValidationError, match=r"dup\.csv: file: column '\w+' appears twice \(columns \d and \d"
    ):
        read_events(path)


@pytest.mark.parametrize("column", ["extra0", "summary"])
def test_a_parquet_column_named_twice_is_a_file_error(tmp_path, column) -> None:
    """Found by the long fuzz run: a schema naming a column twice crashed the reader
    (KeyError, exit 70); unread columns and fields alike are refused, as in a CSV header."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    from geo.cli import main
    from geo.export import write_events

    base = tmp_path / "base.parquet"
    write_events(read_events(ROOT / "tests" / "data" / "context" / "events.geojson").events, base)
    table = pq.read_table(base)
    for _ in range(2):
        table = table.append_column(column, pa.nulls(table.num_rows, pa.string()))
    path = tmp_path / "dup.parquet"
    pq.write_table(table, path)
    with pytest.raises(
        ValidationError,
        match=rf"dup\.parquet: file: column '{column}' appears twice \(columns \d+ and \d+\)",
    ):
        read_events(path)
    assert main(["validate", str(path)]) == 1


def test_an_acled_export_without_coordinates_names_the_columns(tmp_path) -> None:
    path = tmp_path / "acled.csv"
    path.write_text("event_id_cnty,event_date,event_type,lat_renamed\nA1,2022-04-16,Battles,34\n")
    with pytest.raises(
        ValidationError,
        match=r"acled\.csv: file: \[.*'lat_renamed'\]: no latitude column; accepted column names: latitude, lat, y",
    ):
        read_events(path)


def test_a_url_that_does_not_parse_is_a_warning(tmp_path, one_event) -> None:
    report = read_events(one_event({"sources": [{"name": "x", "url": "http://[::1"}]}))
    p = _only_problem(report)
    assert p.severity == "warning" and p.field == "sources[0].url"
    assert len(report.events) == 1


# ---------------------------------------------------------------- what is read at all


def test_a_fifo_is_refused_without_blocking(tmp_path) -> None:
    fifo = tmp_path / "pipe.csv"
    os.mkfifo(fifo)
    with pytest.raises(
        ValidationError, match=r"pipe\.csv: file: is a FIFO \(named pipe\), not a regular file"
    ):
        read_events(fifo)


def test_a_link_to_a_device_is_refused(tmp_path) -> None:
    link = tmp_path / "zero.csv"
    link.symlink_to("/dev/zero")
    with pytest.raises(ValidationError, match=r"zero\.csv: file: is a character device"):
        read_events(link)


def test_a_file_over_the_size_limit_is_refused_and_the_limit_can_be_raised(
    tmp_path, capsys, monkeypatch
) -> None:
    src = tmp_path / "big.csv"
    src.write_text(MINIMAL + "E2,2025-10-12,Battles,34.87,71.1\n" * 40_000)  # ~1.3 MB
    monkeypatch.setattr(LIMITS, "max_input_bytes", LIMITS.max_input_bytes)  # restored after
    assert main(["validate", str(src), "--max-input-mb", "1"]) == 1
    err = capsys.readouterr()
    assert (
        "big.csv: file: file is 1 MB, over the 1 MB limit for one input; raise it with --max-input-mb"
        in err.out
    )
    assert main(["validate", str(src), "--max-input-mb", "2"]) == 1  # read now: duplicate ids
    assert "duplicate event_id" in capsys.readouterr().out


def test_validate_goes_on_after_a_file_it_cannot_read(tmp_path, capsys) -> None:
    good = tmp_path / "a.csv"
    good.write_text(MINIMAL.replace("2025-10-12", "2025-02-30"), encoding="utf-8")
    other = tmp_path / "x.txt"
    other.write_text("hello")
    assert main(["validate", str(good), str(other)]) == 1
    out = capsys.readouterr().out
    assert (
        "a.csv: line 2, field 'date_start'" in out and "x.txt: file: unsupported file type" in out
    )


def test_validate_json_is_strict_json(tmp_path, capsys, one_event) -> None:
    path = one_event({"fatalities_best": 1.5}, {"type": "Point", "coordinates": [1e400, 34.0]})
    assert main(["validate", "--json", str(path)]) == 1

    def refuse(name: str) -> None:
        raise AssertionError(f"non-standard JSON constant {name}")

    doc = json.loads(capsys.readouterr().out, parse_constant=refuse)
    assert {p["field"] for p in doc["problems"]} >= {"longitude", "fatalities_best"}


# ---------------------------------------------------------------- the command line itself


def test_an_unexpected_failure_is_one_line_and_exit_70(tmp_path, capsys, monkeypatch) -> None:
    def boom(*args, **kwargs):
        raise ZeroDivisionError("division by zero")

    monkeypatch.setattr("geo.filters.Filters.apply", boom)
    assert main(["build", "--out", str(tmp_path / "m.html")]) == cli.EXIT_BUG == 70
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Traceback" not in err
    assert (
        "unexpected ZeroDivisionError while running 'geo build'" in err and "This is a bug" in err
    )
    assert main(["build", "--out", str(tmp_path / "m.html"), "--debug"]) == 70
    assert "Traceback (most recent call last)" in capsys.readouterr().err
    assert not (tmp_path / "m.html").exists()


def test_running_out_of_memory_is_a_message(tmp_path, capsys, monkeypatch) -> None:
    def hungry(*args, **kwargs):
        raise MemoryError

    monkeypatch.setattr("geo.api.load_events", hungry)
    assert main(["build", "--out", str(tmp_path / "m.html")]) == 1
    assert "error: ran out of memory while running 'geo build'" in capsys.readouterr().err


def test_a_closed_pipe_is_not_a_traceback() -> None:
    proc = subprocess.run(
        f"{sys.executable} -m geo stats --period month | head -c 10",
        shell=True,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert "Traceback" not in proc.stderr and "BrokenPipe" not in proc.stderr


def test_a_data_folder_in_the_working_directory_is_not_the_shipped_data(
    tmp_path, monkeypatch
) -> None:
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "events.geojson").write_text(MINIMAL)  # not even GeoJSON
    src = tmp_path / "mine.csv"
    src.write_text(MINIMAL)
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("GEO_DATA_DIR", raising=False)
    assert main(["build", "--events", str(src), "--out", str(tmp_path / "m.html")]) == 0


# ---------------------------------------------------------------- types, bodies and sizes


def _shipped_parquet(tmp_path: Path) -> Path:
    from geo.export import write_events

    return write_events(
        read_events(ROOT / "data" / "events.geojson").events.iloc[:5], tmp_path / "ok.parquet"
    )


@pytest.mark.parametrize(
    ("column", "values", "message"),
    [
        ("tags", [[["a"]], [["b"]], [], [], [["c"]]], r"row 1, field 'tags'.*accepted: a list of text"),
        ("summary", [["a"], ["b"], ["c"], ["d"], ["e"]], r"row 1, field 'summary'.*accepted: text or a number"),
        ("sources", [[[1]], [], [], [], []], r"row 1, field 'sources'.*accepted: a list of \{name, url, date\}"),
    ],
)  # fmt: skip
def test_parquet_columns_of_another_type_are_refused_not_cast(
    tmp_path, capsys, column, values, message
) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    table = pq.read_table(_shipped_parquet(tmp_path))
    table = table.set_column(table.schema.get_field_index(column), column, pa.array(values))
    pq.write_table(table, tmp_path / "bad.parquet")
    assert main(["validate", str(tmp_path / "bad.parquet")]) == 1
    err = capsys.readouterr()
    assert re.search(message, err.out + err.err), err
    assert "This is a bug" not in err.out + err.err


def test_geoparquet_metadata_that_is_not_json(tmp_path, capsys) -> None:
    import pyarrow.parquet as pq

    table = pq.read_table(_shipped_parquet(tmp_path))
    meta = {**table.schema.metadata, b"geo": b"{not json"}
    pq.write_table(table.replace_schema_metadata(meta), tmp_path / "m.parquet")
    with pytest.raises(ValidationError, match=r"'geo' metadata is not JSON"):
        read_events(tmp_path / "m.parquet")


def test_a_json_integer_beyond_float_range_is_too_large(tmp_path, one_event) -> None:
    path = one_event({"fatalities_best": 10**400})
    report = read_events(path)
    assert len(report.events) == 0
    assert report.problems[0].message.startswith("too large; accepted: whole numbers up to")


@pytest.mark.parametrize("crs", ["IAU_2015:30100", "IAU_2015:49900"])
def test_a_crs_of_another_body_is_refused(tmp_path, crs, capsys) -> None:
    doc = json.loads((ROOT / "data" / "events.geojson").read_text(encoding="utf-8"))
    doc["crs"] = {"type": "name", "properties": {"name": crs}}
    path = tmp_path / "moon.geojson"
    path.write_text(json.dumps(doc), encoding="utf-8")
    with pytest.raises(ValidationError, match=r"is not of the Earth"):
        read_events(path)
    assert main(["validate", str(ROOT / "data" / "events.geojson"), "--crs", crs]) == 1
    assert "is not of the Earth" in capsys.readouterr().out


def test_a_dictionary_bomb_is_refused_before_it_is_decoded(tmp_path, monkeypatch) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    table = pq.read_table(_shipped_parquet(tmp_path))
    n = 400
    big = table.take(pa.array([k % table.num_rows for k in range(n)]))
    summary = pa.DictionaryArray.from_arrays(
        pa.array([0] * n, pa.int32()), pa.array(["z" * 100_000])
    )
    big = big.set_column(big.schema.get_field_index("summary"), "summary", summary)
    big = big.set_column(0, "event_id", pa.array([f"E{k}" for k in range(n)]))
    pq.write_table(big, tmp_path / "bomb.parquet", compression="zstd")
    assert (tmp_path / "bomb.parquet").stat().st_size < 200_000
    monkeypatch.setattr(LIMITS, "max_input_bytes", 20 << 20)  # it expands to 40 MB
    with pytest.raises(ValidationError, match=r"values expand to more than the 20 MB limit"):
        read_events(tmp_path / "bomb.parquet")


def test_too_many_columns_are_refused(tmp_path) -> None:
    header = ["event_id", "date_start", "event_type", "latitude", "longitude"]
    header += [f"c{k}" for k in range(1_200)]
    path = tmp_path / "wide.csv"
    path.write_text(",".join(header) + "\nE1,2025-10-12,Battles,34.8,71.0" + "," * 1_200 + "\n")
    with pytest.raises(
        ValidationError, match=r"the file has 1,205 columns; accepted: at most 1,000"
    ):
        read_events(path)


def test_a_value_over_the_limit_leaves_out_its_record_only(tmp_path) -> None:
    rows = [MINIMAL.splitlines()[0] + ",summary"]
    rows += [f"E{k},2025-10-12,Battles,34.8,71.0,ok" for k in range(4)]
    rows.insert(3, "LONG,2025-10-12,Battles,34.8,71.0," + "x" * 140_000)
    rows.insert(
        4, 'QUOTED,2025-10-12,Battles,34.8,71.0,"' + "é" * 70_000 + '"'
    )  # 140 kB, 70k chars
    path = tmp_path / "long.csv"
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    report = read_events(path)
    assert report.n_read == 6 and len(report.events) == 5
    (problem,) = report.problems
    assert (problem.where, problem.field) == ("line 4", "summary")
    assert problem.message.startswith("longer than 131,072 characters; the record is left out")
    assert report.events["origin_record"].tolist() == [
        "line 2",
        "line 3",
        "line 5",
        "line 6",
        "line 7",
    ]
