"""data/context_wkb.geojson: the shipped layers stored ready to load, and its fallback."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from geopandas.testing import assert_geodataframe_equal

from geo.context import (
    SHIPPED,
    STORED_LAYERS,
    STORED_ROLES,
    _stored_layers,
    load_context,
    reader,
)

DATA = Path(__file__).resolve().parents[1] / "data"


@pytest.mark.parametrize("role", STORED_ROLES)
def test_stored_layer_is_the_parsed_source(fast_paths, role) -> None:
    # the stored frame is the reader's frame of the source file, dtypes and WKB included;
    # stale or missing: run python scripts/make_context_wkb.py
    stored = _stored_layers(DATA)
    assert role in stored, "stale: run python scripts/make_context_wkb.py"
    parsed = reader(role)(DATA / SHIPPED[role])
    assert_geodataframe_equal(stored[role], parsed, check_dtype=True, check_crs=True)
    assert list(stored[role].geometry.to_wkb()) == list(parsed.geometry.to_wkb())


def test_load_context_uses_stored_layers_only_for_their_sources(
    fast_paths, tmp_path, monkeypatch
) -> None:
    for name in (*SHIPPED.values(), STORED_LAYERS, "border_belt.geojson"):
        shutil.copy(DATA / name, tmp_path / name)
    monkeypatch.setenv("GEO_DATA_DIR", str(tmp_path))
    assert set(_stored_layers(tmp_path)) == set(STORED_ROLES)
    # a changed source file: its stored copy no longer counts and the file itself is read
    provinces = tmp_path / SHIPPED["provinces"]
    provinces.write_text(provinces.read_text(encoding="utf-8").replace("Kabul", "Kabol"))
    assert set(_stored_layers(tmp_path)) == {"border", "countries"}
    ctx = load_context()
    assert "Kabol" in set(ctx.provinces["province"])
    assert {"border", "provinces", "countries"} <= ctx.shipped
    # a broken store: every layer parsed from its source, the same frames
    (tmp_path / STORED_LAYERS).write_text("{not json")
    assert _stored_layers(tmp_path) == {}
    again = load_context()
    assert_geodataframe_equal(again.countries, ctx.countries, check_dtype=True)
    (tmp_path / STORED_LAYERS).unlink()
    assert _stored_layers(tmp_path) == {}
