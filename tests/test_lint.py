"""Static checks run with the tests, so the README's test command (and CI) fails on them.

ruff (lint and format) over the package and the tests, mypy over the package, Biome over
the page's JavaScript. ruff and mypy are pinned in the ``test`` extra, Biome in
package-lock.json, so a new release cannot turn CI red by itself.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize(
    "command",
    [
        ["ruff", "check", "geo", "tests", "scripts", "bench"],
        ["ruff", "format", "--check", "geo", "tests"],
        ["mypy", "geo"],
    ],
    ids=["ruff-check", "ruff-format", "mypy"],
)
def test_python_static_checks_pass(command: list[str]) -> None:
    proc = subprocess.run(
        [sys.executable, "-m", *command],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert proc.returncode == 0, (
        f"{' '.join(command)} failed:\n{proc.stdout[-4000:]}{proc.stderr[-2000:]}"
    )


def test_page_javascript_lint_passes() -> None:
    """Biome over geo/static (config biome.json), as scripts/lint.sh runs it.

    scripts/install-test-deps.sh installs Biome with ``npm ci`` (pinned in
    package-lock.json); a missing install is a failure with the command to run, not a skip.
    """
    biome = ROOT / "node_modules" / ".bin" / "biome"
    assert biome.exists(), "Biome is not installed: run scripts/install-test-deps.sh (npm ci)"
    proc = subprocess.run(
        [str(biome), "lint", "--error-on-warnings"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert proc.returncode == 0, f"biome lint failed:\n{proc.stdout[-4000:]}{proc.stderr[-2000:]}"
