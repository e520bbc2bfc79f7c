"""geo.render.change_page: the change map as a page (the configuration, escaping, bytes)."""

from __future__ import annotations

import json
from html.parser import HTMLParser
from pathlib import Path

import pytest

from geo import diff
from geo.context import load_context
from geo.events import read_events
from geo.render.change_page import change_page
from geo.render.change_style import CHANGE_STYLES
from geo.render.html import to_html

DATA = Path(__file__).resolve().parents[1] / "data"
#: Text a hostile export could hold: markup, a script break-out, a template, a line separator.
HOSTILE = '</script><img src=x onerror="alert(1)"> {{ 7*7 }} {% if 1 %}\u2028&amp;'


class _Scripts(HTMLParser):
    """The page's <script> elements: attributes and text; and its <title>."""

    def __init__(self) -> None:
        super().__init__()
        self.scripts: list[tuple[dict[str, str | None], str]] = []
        self.title = ""
        self._in: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "title"):
            self._in = tag
            if tag == "script":
                self.scripts.append((dict(attrs), ""))

    def handle_endtag(self, tag: str) -> None:
        self._in = None

    def handle_data(self, data: str) -> None:
        if self._in == "script":
            attrs, text = self.scripts[-1]
            self.scripts[-1] = (attrs, text + data)
        elif self._in == "title":
            self.title += data


def hostile_diff() -> tuple[diff.Diff, object, object]:
    """Two versions of the ACLED fixture: one event added, one removed, two revised (a toll
    up, a place renamed to hostile text), hostile text in the added one too."""
    old = read_events(DATA / "acled_export.csv").events
    new = old.copy()
    new.loc[0, "fatalities_best"] = (new.loc[0, "fatalities_best"] or 0) + 4
    new.loc[2, "location"] = HOSTILE
    added = old.iloc[[1]].copy()
    added["event_id"] = "PAK9999"
    added["location"] = HOSTILE
    new = new.drop(index=3)
    import pandas as pd

    new = pd.concat([new, added], ignore_index=True)
    d = diff.compare(old, new, old_name="old", new_name="new")
    return d, old, new


def _page(context_dir: Path) -> str:
    d, old, new = hostile_diff()
    groups = diff.change_groups(d, old, new)  # type: ignore[arg-type]
    m = change_page(
        groups,
        changes=d.values,
        layers=load_context(context_dir).layers(),
        title="Since 12 Oct 2025: " + HOSTILE,
        credits=["data: ACLED data accessed 7 Dec 2026 through its API", HOSTILE],
    )
    return to_html(m)


def _config(page: str) -> dict:
    parser = _Scripts()
    parser.feed(page)
    (block,) = [t for a, t in parser.scripts if a.get("type") == "application/json"]
    return json.loads(block)


def test_the_configuration_counts_and_describes_each_change(context_dir: Path) -> None:
    page = _page(context_dir)
    config = _config(page)
    kinds = {k["kind"]: k for k in config["kinds"]}
    assert [k["kind"] for k in config["kinds"]] == list(CHANGE_STYLES)
    assert {k: v["count"] for k, v in kinds.items()} == {"added": 1, "changed": 2, "removed": 1}
    assert kinds["changed"]["label"] == "Revised (2)"
    for kind, style in CHANGE_STYLES.items():  # one style table for the image and the page
        assert (kinds[kind]["face"], kinds[kind]["edge"], kinds[kind]["path"]) == (
            style["face"], style["edge"], style["path"],
        )  # fmt: skip
    by_id = {e[3]: e for e in config["events"]}
    assert sorted(by_id) == ["AFG0001", "AFG0003", "AFG0004", "PAK9999"]
    assert by_id["AFG0004"][0] == list(CHANGE_STYLES).index("removed")
    toll = dict((f, (a, b)) for f, a, b in by_id["AFG0001"][7])
    before = read_events(DATA / "acled_export.csv").events.loc[0, "fatalities_best"]
    assert toll == {"death toll (best)": (str(before), str(before + 4))}
    (renamed,) = by_id["AFG0003"][7]
    assert renamed[0] == "location" and renamed[2] == HOSTILE  # the text itself, as data
    assert by_id["PAK9999"][6].startswith(HOSTILE)
    assert config["credits"][0] == "data: ACLED data accessed 7 Dec 2026 through its API"


def test_hostile_text_never_becomes_markup(context_dir: Path) -> None:
    page = _page(context_dir)
    parser = _Scripts()
    parser.feed(page)
    assert "<img" not in page and "</script><" not in page
    assert "49" not in _config(page)["title"]  # the template was not evaluated
    assert _config(page)["title"] == "Since 12 Oct 2025: " + HOSTILE
    assert parser.title == "Since 12 Oct 2025: " + HOSTILE  # escaped in <title>, read back
    # no script from elsewhere: the page is self-contained
    assert not [a for a, _ in parser.scripts if (a.get("src") or "").startswith("http")]


def test_same_input_same_bytes(context_dir: Path) -> None:
    assert _page(context_dir) == _page(context_dir)


@pytest.mark.parametrize("name", ["changes.html", "changes.HTML"])
def test_write_change_map_writes_the_page(
    tmp_path: Path, name: str, monkeypatch: pytest.MonkeyPatch, context_dir: Path
) -> None:
    monkeypatch.setenv("GEO_DATA_DIR", str(context_dir))
    d, old, new = hostile_diff()
    out = diff.write_change_map(d, old, new, tmp_path / name, credits=["x"])  # type: ignore[arg-type]
    assert _config(out.read_text(encoding="utf-8"))["title"] == diff.correction(d)
