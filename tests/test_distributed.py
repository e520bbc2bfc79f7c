"""The dask engine (geo.distributed) gives the memory engine's answers, option by option.

One cluster (2 workers, 1 thread each) serves the whole module through ``--scheduler``.
The dataset is the shipped events plus generated ones in three GeoParquet files, one of
them in small row groups, and the pieces are small (:data:`PIECE_ROWS`), so every run
crosses several pieces and files on both engines.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyarrow.parquet as pq
import pytest
from bs4 import BeautifulSoup

pytest.importorskip("dask_geopandas")

from geo import distributed
from geo._errors import InputError
from geo.cli import main
from geo.events import read_events
from geo.export import write_events

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data"
ACLED = ROOT / "tests" / "data" / "acled_export.csv"
PIECE_ROWS = 400
#: Events of the test dataset: the shipped record and 1,500 more (:func:`_events`).
N = len(read_events(DATA / "events.geojson").events) + 1500


@pytest.fixture(autouse=True)
def small_pieces(monkeypatch):
    monkeypatch.setattr(distributed, "PARTITION_ROWS", PIECE_ROWS)


def _events(n: int = 1500) -> gpd.GeoDataFrame:
    """The shipped events and ``n`` more at random places of the region, provinces empty."""
    shipped = read_events(DATA / "events.geojson").events
    rng = np.random.default_rng(14)
    more = shipped.iloc[rng.integers(0, len(shipped), n)].copy()
    more["event_id"] = [f"GEN-{i}" for i in range(n)]
    more["province"] = ""
    more["country"] = ""
    more["geo_precision"] = "exact"
    points = gpd.points_from_xy(rng.uniform(60.5, 77.5, n), rng.uniform(24.0, 37.5, n))
    more = more.set_geometry(pd.Series(points, index=more.index))
    return pd.concat([shipped, more], ignore_index=True).set_crs("EPSG:4326", allow_override=True)


def _small_row_groups(path: Path, rows: int = 150) -> None:
    table = pq.read_table(path)
    pq.write_table(table, path, row_group_size=rows)


@pytest.fixture(scope="module")
def geojson(tmp_path_factory) -> Path:
    return write_events(_events(), tmp_path_factory.mktemp("files") / "events.geojson")


@pytest.fixture(scope="module")
def dataset(tmp_path_factory, geojson) -> Path:
    """The events of ``geojson`` (coordinates as that file rounds them) in three files."""
    events = read_events(geojson).events
    folder = tmp_path_factory.mktemp("dataset")
    for i, rows in enumerate(np.array_split(np.arange(len(events)), 3)):
        write_events(events.iloc[rows], folder / f"events-{i}.parquet")
    _small_row_groups(folder / "events-1.parquet")
    return folder


@pytest.fixture(scope="module")
def scheduler():
    from dask.distributed import LocalCluster

    with LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0"
    ) as cluster:
        yield cluster.scheduler_address


def _both(tmp_path: Path, command: list[str], out_name: str, scheduler: str) -> tuple[Path, Path]:
    """``command`` on the memory and on the dask engine; the two outputs."""
    outs = []
    for engine in ("memory", "dask"):
        out = tmp_path / engine / out_name
        out.parent.mkdir(exist_ok=True)
        extra = ["--scheduler", scheduler] if engine == "dask" else []
        flag = "--out-dir" if command[0] == "batch" else "--out"
        assert main([*command, "--engine", engine, *extra, flag, str(out), "-q"]) == 0
        outs.append(out)
    return outs[0], outs[1]


#: Every filter option, alone and together.
FILTERS = {
    "dates": ["--start", "2022", "--end", "2025-10"],
    "type": ["--type", "Battles,Explosions/Remote violence"],
    "sub-type": ["--sub-type", "Armed clash", "--sub-type", "Air/drone strike"],
    "province": ["--province", "Khost", "--province", "Kunar,Kabul"],
    "actor": [
        "--actor",
        "Military Forces of Pakistan (2022-)",
        "--actor",
        "Civilians (Afghanistan)",
    ],
    "min-fatalities": ["--min-fatalities", "10"],
    "text": ["--text", "border shelling"],
    "all": ["--start", "2024", "--type", "Battles", "--min-fatalities", "1", "--text", "taliban"],
}


@pytest.mark.parametrize("name", list(FILTERS))
def test_export_same_bytes_on_both_engines(tmp_path, dataset, scheduler, name) -> None:
    command = ["export", str(dataset), *FILTERS[name]]
    memory, dask = _both(tmp_path, command, "kept.csv", scheduler)
    text = memory.read_text(encoding="utf-8")
    assert dask.read_bytes() == memory.read_bytes()
    if name != "all":
        assert text.count("\n") > 1, "the filter keeps some events"


@pytest.mark.parametrize("name", list(FILTERS))
def test_stats_same_table_on_both_engines(tmp_path, dataset, scheduler, name) -> None:
    command = ["stats", str(dataset), *FILTERS[name], "--by", "province,event_type"]
    memory, dask = _both(tmp_path, command, "table.csv", scheduler)
    assert dask.read_bytes() == memory.read_bytes()


@pytest.mark.parametrize("name", list(FILTERS))
def test_build_same_page_on_both_engines(tmp_path, dataset, scheduler, name) -> None:
    memory, dask = _both(
        tmp_path, ["build", "--events", str(dataset), *FILTERS[name]], "m.html", scheduler
    )
    assert dask.read_bytes() == memory.read_bytes()


def test_highlight_same_page_and_still_on_both_engines(tmp_path, dataset, scheduler) -> None:
    """--highlight is evaluated once, on the events shown, by either engine: the same page."""
    specs = ["type=Battles", "2024..2025", "province=Khost",
             "actor=Military Forces of Pakistan (2022-)"]  # fmt: skip
    command = ["build", "--events", str(dataset), "--start", "2022"]
    for spec in specs:
        command += ["--highlight", spec]
    for name in ("m.html", "m.svg"):
        memory, dask = _both(tmp_path, command, name, scheduler)
        assert dask.read_bytes() == memory.read_bytes()
    assert '"highlighted"' in memory.with_name("m.html").read_text(encoding="utf-8")


@pytest.mark.parametrize("name", ["type", "min-fatalities", "all"])
def test_batch_same_pages_on_both_engines(tmp_path, dataset, scheduler, name) -> None:
    command = [
        "batch",
        "--events",
        str(dataset),
        "--period",
        "year",
        "--start",
        "2023",
        *FILTERS[name],
    ]
    memory, dask = _both(tmp_path, command, "series", scheduler)
    names = sorted(p.name for p in memory.iterdir() if p.is_file())
    assert names == sorted(p.name for p in dask.iterdir() if p.is_file()) and "2025.html" in names
    for page in names:
        assert (dask / page).read_bytes() == (memory / page).read_bytes(), page


def test_the_dataset_gives_the_events_of_the_file(tmp_path, dataset, geojson) -> None:
    """Read piece by piece, the dataset holds the file's events, in its order."""
    a, b = tmp_path / "dataset.csv", tmp_path / "file.csv"
    assert main(["export", str(dataset), "--engine", "memory", "--out", str(a), "-q"]) == 0
    assert main(["export", str(geojson), "--out", str(b), "-q"]) == 0
    assert a.read_bytes() == b.read_bytes()


