"""The Python API: the same map as the command line, frames validated like files, exports."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest

import geo
from geo.api import conflict_map, prepare, validate
from geo.cli import EXAMPLES, main
from geo.context import load_context
from geo.filters import Filters

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data"
ACLED = ROOT / "tests" / "data" / "acled_export.csv"


@pytest.fixture(scope="module")
def context():
    return load_context()


def test_conflict_map_is_the_map_geo_build_writes(tmp_path, context) -> None:
    m = conflict_map(
        str(DATA / "events.geojson"), filters=Filters(start="2022", end="2022"), context=context
    )
    assert len(m.layers.border)  # the border is there
    assert all(getattr(m.layers, k) is not None for k in ("belt", "provinces", "crossings"))
    shown = m.prepared.shown
    assert len(shown) and shown["date_end"].min() >= pd.Timestamp("2022-01-01")
    assert shown["date_start"].max() <= pd.Timestamp("2022-12-31")
    api_page = tmp_path / "api.html"
    m.save(api_page)
    cli_page = tmp_path / "cli.html"
    assert main(["build", "--start", "2022", "--end", "2022", "--out", str(cli_page)]) == 0
    assert api_page.read_bytes() == cli_page.read_bytes()


def test_conflict_map_takes_frames_and_reports(context) -> None:
    frame = gpd.read_file(DATA / "events.geojson")
    from_frame = conflict_map(
        frame, filters=Filters(start="2025-10", end="2025-10"), context=context
    )
    report = geo.load_events([DATA / "events.geojson"])
    from_report = conflict_map(
        report, filters=Filters(start="2025-10", end="2025-10"), context=context
    )
    a, b = from_frame.prepared.shown, from_report.prepared.shown
    assert list(a["event_id"]) == list(b["event_id"]) and len(a) > 5


def test_saving_a_map_as_an_image(tmp_path, context) -> None:
    m = conflict_map(filters=Filters(start="2025-10", end="2025-10"), context=context)
    m.save(tmp_path / "oct.png", size="800x500")
    assert (tmp_path / "oct.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_notebook_display_is_self_contained_and_sealed(context) -> None:
    m = conflict_map(
        filters=Filters(start="2025-10", end="2025-10"), context=context, title="T {{ 7*7 }}"
    )
    html = m._repr_html_()
    assert html.startswith("<div") and "<iframe srcdoc=" in html
    assert "cdn.jsdelivr.net/npm/leaflet" not in html  # Leaflet is inlined
    assert "T {{ 7*7 }}" in html and "T 49" not in html  # the page went through seal()


def _bad_acled(tmp_path: Path) -> Path:
    text = ACLED.read_text(encoding="utf-8").splitlines()
    header, rows = text[0], text[1:]
    cols = header.split(",")
    # break a date and an event type in the second data row, as a CSV editor would
    import csv
    import io

    parsed = list(csv.reader(io.StringIO("\n".join(text))))
    parsed[2][cols.index("event_date")] = "2022-02-30"
    parsed[2][cols.index("event_type")] = "Bombing"
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows(parsed)
    path = tmp_path / "acled_bad.csv"
    path.write_text(buf.getvalue(), encoding="utf-8")
    assert rows
    return path


def test_validate_a_frame_like_the_file(tmp_path) -> None:
    path = _bad_acled(tmp_path)
    from_file = validate(path)
    from_frame = validate(pd.read_csv(path))
    assert from_file and len(from_file) == len(from_frame)
    for f, d in zip(from_file, from_frame, strict=True):
        assert (f.field, f.message, f.severity) == (d.field, d.message, d.severity)
        line = int(f.where.split()[1])
        assert d.where == f"row {line - 2}"  # header is line 1, row labels start at 0


def test_validate_a_canonical_geodataframe() -> None:
    frame = gpd.read_file(DATA / "events.geojson")
    frame.loc[3, "fatalities_low"] = -1
    problems = validate(frame)
    assert [(p.where, p.field, p.message) for p in problems] == [
        ("row 3", "fatalities_low", "must not be negative")
    ]


def test_load_context_overrides_and_unknown_roles(context) -> None:
    crossings = context.crossings.iloc[:2]
    ctx = load_context(crossings=crossings)
    assert len(ctx.crossings) == 2 and "crossings" not in ctx.shipped
    with pytest.raises(
        ValueError, match=r"unknown context layer\(s\) \['rivers'\]; accepted: border"
    ):
        load_context(rivers="x.geojson")


def test_prepare_names_options_in_messages(context) -> None:
    with pytest.raises(ValueError, match=r"^event type 'Skirmish' is not known; accepted: "):
        prepare(context=context, filters=Filters(types=["Skirmish"]))
    with pytest.raises(ValueError, match=r"^end 2022-01-31 is before start 2023-01-01$"):
        prepare(context=context, filters=Filters(start="2023", end="2022-01"))


# ---------------------------------------------------------------- the command itself


def test_version_and_help_name_every_command(capsys) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["--version"])
    assert exc.value.code == 0 and capsys.readouterr().out.strip() == f"geo {geo.__version__}"
    with pytest.raises(SystemExit):
        main(["--help"])
    top = capsys.readouterr().out
    for command in ("build", "batch", "export", "validate", "info", "enrich", "stats"):
        assert re.search(rf"^\s+{command}\s", top, re.M), command
    assert "``" not in top
    for command, example in EXAMPLES.items():
        with pytest.raises(SystemExit):
            main([command, "--help"])
        assert example in capsys.readouterr().out


def test_public_names_are_exported() -> None:
    for name in (
        "conflict_map",
        "load_context",
        "validate",
        "enrich",
        "border_belt",
        "InputError",
        "ValidationError",
        "read_frame",
        "write_events",
        "Context",
        "pull_events",
        "diff_events",
        "correction",
        "write_change_map",
        "access_credits",
        "Diff",
    ):
        assert hasattr(geo, name), name
        assert name in geo.__all__
    import importlib

    importlib.import_module("geo.pull.run")  # the subpackage geo.pull hides no public name
    assert callable(geo.pull_events) and set(geo.__all__) <= set(dir(geo))


def _store(tmp_path: Path) -> Path:
    """A store of two ACLED snapshots: the export, then one toll revised and one event gone."""
    import csv

    from geo.pull import store as st

    with open(ACLED, encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    store = tmp_path / "store"
    entry = {"api": "test", "query": {}, "accessed": "2026-10-12T06:00:00+00:00"}
    st.write_snapshot(store, rows, source="acled", id_field="event_id_cnty", entry=entry)
    later = [dict(r) for r in rows[:-1]]
    later[0]["fatalities"] = str(int(later[0]["fatalities"] or 0) + 3)
    entry = {**entry, "accessed": "2026-12-07T06:00:00+00:00"}
    st.write_snapshot(store, later, source="acled", id_field="event_id_cnty", entry=entry)
    return store


def test_a_store_s_access_date_is_credited_from_python(tmp_path, context) -> None:
    """geo.conflict_map / save_map given a store credit its latest snapshot's access day,
    as geo build --events STORE does; a table or a file adds nothing."""
    store = _store(tmp_path)
    # one credit per source, its date in it (geo.methods): the store's, not an export's
    when = ", accessed 7 Dec 2026 through its API"
    for given in (store, str(store), [store]):
        credits = conflict_map(given, context=context).credits()
        assert any(c.startswith("data: ACLED") and c.endswith(when) for c in credits), credits
    assert not any(when in c for c in conflict_map(ACLED, context=context).credits())
    out = geo.save_map(store, tmp_path / "m.html", context=context)
    assert when in out.read_text(encoding="utf-8")


def test_diff_events_from_python(tmp_path) -> None:
    d = geo.diff_events(_store(tmp_path))
    assert len(d.removed) == 1 and len(d.tolls) == 1 and not d.added
    assert geo.correction(d) == "Since 12 Oct 2026: 0 events added, 1 removed, 1 death toll revised"
    assert d.old_events is not None and d.new_events is not None


def test_the_readme_example_runs(tmp_path) -> None:
    """The README's "Python API" block, run as written (from the repository root)."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = readme.split("## Python API", 1)[1].split("```python", 1)[1].split("```", 1)[0]
    code = block.replace('"maps/', f'"{tmp_path}/')
    proc = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert any(tmp_path.iterdir())


