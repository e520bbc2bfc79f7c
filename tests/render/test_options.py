"""Map options, output formats and credits: the datasets' own credits reach every output."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest

from geo._errors import InputError
from geo.cli import main
from geo.methods import methods_of
from geo.render.options import MapOptions, credit_parts, output_format
from geo.terms import TERMS

DATA = Path(__file__).resolve().parents[1] / "data"
ACLED_CREDIT = TERMS["acled"].credit
UCDP_CREDIT = TERMS["ucdp ged"].credit
NO_DATE = ", access date not stated"  # ACLED asks for one (geo.terms)


def _frame(datasets: list[str], updated: list[str] | None = None) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "dataset": datasets,
            "dataset_updated": updated if updated is not None else [""] * len(datasets),
            "sources": [[] for _ in datasets],
        }
    )


@pytest.mark.parametrize(
    ("datasets", "updated", "expected"),
    [
        ([], [], []),
        (["", ""], None, []),
        (["ACLED"], ["2025-11-14"], [f"{ACLED_CREDIT}, data as of 14 Nov 2025"]),
        # the latest day any record was updated; text that is no day is passed over
        (
            ["ACLED"] * 3,
            ["2024-01-02", "2025-03-04", "not a day"],
            [f"{ACLED_CREDIT}, data as of 4 Mar 2025"],
        ),
        (["acled", "ACLED"], ["2025-02-30", ""], [ACLED_CREDIT + NO_DATE]),  # no such day
        # the most events first; the usual spellings of UCDP GED are one dataset
        (["ucdp", "UCDP GED", "ACLED"], None, [UCDP_CREDIT, ACLED_CREDIT + NO_DATE]),
        # any other dataset is credited as the file names it
        (["Long War Journal", "ACLED"], None, [ACLED_CREDIT + NO_DATE, "Long War Journal"]),
    ],
)
def test_dataset_credits(datasets, updated, expected) -> None:
    assert list(methods_of(_frame(datasets, updated)).credits) == expected


def test_credit_parts_order_data_layers_outlets_then_extra() -> None:
    import geopandas as gpd
    from shapely.geometry import Point

    events = _frame(["ACLED"])
    events["sources"] = [[{"name": "Dawn"}]]
    layer = gpd.GeoDataFrame(
        {"attribution": ["© OpenStreetMap contributors"], "licence": ["ODbL-1.0"]},
        geometry=[Point(0, 0)],
    )
    parts = credit_parts(events, {"Durand Line": layer, "land": layer}, ["my note"])
    assert parts == [
        f"data: {ACLED_CREDIT}{NO_DATE}",
        "Durand Line, land: © OpenStreetMap contributors (ODbL-1.0)",
        "events: reports by Dawn (cited per event in the HTML map)",
        "my note",
    ]


def test_output_format_by_suffix() -> None:
    assert output_format("x.HTML") == "html" and output_format("x.svg") == "svg"
    with pytest.raises(InputError, match=r"unknown file type '\.jpg'; accepted: \.html"):
        output_format("x.jpg")


@pytest.mark.parametrize(
    ("export", "credit"),
    [("acled_export.csv", ACLED_CREDIT), ("ucdp_ged_export.csv", UCDP_CREDIT)],
)
def test_a_map_of_an_export_credits_its_dataset_in_every_output(tmp_path, export, credit) -> None:
    """The page's attribution (which the print caption copies), the SVG and PDF stills
    and the embed snippet all name the dataset, with a ``--credit`` line after it."""
    from pypdf import PdfReader

    events = str(DATA / export)
    page = tmp_path / "map.html"
    note = "Export taken 20 Nov 2025"
    args = ["--events", events, "--credit", note]
    assert main(["build", *args, "--embed", "--out", str(page)]) == 0
    text = page.read_text(encoding="utf-8")
    config = re.search(r'"attributions":\[(.*?)\]', text)
    assert config and credit.replace("&", "\\u0026amp;") in config.group(1)
    assert note in config.group(1)
    snippet = (tmp_path / "map.embed.html").read_text(encoding="utf-8")
    assert credit.replace("&", "&amp;") in snippet and note in snippet
    for suffix in (".svg", ".pdf"):
        still = tmp_path / f"map{suffix}"
        assert main(["build", *args, "--out", str(still)]) == 0
        if suffix == ".svg":
            body = re.sub(r"\s+", " ", still.read_text(encoding="utf-8"))
        else:
            body = " ".join(p.extract_text() for p in PdfReader(still).pages)
            body = re.sub(r"\s+", " ", body)
        # the credit line wraps; its words are all there, in order
        words = re.escape(credit.replace("&", "&amp;" if suffix == ".svg" else "&"))
        assert re.search(words.replace(r"\ ", r"\s*"), body), suffix


@pytest.mark.parametrize("lang", ["en", "ps", "fa-AF", "ur"])
def test_map_options_keep_an_edition(lang) -> None:
    assert MapOptions(lang=lang).lang == lang


@pytest.mark.parametrize("lang", ["fa", "fa_AF", "EN", "", None, "prs"])
def test_map_options_refuse_a_language_that_is_not_an_edition(lang) -> None:
    with pytest.raises(InputError, match=r"not an edition; accepted: en, ps, fa-AF, ur"):
        MapOptions(lang=lang)
