"""The source terms table (geo.terms): each source's rule, and the strictest rule of a mix."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from geo.terms import (
    DOWNLOAD_ONLY_FIELDS,
    SHOWN_FIELDS,
    TERMS,
    clause_text,
    page_terms,
    source_key,
    source_keys,
)

DATA = Path(__file__).resolve().parents[1] / "data"


def test_every_source_has_a_documented_rule() -> None:
    assert set(TERMS) == {"acled", "ucdp ged", "curated", "unknown"}
    for key, terms in TERMS.items():
        assert terms.key == key and terms.clause and terms.where
        assert set(terms.page_fields) <= {*SHOWN_FIELDS, *DOWNLOAD_ONLY_FIELDS}
        # an address only where a stored copy was read: https, never a constructed one
        assert terms.url is None or terms.url.startswith("https://")
    acled = TERMS["acled"]
    assert not acled.download and acled.date_required
    assert "original/raw" in acled.clause and "acleddata.com" in acled.credit
    assert acled.url == "https://epo.acleddata.com/terms-of-use-and-attribution-policy"
    assert not set(DOWNLOAD_ONLY_FIELDS) & set(acled.page_fields)
    assert TERMS["ucdp ged"].download and "Sundberg & Melander" in TERMS["ucdp ged"].credit
    assert "CC BY 4.0" in TERMS["curated"].credit and TERMS["curated"].download
    assert TERMS["unknown"].credit == "" and TERMS["unknown"].download


def test_the_shown_fields_are_those_the_page_scripts_read() -> None:
    """Every field the popup reads as ``rec.<field>`` is one the page may carry."""
    import re

    popup = (Path(__file__).resolve().parents[1] / "geo" / "static" / "popup.js").read_text()
    read = set(re.findall(r"rec\.([a-z_0-9]+)", popup))
    assert read <= set(SHOWN_FIELDS), read - set(SHOWN_FIELDS)


@pytest.mark.parametrize(
    ("dataset", "shipped", "key"),
    [
        ("ACLED", False, "acled"),
        (" acled ", False, "acled"),
        ("UCDP GED", False, "ucdp ged"),
        ("ucdp", False, "ucdp ged"),
        ("UCDP_GED", False, "ucdp ged"),
        ("curated", False, "curated"),
        ("", True, "curated"),
        ("", False, "unknown"),
        (None, False, "unknown"),
        ("Long War Journal", True, "unknown"),  # a named dataset is never the shipped record
    ],
)
def test_source_key(dataset, shipped, key) -> None:
    assert source_key(dataset, shipped=shipped) == key


def test_source_keys_know_the_shipped_record_by_its_file(tmp_path) -> None:
    other = tmp_path / "mine.geojson"
    events = pd.DataFrame(
        {
            "dataset": ["", "", "ACLED", None],
            "origin_file": [str(DATA / "events.geojson"), str(other), "x.csv", str(other)],
        }
    )
    assert source_keys(events).tolist() == ["curated", "unknown", "acled", "unknown"]
    assert source_keys(pd.DataFrame({"x": [1]})).tolist() == ["unknown"]


@pytest.mark.parametrize(
    ("keys", "download", "date", "names"),
    [
        (["acled"] * 3, False, True, ["ACLED"]),
        (["ucdp ged"], True, False, ["UCDP GED"]),
        (["curated"], True, False, ["curated record"]),
        (["unknown"], True, False, ["unknown"]),
        ([], True, False, ["unknown"]),
        # mixed: the strictest rule; the most events first
        (["curated", "acled", "acled"], False, True, ["ACLED", "curated record"]),
        (["ucdp ged", "curated"], True, False, ["curated record", "UCDP GED"]),
    ],
)
def test_page_terms_take_the_strictest_rule(keys, download, date, names) -> None:
    rule = page_terms(keys)
    assert rule.download is download and rule.date_required is date
    assert [t.name for t, _ in rule.sources] == names
    assert (not download) == bool(rule.forbidding)
    allowed = [set(TERMS[k].page_fields) for k in keys] or [set(TERMS["unknown"].page_fields)]
    assert set(rule.fields) == set.intersection(*allowed)


def test_clause_text_names_the_document_and_its_address() -> None:
    text = clause_text(TERMS["acled"])
    assert text.startswith("ACLED Terms of Use and Attribution Policy: ")
    assert text.endswith(" https://epo.acleddata.com/terms-of-use-and-attribution-policy")
    assert "http" not in clause_text(TERMS["curated"])
