"""The reader and validation tests again, down the exact paths only (``GEO_EXACT=1``).

Every fast path is tied to its exact twin by a differential test (see :mod:`geo._twins`);
this second, shorter pass makes sure the exact side alone still reads and validates
everything the tests ask of it. The whole suite can run that way too:
``GEO_EXACT=1 python3 -m pytest``.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
#: The readers and validation: what the fast paths stand in for.
MODULES = (
    "tests/test_events.py",
    "tests/test_validate.py",
    "tests/test_arrowcsv.py",
    "tests/test_geojson_fast.py",
    "tests/test_formats.py",
    "tests/test_schema.py",
    "tests/test_io.py",
    "tests/test_context.py",
)


@pytest.mark.skipif(os.environ.get("GEO_EXACT") not in (None, ""), reason="already exact")
def test_readers_and_validation_pass_down_the_exact_paths() -> None:
    env = {**os.environ, "GEO_EXACT": "1"}
    # serially: this test already runs inside one of the suite's workers; the differential
    # tests (marked twin) set both paths themselves, so here they would only repeat themselves
    command = [
        sys.executable,
        "-m",
        "pytest",
        "-q",
        "-n",
        "0",
        "-p",
        "no:cacheprovider",
        "-m",
        "not twin",
        *MODULES,
    ]
    proc = subprocess.run(
        command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=900, check=False
    )
    assert proc.returncode == 0, proc.stdout[-6000:] + proc.stderr[-2000:]
    assert " passed" in proc.stdout.splitlines()[-1]
