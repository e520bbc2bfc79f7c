"""The "Sources and methods" box (geo.methods) and the source terms applied by ``geo build``.

Acceptance (issue 22): a page built from an ACLED export credits ACLED with a date in the
page, print caption, PNG/SVG/PDF and snippet; it offers no row download unless
``--allow-download`` is given; its embedded data holds no field the page does not show.
The browser half (the panel, the print caption, the download control) is in
``tests/browser/test_terms_page.py``.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
from pathlib import Path

import pandas as pd
import pytest

from geo._errors import InputError
from geo.cli import main
from geo.filters import Filters
from geo.methods import (
    carried_summary,
    download_warning,
    methods_of,
    parse_accessed,
)
from geo.terms import DOWNLOAD_ONLY_FIELDS, SHOWN_FIELDS, TERMS

DATA = Path(__file__).resolve().parent / "data"
SHIPPED = Path(__file__).resolve().parents[1] / "data" / "events.geojson"
ACLED = DATA / "acled_export.csv"
UCDP = DATA / "ucdp_ged_export.csv"
#: The latest ``timestamp`` of the ACLED fixture, the date its credit states by default.
ACLED_AS_OF = "data as of 14 Nov 2023"
_CONFIG = re.compile(r'<script type="application/json" id="[^"]*_config">(.*?)</script>', re.S)


def page_config(path: Path) -> dict:
    """The page's configuration block, parsed (the data the page embeds)."""
    found = _CONFIG.search(path.read_text(encoding="utf-8"))
    assert found
    return json.loads(found.group(1))


def _build(tmp_path: Path, *args: str, out: str = "map.html") -> Path:
    path = tmp_path / out
    assert main(["build", *args, "--out", str(path)]) == 0
    return path


# ---- parse_accessed ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "day"),
    [
        ("2026-03-01", dt.date(2026, 3, 1)),
        (" 2026-03-01 ", dt.date(2026, 3, 1)),
        (dt.date(2025, 1, 2), dt.date(2025, 1, 2)),
        (dt.datetime(2025, 1, 2, 13, 5), dt.date(2025, 1, 2)),
        (None, None),
    ],
)
def test_parse_accessed_accepts_a_day(value, day) -> None:
    assert parse_accessed(value) == day


@pytest.mark.parametrize(
    "value",
    ["2026-13-01", "2026-02-30", "1 Mar 2026", "20260301", "", "2026-03-01<script>", 20260301],
)
def test_parse_accessed_refuses_anything_else(value) -> None:
    with pytest.raises(
        InputError, match=r"--accessed .*: not a date; accepted: a day as YYYY-MM-DD"
    ):
        parse_accessed(value)


def test_a_bad_accessed_date_stops_the_build_before_anything_is_written(tmp_path, capsys) -> None:
    out = tmp_path / "map.html"
    hostile = "2026-03-01\x1b]0;PWNED\x07</script>"
    with pytest.raises(SystemExit):
        main(["build", "--events", str(ACLED), "--accessed", hostile, "--out", str(out)])
    err = capsys.readouterr().err
    assert "--accessed" in err and "not a date; accepted: a day as YYYY-MM-DD" in err
    assert "\x1b" not in err and "\\x1b" in err  # the value shown escaped
    assert not out.exists()


# ---- methods_of --------------------------------------------------------------------------


def _events(**cols) -> pd.DataFrame:
    n = len(next(iter(cols.values())))
    base = {"dataset": [""] * n, "sources": [[] for _ in range(n)]}
    return pd.DataFrame({**base, **cols})


def test_the_date_of_a_source_is_the_first_known(tmp_path) -> None:
    export = tmp_path / "export.csv"
    export.write_text("x\n", encoding="utf-8")
    os.utime(export, (1_700_000_000, 1_700_000_000))  # 14 Nov 2023 UTC
    frame = _events(dataset=["ACLED"], origin_file=[str(export)], dataset_updated=[""])
    # the file's own day where nothing better is known
    assert methods_of(frame).credits == (f"{TERMS['acled'].credit}, export file dated 14 Nov 2023",)
    # the export's own metadata (ACLED's timestamp) before the file's day
    frame["dataset_updated"] = ["2025-01-02"]
    assert methods_of(frame).credits[0].endswith(", data as of 2 Jan 2025")
    # a store's access time before both
    store = tmp_path / "store"
    store.mkdir()
    snap = store / "snapshot-0001.parquet"
    snap.write_bytes(b"")
    (store / "manifest.json").write_text(
        json.dumps({"format": "geo-store", "version": 1, "source": "acled",
                    "snapshots": [{"file": snap.name, "accessed": "2026-12-07T10:00:00+00:00"}]}),
        encoding="utf-8",
    )  # fmt: skip
    frame["origin_file"] = [str(snap)]
    assert methods_of(frame).credits[0].endswith(", accessed 7 Dec 2026 through its API")
    # --accessed before everything
    got = methods_of(frame, accessed=dt.date(2026, 3, 1))
    assert got.credits[0].endswith(", accessed 1 Mar 2026")


