"""Write data/place_names.csv: the names of the map's places in the editions' scripts.

One row per place of the shipped layers (countries and neighbours, provinces, towns,
border crossings) and edition (``ps``, ``fa-AF``, ``ur``): ``kind,name,lang,local,source``.
``name`` is the Latin name as the layer spells it, ``local`` the name in the edition's
script, ``source`` where it came from; a place no source names in Arabic script keeps its
Latin name, with ``source`` ``latin fallback`` (the gaps ``data/SOURCES.md`` counts).

Sources, first found wins:

- countries: CLDR territory names through Babel (``Locale('ps').territories``);
- towns: CLDR's exemplar city of the time zone (Kabul, Karachi) through Babel, then
  GeoNames' language-tagged alternate names as Debian ships them for libgeonames
  (``libgeonames-common`` 0.3.0-1: ``/usr/share/locale/<lang>/LC_MESSAGES/geonames.mo``,
  keyed by GeoNames id; the Latin names, ids and points are the ``cities.compiled``
  resource of ``libgeonames0`` 0.3.0-1). A town takes the GeoNames place of its country
  nearest to its point within :data:`TOWN_KM` whose folded name starts like its own;
  then GNOME's translations of its weather locations (``libgweather-4-common`` 4.2.0-2:
  the towns of ``Locations.xml`` by their English name, ``libgweather-4.0-locations.mo``;
  Persian only);
- provinces: the same catalogues' first-order divisions (``AF.23``), the code found from
  the Latin division names in ``cities.compiled`` (a division no GeoNames town lies in
  cannot be identified, and is a gap);
- crossings: every part of the crossing's name (``Chaman–Spin Boldak``) named as a town is.

GeoNames has Persian (``fa``), not Dari: the Dari edition takes the Persian names. A name
holding any letter outside the Arabic script (GeoNames has a few romanised "translations")
is not taken.

Needs ``apt-get`` and ``dpkg-deb`` (a Debian system), ``gresource`` (``libglib2.0-bin``)
and GLib. Usage: ``python scripts/make_place_names.py [--cache-dir DIR]``; the output is
byte-for-byte deterministic.
"""

from __future__ import annotations

import csv
import ctypes
import ctypes.util
import gettext
import io
import json
import math
import subprocess
import tempfile
import unicodedata
from pathlib import Path
from typing import Any

from _common import add_cache_dir, data_parser
from babel import Locale

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_OUT = REPO_ROOT / "data" / "place_names.csv"
#: The Debian packages read, pinned (Debian 12 "bookworm").
DEBIAN = ("libgeonames0=0.3.0-1", "libgeonames-common=0.3.0-1", "libgweather-4-common=4.2.0-2")
RESOURCE = "/com/lomiri/geonames/cities.compiled"
LIBRARY = "usr/lib/x86_64-linux-gnu/libgeonames.so.0.3.0"
LOCATIONS = "usr/share/libgweather-4/Locations.xml"
#: The editions: their CLDR locale and the GeoNames catalogue they read.
EDITIONS = {"ps": ("ps", "ps"), "fa-AF": ("fa_AF", "fa"), "ur": ("ur", "ur")}
#: The CLDR time zones whose exemplar city names a town of ours.
ZONES = {"Kabul": "Asia/Kabul", "Karachi": "Asia/Karachi"}
#: A town is the GeoNames place nearest to it within this distance (km).
TOWN_KM = 10.0
#: Our provinces' spellings where GeoNames' differ (Latin to Latin: which division is ours).
PROVINCE_SPELLINGS = {
    "Ghor": "Ghowr",
    "Khost": "Khowst",
    "Azad Jammu and Kashmir": "Azad Kashmir",
    "Islamabad Capital Territory": "Islamabad",
}
KINDS = ("country", "province", "town", "crossing")
FALLBACK = "latin fallback"


def fold(text: str) -> str:
    """Lower case without diacritics or anything but letters (``Khōst`` -> ``khost``)."""
    bare = unicodedata.normalize("NFKD", text)
    return "".join(c for c in bare if c.isalpha() and not unicodedata.combining(c)).lower()


