"""axe-core in Chromium over the English, Pashto, Dari and Urdu pages (issue 24's acceptance):
no WCAG 2.1 A or AA violation at a desktop's and a phone's size, as the page opens and with
the legend and the "Sources and methods" panel open.

axe-core is the npm package pinned in package-lock.json (``npm ci``; scripts/install-test-deps.sh
installs it on a fresh machine); it is injected into the built page, which stays as published.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from geo import _browser
from geo.cli import main

pytestmark = pytest.mark.browser
AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
LANGS = ("en", "ps", "fa-AF", "ur")
SIZES = [(1400, 900), (390, 844)]
#: The rules of WCAG 2.0 and 2.1, levels A and AA.
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]

_RUN = """(tags) => axe.run(document, {runOnly: {type: "tag", values: tags}, resultTypes: ["violations"]})
  .then(r => r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.map(n => ({target: n.target.join(" "), summary: n.failureSummary}))})))"""

_OPEN_PANELS = """() => {
  const toggle = document.querySelector(".geo-legend-toggle");
  if (toggle && toggle.getAttribute("aria-expanded") === "false") { toggle.click(); }
  const link = document.querySelector(".geo-methods-link");
  if (link) { link.click(); }
  const body = document.querySelector(".geo-legend-body");
  return {legend: !!body && !body.hidden && body.getClientRects().length > 0,
          methods: conflictMap.methods() !== null && conflictMap.methods().open};
}"""


@pytest.fixture(scope="module")
def pages(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    if not AXE.is_file():  # a missing dev dependency must fail, not skip
        pytest.fail(f"{AXE} is missing: run `npm ci` (scripts/install-test-deps.sh)")
    d = tmp_path_factory.mktemp("axe")
    out = {}
    for lang in LANGS:
        out[lang] = d / f"{lang}.html"
        assert main(["build", "--lang", lang, "--out", str(out[lang])]) == 0
    return out


def _violations(page: Any) -> list[dict[str, Any]]:
    return list(page.evaluate(_RUN, TAGS))


def _report(violations: list[dict[str, Any]]) -> str:
    lines = []
    for v in violations:
        lines.append(f"{v['id']} ({v['impact']}): {v['help']}")
        lines += [f"    {n['target']}: {n['summary']}" for n in v["nodes"][:8]]
    return "\n".join(lines)


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize(("width", "height"), SIZES)
def test_axe_finds_no_wcag_21_aa_violation(browser, pages, lang, width, height) -> None:
    rec = _browser.open_map(browser, pages[lang], width=width, height=height)
    page = rec.page
    try:
        page.add_script_tag(path=str(AXE))
        assert page.evaluate("() => typeof axe.run") == "function"
        found = _violations(page)
        assert found == [], "as the page opens:\n" + _report(found)
        opened = page.evaluate(_OPEN_PANELS)
        assert opened == {"legend": True, "methods": True}, opened
        page.wait_for_timeout(200)  # the panel's focus and the legend's layout
        found = _violations(page)
        assert found == [], "legend and sources panel open:\n" + _report(found)
        assert rec.real_errors() == []
    finally:
        page.close()


def test_axe_as_run_here_reports_a_violation(browser, pages) -> None:
    # the harness can fail: a nameless button and an image without alt text are reported
    rec = _browser.open_map(browser, pages["en"], width=1400, height=900)
    page = rec.page
    try:
        page.add_script_tag(path=str(AXE))
        page.evaluate("""() => {
          document.body.appendChild(document.createElement("button"));
          const img = document.createElement("img");
          img.src = "data:image/gif;base64,R0lGODlhAQABAAAAACw=";
          document.body.appendChild(img);
        }""")
        ids = {v["id"] for v in _violations(page)}
        assert {"button-name", "image-alt"} <= ids, ids
    finally:
        page.close()