#: The filter of the format tests, and its export by the memory engine (once: the formats
#: are read against the same file).
FORMAT_FILTERS = ["--province", "Khost,Kunar"]


@pytest.fixture(scope="module")
def kept_in_memory(tmp_path_factory, dataset) -> Path:
    memory = tmp_path_factory.mktemp("kept") / "memory.geojson"
    args = ["export", str(dataset), *FORMAT_FILTERS, "--engine", "memory"]
    with pytest.MonkeyPatch.context() as m:
        m.setattr(distributed, "PARTITION_ROWS", PIECE_ROWS)
        assert main([*args, "--out", str(memory), "-q"]) == 0
    return memory


@pytest.mark.parametrize("suffix", [".geojson", ".parquet", ""])
def test_dask_writes_the_format_asked_for(
    tmp_path, dataset, kept_in_memory, scheduler, suffix
) -> None:
    out = tmp_path / f"kept{suffix}"
    args = ["export", str(dataset), *FORMAT_FILTERS, "--engine", "dask", "--scheduler", scheduler]
    assert main([*args, "--out", str(out), "-q"]) == 0
    memory = kept_in_memory
    expected = read_events(memory).events
    if suffix == ".geojson":
        assert out.read_bytes() == memory.read_bytes()
    elif suffix == ".parquet":
        assert out.is_file()
        got = read_events(out).events
        pd.testing.assert_series_equal(got["event_id"], expected["event_id"])
    else:
        assert out.is_dir() and len(list(out.glob("part.*.parquet"))) == len(
            distributed.open_dataset([dataset]).pieces
        )
        got = distributed.load_dataset([out]).events
        assert got["event_id"].tolist() == expected["event_id"].tolist()


