"""Fetch the fonts and the CLDR extracts the Pashto, Dari and Urdu editions use.

Writes into ``geo/locale/`` (shipped in the wheel):

- ``fonts/noto-naskh-arabic-arabic-400-normal.woff`` and
  ``fonts/noto-nastaliq-urdu-arabic-400-normal.woff``: the Arabic-script subsets of the two
  Noto fonts exactly as the pinned Fontsource npm packages ship them (WOFF 1.0, zlib, so
  fontTools reads them without Brotli), with their OFL licences as ``fonts/*.LICENSE``;
- ``cldr.json``: what Babel does not carry from CLDR: the digits of the numbering systems
  (``supplemental/numberingSystems.json`` of ``cldr-core``), the calendar each territory
  prefers (``calendarPreferenceData.json``) and the Persian calendar's month names, eras and
  date patterns for ``fa-AF``, ``ps`` and ``ur`` (``cldr-cal-persian-full``), with the
  Unicode licence as ``cldr.LICENSE``.

Run ``python scripts/make_i18n_data.py`` from the repository root (needs ``npm``). The
output is byte-for-byte deterministic: the font files are copied, the JSON is sorted.
"""

from __future__ import annotations

import json
import shutil
import tempfile
from pathlib import Path
from typing import Any

from _common import add_cache_dir, data_parser, fetch_npm_package

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_OUT = REPO_ROOT / "geo" / "locale"

#: Pinned packages: a new version is a deliberate change (rerun, review the diff).
FONT_PACKAGES = {
    "@fontsource/noto-naskh-arabic@5.3.0": "noto-naskh-arabic-arabic-400-normal.woff",
    "@fontsource/noto-nastaliq-urdu@5.3.0": "noto-nastaliq-urdu-arabic-400-normal.woff",
}
CLDR_CORE = "cldr-core@48.2.0"
CLDR_PERSIAN = "cldr-cal-persian-full@46.1.0"  # the newest release of that package
PERSIAN_LOCALES = ("fa-AF", "ps", "ur")
NUMBERING_SYSTEMS = ("arab", "arabext", "latn")
TERRITORIES = ("AF", "PK", "001")


def cldr_extract(core: Path, persian: Path) -> dict[str, Any]:
    """The parts of CLDR the editions need that Babel does not expose."""
    supplemental = core / "supplemental"
    systems = json.loads((supplemental / "numberingSystems.json").read_text("utf-8"))
    prefs = json.loads((supplemental / "calendarPreferenceData.json").read_text("utf-8"))
    calendars: dict[str, Any] = {}
    for loc in PERSIAN_LOCALES:
        path = persian / "main" / loc / "ca-persian.json"
        cal = json.loads(path.read_text("utf-8"))["main"][loc]["dates"]["calendars"]["persian"]
        calendars[loc] = {
            "months_wide": [cal["months"]["format"]["wide"][str(m)] for m in range(1, 13)],
            "months_standalone_wide": [
                cal["months"]["stand-alone"]["wide"][str(m)] for m in range(1, 13)
            ],
            "era_abbr": cal["eras"]["eraAbbr"]["0"],
            "date_formats": cal["dateFormats"],
        }
    core_version = systems["supplemental"]["version"]["_cldrVersion"]
    return {
        "sources": {
            "numbering_systems": CLDR_CORE,
            "calendar_preference": CLDR_CORE,
            "persian": CLDR_PERSIAN,
            "cldr_core_version": core_version,
        },
        "numbering_systems": {
            ns: systems["supplemental"]["numberingSystems"][ns]["_digits"]
            for ns in NUMBERING_SYSTEMS
        },
        "calendar_preference": {
            t: prefs["supplemental"]["calendarPreferenceData"][t] for t in TERRITORIES
        },
        "persian": calendars,
    }


def main() -> None:
    parser = data_parser(__doc__, DEFAULT_OUT, out_help="output folder (geo/locale)")
    add_cache_dir(parser)
    args = parser.parse_args()
    out: Path = args.out
    (out / "fonts").mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        cache = args.cache_dir or Path(tmp)
        for spec, name in FONT_PACKAGES.items():
            package = fetch_npm_package(spec, cache)
            shutil.copyfile(package / "files" / name, out / "fonts" / name)
            licence = out / "fonts" / name.replace(".woff", ".LICENSE")
            shutil.copyfile(package / "LICENSE", licence)
            print(f"wrote {out / 'fonts' / name} ({(out / 'fonts' / name).stat().st_size} B)")
        core = fetch_npm_package(CLDR_CORE, cache)
        extract = cldr_extract(core, fetch_npm_package(CLDR_PERSIAN, cache))
        shutil.copyfile(core / "LICENSE", out / "cldr.LICENSE")
    text = json.dumps(extract, ensure_ascii=False, indent=1, sort_keys=True)
    (out / "cldr.json").write_text(text + "\n", encoding="utf-8")
    print(f"wrote {out / 'cldr.json'}")


if __name__ == "__main__":
    main()