def arabic_script(text: str) -> bool:
    """Whether every letter of ``text`` is of the Arabic script (and it has one)."""
    letters = [c for c in text if c.isalpha()]
    return bool(letters) and all("ARABIC" in unicodedata.name(c, "") for c in letters)


def fetch_debian(cache: Path) -> Path:
    """Download and unpack the pinned Debian packages; their unpacked root."""
    root = cache / ("debian-" + "-".join(p.split("=")[1] for p in DEBIAN))
    if (root / LIBRARY).is_file() and (root / LOCATIONS).is_file():
        return root
    debs = cache / "debs"
    debs.mkdir(parents=True, exist_ok=True)
    subprocess.run(["apt-get", "download", *DEBIAN], cwd=debs, check=True, capture_output=True)
    for deb in sorted(debs.glob("*.deb")):
        subprocess.run(["dpkg-deb", "-x", str(deb), str(root)], check=True)
    return root


def _glib() -> Any:
    g = ctypes.CDLL(ctypes.util.find_library("glib-2.0"))
    vp = ctypes.c_void_p
    sigs = {
        "g_variant_type_new": (vp, [ctypes.c_char_p]),
        "g_variant_new_from_data": (
            vp, [vp, ctypes.c_char_p, ctypes.c_size_t, ctypes.c_int, vp, vp]
        ),
        "g_variant_n_children": (ctypes.c_size_t, [vp]),
        "g_variant_get_child_value": (vp, [vp, ctypes.c_size_t]),
        "g_variant_get_string": (ctypes.c_char_p, [vp, vp]),
        "g_variant_get_double": (ctypes.c_double, [vp]),
        "g_variant_unref": (None, [vp]),
    }  # fmt: skip
    for name, (res, args) in sigs.items():
        getattr(g, name).restype = res
        getattr(g, name).argtypes = args
    return g


def read_cities(root: Path) -> list[dict[str, Any]]:
    """The places of ``cities.compiled`` in Afghanistan and Pakistan: GeoNames id, name,
    first-order division (code and name), country (alpha-2), latitude, longitude."""
    data = subprocess.run(
        ["gresource", "extract", str(root / LIBRARY), RESOURCE], check=True, capture_output=True
    ).stdout
    g = _glib()
    buf = ctypes.create_string_buffer(data, len(data))
    kind = g.g_variant_type_new(b"a(sssssssudd)")
    array = g.g_variant_new_from_data(kind, buf, len(data), 0, None, None)
    out = []
    for i in range(g.g_variant_n_children(array)):
        row = g.g_variant_get_child_value(array, i)
        fields: list[Any] = []
        for j in (0, 1, 2, 3, 4, 8, 9):
            value = g.g_variant_get_child_value(row, j)
            get = g.g_variant_get_string if j < 7 else g.g_variant_get_double
            fields.append(get(value, None).decode() if j < 7 else get(value))
            g.g_variant_unref(value)
        g.g_variant_unref(row)
        gid, name, a1, a1_name, cc, lat, lon = fields
        if cc in ("AF", "PK"):
            out.append({"id": gid, "name": name, "admin1": f"{cc}.{a1}",
                        "admin1_name": a1_name, "cc": cc, "lat": lat, "lon": lon})  # fmt: skip
    return out


def catalogue(root: Path, lang: str) -> dict[str, str]:
    """GeoNames' names in ``lang`` by id (``"1138958"``, ``"AF.23"``), Arabic script only."""
    path = root / "usr/share/locale" / lang / "LC_MESSAGES" / "geonames.mo"
    with path.open("rb") as f:
        found = gettext.GNUTranslations(f)._catalog  # type: ignore[attr-defined]
    return {str(k): bare(str(v)) for k, v in found.items() if k and arabic_script(str(v))}


def bare(text: str) -> str:
    """``text`` without the spaces and direction marks round it (inner ones, such as the
    zero-width non-joiner of Persian names, stay)."""
    return text.strip().strip("".join(map(chr, (0x200E, 0x200F, 0x061C, 0x200B)))).strip()