# ---------------------------------------------------------------- ACLED-shaped datasets


@pytest.fixture(scope="module")
def acled_dataset(tmp_path_factory) -> tuple[Path, Path]:
    """The held ACLED export, grown to 600 rows (new ids), as a CSV and as two Parquet files
    of ACLED columns, one in small row groups."""
    frame = pd.read_csv(ACLED, dtype=str, keep_default_na=False)
    grown = pd.concat([frame] * (600 // len(frame) + 1), ignore_index=True).iloc[:600].copy()
    grown["event_id_cnty"] = [f"AFG{i:05d}" for i in range(len(grown))]
    grown["latitude"] = (
        grown["latitude"].astype(float) + np.linspace(-0.5, 0.5, len(grown))
    ).round(4)
    folder = tmp_path_factory.mktemp("acled")
    csv = folder / "export.csv"
    grown.to_csv(csv, index=False)
    parts = folder / "parts"
    parts.mkdir()
    half = len(grown) // 2
    grown.iloc[:half].to_parquet(parts / "a.parquet", index=False)
    grown.iloc[half:].to_parquet(parts / "b.parquet", index=False)
    _small_row_groups(parts / "b.parquet", 100)
    return csv, parts


@pytest.mark.parametrize("command", ["enrich", "export"])
def test_acled_parquet_dataset_on_dask_equals_memory(
    tmp_path, acled_dataset, scheduler, command
) -> None:
    csv, parts = acled_dataset
    memory, dask = _both(tmp_path, [command, str(parts)], "out.csv", scheduler)
    assert dask.read_bytes() == memory.read_bytes()
    from_csv = tmp_path / "csv.csv"
    assert main([command, str(csv), "--out", str(from_csv), "-q"]) == 0
    a, b = pd.read_csv(from_csv), pd.read_csv(dask)
    assert len(a) == len(b) == 600
    assert a["event_id"].tolist() == b["event_id"].tolist()
    assert np.allclose(a["border_distance_km"], b["border_distance_km"])


def test_acled_parquet_dataset_builds_on_dask(tmp_path, acled_dataset, scheduler) -> None:
    _, parts = acled_dataset
    memory, dask = _both(tmp_path, ["build", "--events", str(parts)], "m.html", scheduler)
    assert dask.read_bytes() == memory.read_bytes()


# ---------------------------------------------------------------- bad records


@pytest.fixture(scope="module")
def bad_dataset(tmp_path_factory) -> Path:
    """Two files with bad records in different pieces, and an id repeated across files."""
    events = read_events(DATA / "events.geojson").events
    folder = tmp_path_factory.mktemp("bad")
    a = events.iloc[:50].copy()
    b = events.iloc[50:].copy()
    write_events(a, folder / "a.parquet")
    write_events(b, folder / "b.parquet")
    table = pq.read_table(folder / "b.parquet").to_pandas()
    table.loc[3, "event_type"] = "Bombing"
    table.loc[30, "date_start"] = pd.NaT
    table.loc[35, "event_id"] = a["event_id"].iat[7]
    geo_meta = pq.read_schema(folder / "b.parquet").metadata
    import pyarrow as pa

    out = pa.Table.from_pandas(table, preserve_index=False).replace_schema_metadata(geo_meta)
    pq.write_table(out, folder / "b.parquet", row_group_size=20)
    return folder


def test_every_bad_record_is_reported_by_both_engines(
    tmp_path, bad_dataset, scheduler, capsys
) -> None:
    reports = []
    for engine in ("memory", "dask"):
        out, report = tmp_path / f"{engine}.csv", tmp_path / f"{engine}.json"
        extra = ["--scheduler", scheduler] if engine == "dask" else []
        args = ["export", str(bad_dataset), "--engine", engine, *extra, "--report", str(report)]
        assert main([*args, "--out", str(out)]) == 0
        err = capsys.readouterr().err
        assert re.search(r"b\.parquet: row 4, field 'event_type': 'Bombing'", err), err
        assert re.search(r"b\.parquet: row 31, field 'date_start'", err), err
        assert "duplicate event_id across files (first seen at " in err
        reports.append(json.loads(report.read_text()))
    assert reports[0] == reports[1] and len(reports[0]["problems"]) == 3
    assert (tmp_path / "memory.csv").read_bytes() == (tmp_path / "dask.csv").read_bytes()


def test_a_failed_dask_export_leaves_the_previous_output(
    tmp_path, bad_dataset, dataset, scheduler, capsys
) -> None:
    out = tmp_path / "kept.csv"
    args = ["--engine", "dask", "--scheduler", scheduler, "--out", str(out)]
    assert main(["export", str(dataset), *args, "-q"]) == 0
    before = out.read_bytes()
    assert main(["export", str(bad_dataset), "--strict", *args]) == 1
    err = capsys.readouterr().err
    # one clean message: no worker log, no traceback of a closed connection
    assert err.startswith("error: ") and "distributed" not in err and "Traceback" not in err
    assert out.read_bytes() == before
    folder = tmp_path / "parts"
    assert main(["export", str(bad_dataset), "--strict", *args[:-1], str(folder)]) == 1
    assert not folder.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["kept.csv"]  # no temporary left


def _bad_files(tmp_path: Path, kind: str) -> Path:
    folder = tmp_path / "bad"
    folder.mkdir()
    events = read_events(DATA / "events.geojson").events
    if kind == "columns":
        write_events(events.iloc[:5], folder / "ok.parquet")
        pd.DataFrame({"what": ["x"], "when": ["2022"]}).to_parquet(folder / "z.parquet")
    elif kind == "not parquet":
        (folder / "notes.parquet").write_text("event_id,date\n1,2022\n")
    return folder


@pytest.mark.parametrize(
    ("kind", "message"),
    [
        ("columns", r"z\.parquet: missing column\(s\) event_id, date_start, event_type, geometry"),
        ("not parquet", r"notes\.parquet: not a Parquet file"),
        ("empty", r"bad: no \.parquet, \.csv or \.geojson files in this directory"),
    ],
)  # fmt: skip
def test_bad_dataset_gives_a_message_not_a_traceback(
    tmp_path, scheduler, capsys, kind, message
) -> None:
    folder = _bad_files(tmp_path, kind)
    args = ["enrich", str(folder), "--engine", "dask", "--scheduler", scheduler]
    assert main([*args, "--out", str(tmp_path / "out")]) == 1
    err = capsys.readouterr().err
    assert err.startswith("error: ") and "Traceback" not in err
    assert re.search(message, err), err


def test_an_unknown_province_fails_on_both_engines(tmp_path, dataset, scheduler, capsys) -> None:
    for engine in ("memory", "dask"):
        out = tmp_path / f"{engine}.csv"
        extra = ["--scheduler", scheduler] if engine == "dask" else []
        args = ["export", str(dataset), "--province", "Atlantis", "--engine", engine, *extra]
        assert main([*args, "--out", str(out)]) == 1
        assert "--province 'Atlantis' is not known; accepted: " in capsys.readouterr().err
        assert not out.exists()


# ---------------------------------------------------------------- engines and outputs


def test_auto_engine_says_when_it_switches(dataset, scheduler, monkeypatch, capsys) -> None:
    args = ["stats", str(dataset), "--scheduler", scheduler, "--period", "none"]
    assert main(args) == 0
    assert "running on dask" not in capsys.readouterr().err
    monkeypatch.setattr(distributed, "AUTO_ROWS", 100)
    assert main(args) == 0
    err = capsys.readouterr().err
    assert f"{N:,} events in the dataset, above the 100 that --engine auto runs in memory" in err
    assert "running on dask (--engine memory to override)" in err


def test_one_geojson_file_is_a_dataset_of_one_piece(tmp_path, scheduler) -> None:
    events = str(DATA / "events.geojson")
    memory, dask = _both(tmp_path, ["enrich", events], "out.geojson", scheduler)
    assert dask.read_bytes() == memory.read_bytes()


def test_a_frame_cannot_go_to_dask(scheduler) -> None:
    import geo

    frame = read_events(DATA / "events.geojson").events
    with pytest.raises(InputError, match=r"--engine dask reads event files .*not a frame"):
        geo.conflict_map(frame, engine=geo.Engine("dask", scheduler))


def test_missing_extra_names_the_install_command(monkeypatch) -> None:
    monkeypatch.setitem(sys.modules, "dask_geopandas", None)
    with pytest.raises(InputError, match=r"install them with: pip install 'geo\[scale\]'"):
        distributed.require_scale()


def test_output_directory_is_checked(tmp_path, dataset, scheduler, capsys) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "keep.txt").write_text("mine")
    args = ["enrich", str(dataset), "--engine", "dask", "--scheduler", scheduler]
    assert main([*args, "--out", str(out)]) == 1
    assert "holds other files (keep.txt)" in capsys.readouterr().err
    assert main([*args, "--out", str(dataset / "inside")]) == 1
    assert "overlaps the input" in capsys.readouterr().err


def _config(page: Path) -> dict:
    soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
    block = soup.find("script", type="application/json", id=lambda v: v and v.endswith("_config"))
    return json.loads(block.string)


def test_build_above_the_page_threshold_maps_aggregates(
    tmp_path, dataset, scheduler, monkeypatch, capsys
) -> None:
    monkeypatch.setattr(distributed, "PAGE_EVENTS", 500)
    out = tmp_path / "map.html"
    args = ["build", "--events", str(dataset), "--engine", "dask", "--scheduler", scheduler]
    assert main([*args, "--out", str(out)]) == 0
    err = capsys.readouterr().err
    assert f"{N:,} events after the filters, above the 500 a page holds" in err
    config = _config(out)
    assert config["description"].startswith(f"Aggregated view of {N:,} events")
    data = config["data"]
    assert isinstance(data, dict)  # small enough to stay plain JSON
    assert data["n"] < N
    summaries = data["columns"]["summary"]
    summaries = summaries["dict"] if isinstance(summaries, dict) else summaries
    assert any(" events in this 0.25° cell (" in s for s in summaries)
    assert config["choropleth"]["measure"] == "fatalities"


def test_aggregates_keep_their_events_sources(tmp_path, dataset, scheduler, monkeypatch) -> None:
    """Cells carry their events' datasets: the same credits, dates and terms (no row
    download for ACLED's) as a page of the events themselves (geo.terms, geo.methods)."""
    mixed = tmp_path / "mixed"
    mixed.mkdir()
    for i, f in enumerate(sorted(dataset.glob("*.parquet"))):
        events = gpd.read_parquet(f)
        events["dataset"] = "ACLED" if i else "UCDP GED"
        events["dataset_updated"] = f"2026-11-{20 + i}"
        events.to_parquet(mixed / f.name)
    pages = {}
    for engine, limit in (("dask", 500), ("memory", distributed.PAGE_EVENTS)):
        monkeypatch.setattr(distributed, "PAGE_EVENTS", limit)
        out = tmp_path / f"{engine}.html"
        args = ["build", "--events", str(mixed), "--engine", engine, "--scheduler", scheduler]
        assert main([*args, "--out", str(out)]) == 0
        pages[engine] = _config(out)
    cells, whole = pages["dask"], pages["memory"]
    assert cells["description"].startswith(f"Aggregated view of {N:,} events")
    assert cells["methods"]["lines"][0] == whole["methods"]["lines"][0]
    assert cells["methods"]["lines"][0].startswith("Data: ACLED"), cells["methods"]
    assert "22 Nov 2026" in cells["methods"]["lines"][0]
    assert cells["download"] == whole["download"] and not cells["download"]


def test_stats_tables_equal_in_python(dataset, scheduler) -> None:
    import geo

    ctx = geo.load_context()
    on = {"engine": geo.Engine("dask", scheduler)}
    dask, prepared = geo.stats(
        [dataset], context=ctx, by=("province", "border_side"), period="quarter", **on
    )
    memory, _ = geo.stats([dataset], context=ctx, by=("province", "border_side"), period="quarter")
    assert prepared.report.n_read == N
    pd.testing.assert_frame_equal(dask, memory)


@pytest.mark.parametrize("name", ["dates", "province", "all"])
def test_csv_files_run_on_dask_as_in_memory(tmp_path, dataset, scheduler, name) -> None:
    """CSV (and GeoJSON) files are pieces too: each read whole by the file reader."""
    files = []
    for i, part in enumerate(sorted(dataset.glob("*.parquet"))):
        out = tmp_path / f"part-{i}.{'csv' if i != 1 else 'geojson'}"
        assert main(["export", str(part), "--out", str(out), "-q"]) == 0
        files.append(str(out))
    outs = []
    for engine in ("memory", "dask"):
        out = tmp_path / f"{engine}.csv"
        extra = ["--scheduler", scheduler] if engine == "dask" else []
        args = ["export", *files, *FILTERS[name], "--engine", engine, *extra, "--out", str(out)]
        assert main([*args, "-q"]) == 0
        outs.append(out.read_bytes())
    assert outs[0] == outs[1] and outs[0].count(b"\n") > 1


def test_the_events_as_a_dask_geopandas_frame(dataset, scheduler) -> None:
    import dask_geopandas
    from dask.distributed import Client

    import geo

    ctx = geo.load_context()
    filters = geo.Filters(types=["Battles"])
    frame = distributed.events_frame([dataset], context=ctx, filters=filters)
    assert isinstance(frame, dask_geopandas.GeoDataFrame)
    assert frame.npartitions == len(distributed.open_dataset([dataset]).pieces)
    with Client(scheduler):
        got = frame.compute().reset_index(drop=True)
    expected = geo.prepare([dataset], context=ctx, filters=filters).shown
    assert got["event_id"].tolist() == expected["event_id"].tolist()
    assert np.allclose(got["border_distance_km"], expected["border_distance_km"])


def test_repeats_are_found_by_hash_and_confirmed_on_the_ids() -> None:
    ds = distributed.Dataset(
        "d",
        [distributed.Piece("a.parquet", (0,), 0, 3), distributed.Piece("b.parquet", (0,), 0, 3)],
    )
    ids = [pd.Series(["A", "B", ""]), pd.Series(["C", "A", ""])]
    hashes = [
        np.array([1, 2, 0], dtype=np.uint64),
        np.array([2, 1, 0], dtype=np.uint64),
    ]  # C collides with B
    drops = distributed.duplicates(ds, hashes, ids=lambda k: ids[k])
    assert drops[0] == {}
    assert drops[1] == {
        "row 2": "duplicate event_id across files (first seen at a.parquet: row 1); ids must be unique"
    }