def test_a_source_without_a_date_requirement_gets_no_file_date(tmp_path) -> None:
    """The shipped record's day would change with every checkout: its credit has none."""
    frame = _events(dataset=[""], origin_file=[str(SHIPPED)])
    assert methods_of(frame).credits == (TERMS["curated"].credit,)
    frame = _events(dataset=["ACLED"])
    assert methods_of(frame).credits[0].endswith(", access date not stated")


def test_methods_state_filters_derived_fields_and_the_download() -> None:
    frame = _events(dataset=["ACLED", "UCDP GED"], border_distance_km=[1.0, 2.0],
                    border_side=["AFG", "PAK"], in_border_belt=[True, False],
                    province=["Khost", "Kurram"])  # fmt: skip
    filters = Filters(start="2025-10-01", end="2025-10-31", provinces=("Khost",), min_fatalities=2)
    got = methods_of(frame, filters)
    assert got.filters == (
        "dates 1 Oct 2025 to 31 Oct 2025",
        "provinces: Khost",
        "at least 2 killed",
    )
    assert got.derived == ("distance to the Durand Line", "side of the line", "border belt",
                           "province where a record names none")  # fmt: skip
    lines = got.lines()
    assert lines[0].startswith("Data: ACLED (") and "; UCDP Georeferenced" in lines[0]
    assert (
        lines[1] == "Filters: dates 1 Oct 2025 to 31 Oct 2025; provinces: Khost; at least 2 killed"
    )
    assert lines[-1] == "Row download: off (ACLED Terms of Use and Attribution Policy)"
    assert not got.download and download_warning(got) is None
    assert not set(DOWNLOAD_ONLY_FIELDS) & set(got.fields)
    opened = methods_of(frame, filters, allow_download=True)
    assert opened.download and [t.key for t in opened.overridden] == ["acled"]
    assert opened.lines()[-1] == "Row download: on by the publisher's choice, against ACLED terms"
    warning = download_warning(opened)
    assert warning and "original/raw" in warning and TERMS["acled"].url in warning
    # with the download on, the page may carry what the download holds, as far as ACLED allows
    assert set(opened.fields) == set(TERMS["acled"].page_fields)


def test_carried_summary() -> None:
    acled = methods_of(_events(dataset=["ACLED"] * 3))
    columns = ["event_id", "date_start", "summary", "lat", "lon", "highlighted"]
    assert carried_summary(acled, 2314, columns) == (
        "page carries 4 fields of 2,314 ACLED events; row download off (ACLED terms)"
    )
    own = methods_of(_events(dataset=[""]))
    assert carried_summary(own, 1, columns) == "page carries 4 fields of 1 events; row download on"


# ---- geo build applies the terms ---------------------------------------------------------


def _event_columns(config: dict) -> set[str]:
    return set(config["data"]["columns"]) - {"lat", "lon"}


def test_an_acled_page_carries_only_what_it_shows_and_no_download(tmp_path, capsys) -> None:
    page = _build(tmp_path, "--events", str(ACLED))
    out = capsys.readouterr().out
    config = page_config(page)
    carried = _event_columns(config)
    assert carried <= set(SHOWN_FIELDS), carried - set(SHOWN_FIELDS)
    # ACLED's own columns the page does not show never reach it
    assert not {"dataset", "dataset_updated", "tags", "in_border_belt"} & carried
    assert "injured_best" not in carried  # ACLED has no injuries: nothing to show
    assert config["download"] is False and config["exportColumns"] == []
    lines = config["methods"]["lines"]
    assert lines[0] == f"Data: {TERMS['acled'].credit}, {ACLED_AS_OF}"
    assert lines[-1] == "Row download: off (ACLED Terms of Use and Attribution Policy)"
    assert config["methods"]["terms"][0]["url"] == TERMS["acled"].url
    assert any(a.startswith("Data: ACLED") and ACLED_AS_OF in a for a in config["attributions"])
    assert (
        f"page carries {len(carried) + 1} fields of 4 ACLED events; row download off (ACLED terms)"
        in out
    )


def test_allow_download_turns_it_on_with_a_warning_naming_the_clause(tmp_path, capsys) -> None:
    page = _build(tmp_path, "--events", str(ACLED), "--allow-download", "--accessed", "2026-03-01")
    captured = capsys.readouterr()
    config = page_config(page)
    assert config["download"] is True and "event_id" in config["exportColumns"]
    assert set(config["exportColumns"]) <= _event_columns(config) | {"date_start", "date_end"}
    assert "row download on (--allow-download)" in captured.out
    assert "warning: --allow-download" in captured.err
    assert "original/raw" in captured.err and TERMS["acled"].url in captured.err
    assert config["methods"]["lines"][0].endswith(", accessed 1 Mar 2026")