def gweather(root: Path, lang: str) -> dict[tuple[str, str], str]:
    """GNOME's names of the towns of Afghanistan and Pakistan in ``lang``:
    ``(country alpha-2, English name)`` -> name, Arabic script only (none without a
    catalogue for ``lang``)."""
    import xml.etree.ElementTree as ET

    path = root / "usr/share/locale" / lang / "LC_MESSAGES" / "libgweather-4.0-locations.mo"
    if not path.is_file():
        return {}
    with path.open("rb") as f:
        found = gettext.GNUTranslations(f)._catalog  # type: ignore[attr-defined]
    out: dict[tuple[str, str], str] = {}
    for country in ET.parse(root / LOCATIONS).getroot().iter("country"):
        cc = country.findtext("iso-code") or ""
        if cc not in ("AF", "PK"):
            continue
        for city in country.iter("city"):
            name = city.findtext("_name") or ""
            local = bare(str(found.get(name, "")))
            if local and arabic_script(local):
                out[(cc, name)] = local
    return out


def _features(name: str) -> list[dict[str, Any]]:
    path = REPO_ROOT / "data" / name
    return json.loads(path.read_text(encoding="utf-8"))["features"]


def _km(lat: float, lon: float, other: dict[str, Any]) -> float:
    dx = (other["lon"] - lon) * math.cos(math.radians(lat))
    return 111.2 * math.hypot(other["lat"] - lat, dx)


def town_id(name: str, country: str, lon: float, lat: float, places: list[dict]) -> str | None:
    """The GeoNames id of our town: the nearest place of its country within
    :data:`TOWN_KM` whose folded name starts with the first four letters of ours."""
    cc = {"AFG": "AF", "PAK": "PK"}.get(country, country)
    near = sorted(
        (p for p in places if p["cc"] == cc and _km(lat, lon, p) <= TOWN_KM),
        key=lambda p: (_km(lat, lon, p), p["id"]),
    )
    for p in near:
        if fold(p["name"])[:4] == fold(name)[:4]:
            return str(p["id"])
    return None


def province_codes(places: list[dict[str, Any]]) -> dict[tuple[str, str], str]:
    """``(country alpha-2, folded division name)`` -> GeoNames division code."""
    found: dict[tuple[str, str], str] = {}
    for p in places:
        bare = p["admin1_name"].removesuffix(" Province")
        found.setdefault((p["cc"], fold(bare)), p["admin1"])
    return found


def country_codes() -> dict[str, str]:
    """CLDR's English territory names -> ISO 3166-1 alpha-2 (two letters only)."""
    en = Locale("en").territories
    return {name: code for code, name in sorted(en.items()) if len(code) == 2}


