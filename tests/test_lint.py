"""Static checks run with the tests, so the README's test command (and CI) fails on them.

ruff (lint and format) over the package and the tests, mypy over the package. Both are
pinned in the ``test`` extra, so a new release cannot turn CI red by itself.
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
def test_static_checks_pass(command: list[str]) -> None:
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