@pytest.mark.parametrize(
    ("inputs", "download", "credits"),
    [
        ([UCDP], True, ["UCDP Georeferenced Event Dataset"]),
        ([SHIPPED], True, ["curated record of the geo project (CC BY 4.0)"]),
        ([DATA / "context" / "events.geojson"], True, []),
        ([ACLED, SHIPPED], False, ["curated record", "ACLED"]),  # the strictest rule
        ([UCDP, ACLED], False, ["ACLED", "UCDP"]),
    ],
)
def test_the_rule_of_each_source_and_of_a_mix(tmp_path, inputs, download, credits) -> None:
    args = [a for path in inputs for a in ("--events", str(path))]
    config = page_config(_build(tmp_path, *args))
    assert config["download"] is download
    assert bool(config["exportColumns"]) is download
    carried = _event_columns(config)
    assert carried <= set(SHOWN_FIELDS) | (set(DOWNLOAD_ONLY_FIELDS) if download else set())
    data_line = config["methods"]["lines"][0] if credits else ""
    for name in credits:
        assert name in data_line
    if not credits:
        assert not config["methods"]["lines"][0].startswith("Data:")


def _words(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def test_every_output_of_an_acled_build_credits_acled_with_a_date(tmp_path) -> None:
    from pypdf import PdfReader

    args = ["--events", str(ACLED), "--accessed", "2026-03-01"]
    _build(tmp_path, *args, "--embed", out="map.html")
    credit = "acleddata.com, accessed 1 Mar 2026"
    snippet = (tmp_path / "map.embed.html").read_text(encoding="utf-8")
    assert credit in snippet and "Derived by geo: distance to the Durand Line" in snippet
    svg = _words(_build(tmp_path, *args, out="map.svg").read_text(encoding="utf-8"))
    pdf = _build(tmp_path, *args, out="map.pdf")
    pdf_text = _words(" ".join(p.extract_text() for p in PdfReader(pdf).pages))
    for body in (svg, pdf_text):
        # the credit block wraps: its words in order, any space between
        pattern = r"\s*".join(map(re.escape, ["ACLED", "(Armed", "Conflict"]))
        assert re.search(pattern, body)
        assert re.search(r"accessed\s*1\s*Mar\s*2026", body)
        assert re.search(r"Derived\s*by\s*geo", body)
    png = _build(tmp_path, *args, out="map.png")
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"  # the same figure as the SVG, drawn


def test_the_batch_index_states_the_sources_and_methods(tmp_path) -> None:
    from html.parser import HTMLParser

    out = tmp_path / "maps"
    assert main(["batch", "--events", str(ACLED), "--period", "year", "--out-dir", str(out),
                 "--accessed", "2026-03-01"]) == 0  # fmt: skip

    class Items(HTMLParser):
        def __init__(self) -> None:
            super().__init__()
            self.inside, self.items = False, []

        def handle_starttag(self, tag, attrs) -> None:
            if tag == "section" and ("class", "methods") in attrs:
                self.inside = True
            elif tag == "li" and self.inside:
                self.items.append("")

        def handle_endtag(self, tag) -> None:
            if tag == "section":
                self.inside = False

        def handle_data(self, data) -> None:
            if self.inside and self.items:
                self.items[-1] += data

    parser = Items()
    parser.feed((out / "index.html").read_text(encoding="utf-8"))
    parser.items = [item.strip() for item in parser.items]
    assert parser.items[0] == f"Data: {TERMS['acled'].credit}, accessed 1 Mar 2026"
    assert parser.items[-1] == "Row download: off (ACLED Terms of Use and Attribution Policy)"
    page = next(out.glob("20*.html"))
    assert page_config(page)["download"] is False


def test_the_api_takes_accessed_and_allow_download() -> None:
    import geo

    m = geo.conflict_map(str(ACLED), accessed="2026-03-01")
    assert not m.methods().download
    assert m.credits()[0] == f"data: {TERMS['acled'].credit}, accessed 1 Mar 2026"
    opened = geo.conflict_map(str(ACLED), allow_download=True)
    assert opened.methods().download and opened.methods().overridden
    with pytest.raises(InputError, match=r"--accessed '1 March': not a date"):
        geo.conflict_map(str(ACLED), accessed="1 March")


def test_a_spec_file_holds_accessed_and_allow_download(tmp_path) -> None:
    spec = tmp_path / "map.toml"
    spec.write_text(
        f'command = "build"\nevents = [{json.dumps(str(ACLED))}]\nout = "map.html"\n'
        'accessed = "2026-03-01"\nallow-download = true\n',
        encoding="utf-8",
    )
    assert main(["build", str(spec)]) == 0
    config = page_config(tmp_path / "map.html")
    assert config["download"] is True
    assert config["methods"]["lines"][0].endswith(", accessed 1 Mar 2026")