def test_highlight_from_python_is_the_command_line_s(tmp_path, context) -> None:
    spec = ["2026-02-21..2026-03-16", "DL-20260206-ISLAMABAD"]
    api_page = geo.save_map(None, tmp_path / "api.html", context=context, highlight=spec)
    cli_page = tmp_path / "cli.html"
    args = ["build", "--highlight", spec[0], "--highlight", spec[1], "--out", str(cli_page)]
    assert main(args) == 0
    assert api_page.read_bytes() == cli_page.read_bytes()
    m = conflict_map(context=context, highlight="type=Battles")
    assert m.map_options.highlight is not None
    assert m.map_options.highlight.specs == ("type=Battles",)
    with pytest.raises(geo.InputError, match=r"^highlight 'NOPE-1': no event has this id"):
        conflict_map(context=context, highlight=["NOPE-1"])
    with pytest.raises(geo.InputError, match=r"^highlight 'type=Bombs': 'Bombs' is not known"):
        geo.save_map(None, tmp_path / "never.png", context=context, highlight="type=Bombs")
    assert not (tmp_path / "never.png").exists()


def test_conflict_map_takes_an_edition_and_refuses_another_language():
    from geo._errors import InputError
    from geo.api import map_options

    assert map_options(None, lang="fa-AF").lang == "fa-AF"
    with pytest.raises(InputError, match=r"'de' is not an edition; accepted: en, ps, fa-AF, ur"):
        conflict_map(lang="de")
