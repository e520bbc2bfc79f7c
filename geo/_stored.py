"""Stored artefacts: what the shipped data would give when computed, stored beside it.

Three files in the shipped data hold results that would otherwise be computed on every
run (``data/SOURCES.md``): the line, provinces and countries as rows and WKB
(``context_wkb.geojson``), the context layers as the page draws them
(``drawn_layers.geojson``) and the default border belt (``border_belt.geojson``). Each is
a GeoJSON FeatureCollection whose features record the key of what they were made from
(the SHA-256 of a source file, or of a drawing's inputs); a reader uses a feature only
while its key matches, and computes otherwise. ``GEO_EXACT=1`` (:mod:`geo._twins`)
computes everything.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

from geo import _twins


def stored_features(path: str | Path) -> list[dict[str, Any]]:
    """The features of a stored artefact, or none: with the exact paths asked for, or when
    the file is missing or unreadable (then everything is computed)."""
    if _twins.exact():
        return []
    try:
        doc = json.loads(Path(path).read_bytes())
        features = doc["features"]
    except (OSError, ValueError, KeyError, TypeError):
        return []
    return features if isinstance(features, list) else []


def file_digest(path: str | Path) -> str:
    """SHA-256 of a file's bytes, as the artefacts record their sources."""
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()
