"""The Python ↔ JavaScript contract: the page reads exactly the keys of PageConfig."""

from __future__ import annotations

import re
from importlib.resources import files

import pytest

from geo.render.edition import EDITION_JS
from geo.render.page import STATIC_JS, PageConfig


def _static(name: str) -> str:
    return files("geo").joinpath("static", name).read_text(encoding="utf-8")


def test_the_scripts_read_only_page_config_keys() -> None:
    read = set()
    for name in STATIC_JS + EDITION_JS:
        read |= set(re.findall(r"\bconfig\.([A-Za-z_]\w*)", _static(name)))
    assert read == set(PageConfig.__annotations__), read ^ set(PageConfig.__annotations__)


def test_every_key_is_documented() -> None:
    source = files("geo").joinpath("render", "page.py").read_text(encoding="utf-8")
    for key in PageConfig.__annotations__:
        assert re.search(rf'\n    {key}: [^\n]+\n    """', source), key


def test_each_script_states_its_place_in_the_load_order() -> None:
    from geo.render.change_page import CHANGE_JS  # the change map's page: a list of its own

    names = [p.name for p in files("geo").joinpath("static").iterdir() if p.name.endswith(".js")]
    assert sorted(names) == sorted(STATIC_JS + CHANGE_JS + EDITION_JS)
    for scripts in (STATIC_JS, CHANGE_JS, EDITION_JS):
        for k, name in enumerate(scripts, 1):
            assert f"load order {k} of {len(scripts)}" in _static(name), name


def test_the_default_page_weighs_at_most_600_kb(tmp_path) -> None:
    # issue 20: the self-contained default page (Leaflet, the page's scripts and styles
    # minified, the drawn layers encoded, the shipped events) stays under 600 KB
    from geo.cli import main

    out = tmp_path / "page.html"
    assert main(["build", "--out", str(out)]) == 0
    assert out.stat().st_size <= 600 * 1000, out.stat().st_size


#: The Urdu page over the budget, measured: its Nastaliq subset alone is 104 KB of WOFF2 (140 KB
#: as base64; 741 glyphs reached through GSUB from the page's 48 letters, and still 51 KB if
#: cut to the 256 glyphs HarfBuzz shapes the page's strings to), where the page leaves 27 KB.
_URDU_OVER = pytest.mark.xfail(
    strict=True, reason="the Nastaliq subset (140 KB as base64) does not fit in 600 KB"
)


@pytest.mark.parametrize("lang", ["ps", "fa-AF", pytest.param("ur", marks=_URDU_OVER)])
def test_each_edition_page_weighs_at_most_600_kb(tmp_path, lang) -> None:
    # issue 24: the editions carry their font subset (WOFF2), scripts and data on top of the
    # English page and stay within the same budget
    from geo.cli import main

    out = tmp_path / f"{lang}.html"
    assert main(["build", "--lang", lang, "--out", str(out)]) == 0
    assert out.stat().st_size <= 600 * 1000, out.stat().st_size


def test_the_urdu_page_weighs_no_more_than_measured(tmp_path) -> None:
    # until the Urdu page fits the 600 KB budget (above), it may not grow: 723,982 bytes
    # measured with the WOFF2 subset (793,660 with WOFF and glyph names)
    from geo.cli import main

    out = tmp_path / "ur.html"
    assert main(["build", "--lang", "ur", "--out", str(out)]) == 0
    assert out.stat().st_size <= 730 * 1000, out.stat().st_size
