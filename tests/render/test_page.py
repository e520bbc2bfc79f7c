"""The Python ↔ JavaScript contract: the page reads exactly the keys of PageConfig."""

from __future__ import annotations

import re
from importlib.resources import files

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
