"""The dask engine (geo.distributed) on a small LocalCluster gives the in-memory answers.

One cluster (2 workers, 1 thread each) serves the whole module through ``--scheduler``;
the dataset is the shipped events plus generated ones, in three GeoParquet files.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from bs4 import BeautifulSoup

pytest.importorskip("dask_geopandas")

from geo import distributed
from geo._errors import InputError
from geo.cli import main
from geo.events import read_events
from geo.export import write_events

DATA = Path(__file__).resolve().parents[1] / "data"
COMPARED = ["event_id", "border_distance_km", "border_side", "in_border_belt", "province"]


def _events(n: int = 1500):
    """The shipped events and ``n`` more at random places of the region, provinces empty."""
    shipped = read_events(DATA / "events.geojson").events
    rng = np.random.default_rng(14)
    more = shipped.iloc[rng.integers(0, len(shipped), n)].copy()
    more["event_id"] = [f"GEN-{i}" for i in range(n)]
    more["province"] = ""
    more["country"] = ""
    more["geo_precision"] = "exact"
    more = more.set_geometry(
        pd.Series(
            __import__("geopandas").points_from_xy(
                rng.uniform(60.5, 77.5, n), rng.uniform(24.0, 37.5, n)
            ),
            index=more.index,
        )
    )
    return pd.concat([shipped, more], ignore_index=True).set_crs("EPSG:4326", allow_override=True)


@pytest.fixture(scope="module")
def events(tmp_path_factory):
    return _events()


@pytest.fixture(scope="module")
def dataset(tmp_path_factory, geojson) -> Path:
    """The events of ``geojson`` (coordinates as that file rounds them) in three files."""
    events = read_events(geojson).events
    folder = tmp_path_factory.mktemp("dataset")
    for i, rows in enumerate(np.array_split(np.arange(len(events)), 3)):
        write_events(events.iloc[rows], folder / f"events-{i}.parquet")
    return folder


@pytest.fixture(scope="module")
def geojson(tmp_path_factory, events) -> Path:
    return write_events(events, tmp_path_factory.mktemp("files") / "events.geojson")


@pytest.fixture(scope="module")
def scheduler():
    from dask.distributed import LocalCluster

    with LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0"
    ) as cluster:
        yield cluster.scheduler_address


def test_enrich_same_as_in_memory(tmp_path, dataset, geojson, scheduler, capsys) -> None:
    out = tmp_path / "enriched"
    args = ["enrich", str(dataset), "--engine", "dask", "--scheduler", scheduler]
    assert main([*args, "--out", str(out)]) == 0
    assert "in 3 GeoParquet files" in capsys.readouterr().out
    assert main(["enrich", str(geojson), "--out", str(tmp_path / "memory.geojson")]) == 0
    features = json.loads((tmp_path / "memory.geojson").read_text())["features"]
    memory = pd.DataFrame([f["properties"] for f in features])
    dask = distributed.load_dataset([out]).events
    assert len(dask) == len(memory) == 1591
    assert dask["event_id"].tolist() == memory["event_id"].tolist()
    assert np.array_equal(dask["border_distance_km"], memory["border_distance_km"])
    for column in ("border_side", "in_border_belt", "province"):
        assert dask[column].tolist() == memory[column].tolist(), column


@pytest.mark.parametrize(
    "options",
    [
        ["--by", "province", "--period", "month"],
        ["--by", "belt", "--by", "border_side", "--period", "none"],
        ["--by", "country", "--by", "event_type", "--period", "year", "--belt-km", "30"],
    ],
)
def test_stats_same_as_in_memory(tmp_path, dataset, geojson, scheduler, options) -> None:
    dask_out, memory_out = tmp_path / "dask.csv", tmp_path / "memory.csv"
    common = ["stats", *options, "--format", "csv"]
    assert main([*common, str(dataset), "--engine", "dask", "--scheduler", scheduler, "--out", str(dask_out)]) == 0  # fmt: skip
    assert main([*common, str(geojson), "--out", str(memory_out)]) == 0
    assert dask_out.read_text() == memory_out.read_text()


def test_stats_tables_equal_in_python(dataset, events, scheduler) -> None:
    from dask.distributed import Client

    from geo.analysis import aggregate, enrich
    from geo.context import load_context

    ctx = load_context()
    layers = distributed.Layers(ctx.border, ctx.countries, ctx.provinces)
    with Client(scheduler) as client:
        table, n = distributed.stats_dataset(
            [dataset],
            layers=layers,
            by=("province", "border_side"),
            period="quarter",
            client=client,
        )
    enriched = enrich(events, border=ctx.border, countries=ctx.countries, provinces=ctx.provinces)
    expected = aggregate(enriched.events, by=("province", "border_side"), period="quarter")
    assert n == len(events)
    pd.testing.assert_frame_equal(table, expected)


def test_export_same_as_in_memory(tmp_path, dataset, geojson, scheduler) -> None:
    filters = ["--start", "2022", "--end", "2025-10", "--type", "Battles"]
    out = tmp_path / "exported"
    assert main(["export", str(dataset), *filters, "--engine", "dask", "--scheduler", scheduler, "--out", str(out)]) == 0  # fmt: skip
    assert main(["export", str(geojson), *filters, "--out", str(tmp_path / "m.parquet")]) == 0
    dask = distributed.load_dataset([out]).events
    memory = distributed.load_dataset([tmp_path / "m.parquet"]).events
    assert len(dask) and len(dask) == len(memory)
    pd.testing.assert_frame_equal(dask[COMPARED], memory[COMPARED])


def test_memory_engine_reads_a_dataset(tmp_path, dataset, geojson) -> None:
    a, b = tmp_path / "a.csv", tmp_path / "b.csv"
    assert main(["stats", str(dataset), "--engine", "memory", "--out", str(a)]) == 0
    assert main(["stats", str(geojson), "--out", str(b)]) == 0
    assert a.read_text() == b.read_text()


def test_auto_engine_says_when_it_switches(dataset, scheduler, monkeypatch, capsys) -> None:
    args = ["stats", str(dataset), "--scheduler", scheduler, "--period", "none"]
    assert main(args) == 0
    assert "running on dask" not in capsys.readouterr().err
    monkeypatch.setattr(distributed, "AUTO_ROWS", 100)
    assert main(args) == 0
    err = capsys.readouterr().err
    assert "1,591 events in the dataset, above the 100 that --engine auto runs in memory" in err
    assert "running on dask (--engine memory to override)" in err


def _bad_dataset(tmp_path: Path, kind: str) -> Path:
    folder = tmp_path / "bad"
    folder.mkdir()
    events = read_events(DATA / "events.geojson").events
    if kind == "columns":
        write_events(events.iloc[:5], folder / "ok.parquet")
        events.iloc[:5].drop(columns=["event_type", "date_end"]).to_parquet(folder / "z.parquet")
    elif kind == "not parquet":
        (folder / "notes.parquet").write_text("event_id,date\n1,2022\n")
    elif kind == "value":
        events = events.iloc[:5].copy()
        events.loc[3, "event_type"] = "Bombing"
        write_events(events, folder / "v.parquet")
    return folder


@pytest.mark.parametrize(
    ("kind", "message"),
    [
        ("columns", r"z\.parquet: missing column\(s\) date_end, event_type; a dataset must hold canonical events"),
        ("not parquet", r"notes\.parquet: not a Parquet file"),
        ("empty", r"bad: no \.parquet files in this directory"),
        ("value", r"v\.parquet: row 4, field 'event_type': 'Bombing' is not canonical; accepted: Battles"),
    ],
)  # fmt: skip
def test_bad_dataset_gives_a_message_not_a_traceback(
    tmp_path, scheduler, capsys, kind, message
) -> None:
    folder = _bad_dataset(tmp_path, kind)
    args = ["enrich", str(folder), "--engine", "dask", "--scheduler", scheduler]
    assert main([*args, "--out", str(tmp_path / "out")]) == 1
    err = capsys.readouterr().err
    assert err.startswith("error: ") and "Traceback" not in err
    import re

    assert re.search(message, err), err


def test_dask_engine_needs_a_dataset(tmp_path, capsys) -> None:
    events = str(DATA / "events.geojson")
    assert main(["enrich", events, "--engine", "dask", "--out", str(tmp_path / "o")]) == 1
    assert "--engine dask reads a partitioned GeoParquet dataset" in capsys.readouterr().err


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
    assert "1,591 events after the filters, above the 500 a page holds" in err
    config = _config(out)
    assert config["description"].startswith("Aggregated view of 1,591 events")
    data = config["data"]
    assert isinstance(data, dict)  # small enough to stay plain JSON
    assert data["n"] < 1591
    summaries = data["columns"]["summary"]
    summaries = summaries["dict"] if isinstance(summaries, dict) else summaries
    assert any(" events in this 0.25° cell (" in s for s in summaries)
    assert config["choropleth"]["measure"] == "fatalities"


def test_build_below_the_page_threshold_maps_events(
    tmp_path, dataset, geojson, scheduler, capsys
) -> None:
    out, memory = tmp_path / "map.html", tmp_path / "memory.html"
    args = ["build", "--events", str(dataset), "--engine", "dask", "--scheduler", scheduler]
    assert main([*args, "--start", "2025", "--out", str(out)]) == 0
    assert "aggregates" not in capsys.readouterr().err
    assert main(["build", "--events", str(geojson), "--start", "2025", "--out", str(memory)]) == 0
    config, expected = _config(out), _config(memory)
    assert config["description"] is None
    assert config["data"] == expected["data"]