def build(root: Path) -> list[tuple[str, str, str, str, str]]:
    """Every row of the file, sorted by kind (:data:`KINDS`), name and edition."""
    places = read_cities(root)
    codes = province_codes(places)
    cats = {geo_lang: catalogue(root, geo_lang) for _, geo_lang in EDITIONS.values()}
    alpha2 = country_codes()
    gnome = {geo_lang: gweather(root, geo_lang) for _, geo_lang in EDITIONS.values()}
    cc_of = {"AFG": "AF", "PAK": "PK"}
    countries = {
        f["properties"]["country_name"]
        for layer in ("countries.geojson", "neighbours.geojson")
        for f in _features(layer)
    }
    rows: list[tuple[str, str, str, str, str]] = []

    def add(kind: str, name: str, found: dict[str, tuple[str, str]]) -> None:
        for lang in EDITIONS:
            local, source = found.get(lang, (name, FALLBACK))
            rows.append((kind, name, lang, local, source))

    for name in sorted(countries):
        code = alpha2.get(name)
        found = {}
        for lang, (cldr, _) in EDITIONS.items():
            local = Locale.parse(cldr).territories.get(code or "")
            if local and arabic_script(local):
                found[lang] = (local, f"CLDR (Babel) territory {code}")
        add("country", name, found)
    for f in _features("provinces.geojson"):
        p = f["properties"]
        cc = p["iso_3166_2"][:2]
        code = codes.get((cc, fold(PROVINCE_SPELLINGS.get(p["province"], p["province"]))))
        found = {}
        for lang, (_, geo_lang) in EDITIONS.items():
            if code and code in cats[geo_lang]:
                found[lang] = (cats[geo_lang][code], f"GeoNames {code} ({geo_lang})")
        add("province", p["province"], found)
    towns: dict[str, dict[str, tuple[str, str]]] = {}
    for f in _features("cities.geojson"):
        p, (lon, lat) = f["properties"], f["geometry"]["coordinates"][:2]
        gid = town_id(p["name"], p["country"], lon, lat, places)
        found = {}
        for lang, (cldr, geo_lang) in EDITIONS.items():
            zone = ZONES.get(p["name"])
            city = Locale.parse(cldr).time_zones.get(zone, {}).get("city") if zone else None
            if city and arabic_script(city):
                found[lang] = (city, f"CLDR (Babel) exemplar city {zone}")
            elif gid and gid in cats[geo_lang]:
                found[lang] = (cats[geo_lang][gid], f"GeoNames {gid} ({geo_lang})")
            elif (cc_of[p["country"]], p["name"]) in gnome[geo_lang]:
                local = gnome[geo_lang][(cc_of[p["country"]], p["name"])]
                found[lang] = (local, f"GNOME libgweather ({geo_lang})")
        towns[p["name"]] = found
        add("town", p["name"], found)
    for f in _features("crossings.geojson"):
        name = f["properties"]["name"]
        lon, lat = f["geometry"]["coordinates"][:2]
        parts = [part.strip() for part in name.split("–")]
        ids = [towns.get(part) or _nearby(part, lon, lat, places, cats) for part in parts]
        found = {}
        for lang in EDITIONS:
            got = [i.get(lang) for i in ids]
            if all(got):
                found[lang] = ("–".join(g[0] for g in got if g),
                               "; ".join(g[1] for g in got if g))  # fmt: skip
        add("crossing", name, found)
    return sorted(rows, key=lambda r: (KINDS.index(r[0]), r[1], list(EDITIONS).index(r[2])))


def _nearby(
    name: str, lon: float, lat: float, places: list[dict], cats: dict[str, dict[str, str]]
) -> dict[str, tuple[str, str]]:
    """A crossing's part named as a town is: the GeoNames place near the crossing."""
    for cc in ("AFG", "PAK"):
        gid = town_id(name, cc, lon, lat, places)
        if gid:
            return {
                lang: (cats[g][gid], f"GeoNames {gid} ({g})")
                for lang, (_, g) in EDITIONS.items()
                if gid in cats[g]
            }
    return {}


def to_csv(rows: list[tuple[str, str, str, str, str]]) -> str:
    """The rows as CSV text with its header, ``\\n`` line ends."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["kind", "name", "lang", "local", "source"])
    writer.writerows(rows)
    return out.getvalue()


def gaps(rows: list[tuple[str, str, str, str, str]]) -> dict[tuple[str, str], tuple[int, int]]:
    """``(kind, lang)`` -> (names found, places)."""
    out: dict[tuple[str, str], tuple[int, int]] = {}
    for kind, _, lang, _, source in rows:
        got, total = out.get((kind, lang), (0, 0))
        out[(kind, lang)] = (got + (source != FALLBACK), total + 1)
    return out


def main() -> None:
    parser = data_parser(__doc__, DEFAULT_OUT, out_help="output CSV")
    add_cache_dir(parser)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        rows = build(fetch_debian(args.cache_dir or Path(tmp)))
    args.out.write_text(to_csv(rows), encoding="utf-8")
    for (kind, lang), (got, total) in gaps(rows).items():
        print(f"{kind:9} {lang:6} {got}/{total} in the edition's script")
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
