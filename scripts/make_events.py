"""Rewrite data/events.geojson canonically, so hand edits give clean diffs.

The events are curated by hand (see data/SOURCES.md and data/CODING.md). This script only
normalises the layout: features ordered by ``date_start`` then ``event_id``, the feature
``id`` equal to ``properties.event_id``, one fixed property order, sources as
``{name, url, date}``, coordinates rounded to 4 decimals, 2-space indented UTF-8 JSON with a
trailing newline. It fails on an unknown or missing property rather than guessing.

    python scripts/make_events.py            # rewrite in place
    python scripts/make_events.py --check    # exit 1 if the file is not canonical
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from geo.schema import CASUALTY_FIELDS

PATH = Path(__file__).resolve().parents[1] / "data" / "events.geojson"

#: Property order of every feature (the table in data/SOURCES.md, "Fields").
PROPERTIES = (
    "event_id",
    "date_start",
    "date_end",
    "date_precision",
    "event_type",
    "sub_event_type",
    "actor1",
    "actor2",
    "assoc_actor1",
    "assoc_actor2",
    "civilian_targeting",
    "country",
    "province",
    "admin2",
    "location",
    "geo_precision",
    *CASUALTY_FIELDS,
    "summary",
    "fatality_note",
    "sources",
    "tags",
)
#: Properties that may be left out (older records, or nothing to say).
OPTIONAL = {"assoc_actor1", "assoc_actor2", "civilian_targeting"}
#: Former names (ACLED's spelling) -> the canonical field names the reader keeps.
RENAMED = {"assoc_actor_1": "assoc_actor1", "assoc_actor_2": "assoc_actor2"}
SOURCE_KEYS = ("name", "url", "date")


def canonical(collection: dict) -> dict:
    features = []
    for feature in collection["features"]:
        props = {RENAMED.get(k, k): v for k, v in feature["properties"].items()}
        unknown = set(props) - set(PROPERTIES)
        missing = set(PROPERTIES) - OPTIONAL - set(props)
        if unknown or missing:
            raise SystemExit(
                f"{props.get('event_id')}: unknown {sorted(unknown)}, missing {sorted(missing)}"
            )
        ordered = {k: props[k] for k in PROPERTIES if k in props}
        ordered["sources"] = [{k: s.get(k) for k in SOURCE_KEYS} for s in props["sources"]]
        lon, lat = feature["geometry"]["coordinates"]
        features.append(
            {
                "type": "Feature",
                "id": props["event_id"],
                "geometry": {"type": "Point", "coordinates": [round(lon, 4), round(lat, 4)]},
                "properties": ordered,
            }
        )
    features.sort(key=lambda f: (f["properties"]["date_start"], f["properties"]["event_id"]))
    return {"type": "FeatureCollection", "features": features}


def dumps(collection: dict) -> str:
    return json.dumps(collection, indent=2, ensure_ascii=False) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path", nargs="?", type=Path, default=PATH)
    parser.add_argument("--check", action="store_true", help="only check; exit 1 if not canonical")
    args = parser.parse_args(argv)
    text = args.path.read_text(encoding="utf-8")
    out = dumps(canonical(json.loads(text)))
    if args.check:
        if out != text:
            print(f"{args.path}: not canonical; run python scripts/make_events.py", file=sys.stderr)
            return 1
        return 0
    if out != text:
        tmp = args.path.with_suffix(".tmp")
        tmp.write_text(out, encoding="utf-8")
        tmp.replace(args.path)
    print(f"{args.path}: {len(json.loads(out)['features'])} events")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
