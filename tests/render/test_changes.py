"""geo.render.changes: the change map draws each kind of change, counted in its legend."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd

from geo.context import load_context
from geo.events import read_events
from geo.render.changes import change_map
from geo.render.static import image_bytes

DATA = Path(__file__).resolve().parents[1] / "data"


def test_each_kind_drawn_and_counted(context_dir: Path) -> None:
    events = read_events(DATA / "acled_export.csv").events
    groups = {"added": events.iloc[:2], "changed": events.iloc[2:3], "removed": events.iloc[3:]}
    fig = change_map(
        groups,
        layers=load_context(context_dir).layers(),
        title="Since 12 Oct 2025: $x$ {{ 7*7 }}",
        credits=["data: ACLED"],
    )
    (ax,) = fig.axes
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert labels == ["Added (2)", "Revised (1)", "Removed (1)"]
    drawn = {c.get_gid(): len(c.get_offsets()) for c in ax.collections if c.get_gid()}
    assert drawn["added"] == 2 and drawn["changed"] == 1 and drawn["removed"] == 1
    texts = [t.get_text() for t in fig.texts]
    assert "Since 12 Oct 2025: $x$ {{ 7*7 }}" in texts  # literal, never parsed
    assert image_bytes(fig, "png").startswith(b"\x89PNG")


def test_no_change_still_draws_the_region(context_dir: Path) -> None:
    empty = gpd.GeoDataFrame({"geometry": []}, geometry="geometry", crs="EPSG:4326")
    fig = change_map(
        {"added": empty, "changed": empty, "removed": empty},
        layers=load_context(context_dir).layers(),
        title="no change",
    )
    labels = [t.get_text() for t in fig.axes[0].get_legend().get_texts()]
    assert labels == ["Added (0)", "Revised (0)", "Removed (0)"]
    assert image_bytes(fig, "png").startswith(b"\x89PNG")
