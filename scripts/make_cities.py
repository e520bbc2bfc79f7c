"""Write data/cities.geojson: major towns of Afghanistan and Pakistan for the offline basemap.

Town-centre coordinates are rounded to 0.01 degree (about 1 km); they were compiled by the
project from public gazetteers (GeoNames, Wikipedia town articles) as facts, not copied from
a dataset. ``rank`` 1 marks national and major regional capitals (labelled at every zoom),
2 the other towns. Usage: ``python scripts/make_cities.py``.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

# name, country, province, latitude, longitude, rank
CITIES: list[tuple[str, str, str, float, float, int]] = [
    ("Kabul", "AFG", "Kabul", 34.53, 69.17, 1),
    ("Kandahar", "AFG", "Kandahar", 31.61, 65.71, 1),
    ("Herat", "AFG", "Herat", 34.35, 62.20, 1),
    ("Mazar-i-Sharif", "AFG", "Balkh", 36.71, 67.11, 1),
    ("Jalalabad", "AFG", "Nangarhar", 34.43, 70.45, 1),
    ("Kunduz", "AFG", "Kunduz", 36.73, 68.86, 2),
    ("Ghazni", "AFG", "Ghazni", 33.55, 68.42, 2),
    ("Khost", "AFG", "Khost", 33.34, 69.92, 2),
    ("Gardez", "AFG", "Paktia", 33.60, 69.23, 2),
    ("Asadabad", "AFG", "Kunar", 34.87, 71.15, 2),
    ("Lashkar Gah", "AFG", "Helmand", 31.59, 64.37, 2),
    ("Farah", "AFG", "Farah", 32.37, 62.12, 2),
    ("Zaranj", "AFG", "Nimroz", 30.96, 61.86, 2),
    ("Fayzabad", "AFG", "Badakhshan", 37.12, 70.58, 2),
    ("Bamyan", "AFG", "Bamyan", 34.82, 67.83, 2),
    ("Sharana", "AFG", "Paktika", 33.14, 68.79, 2),
    ("Islamabad", "PAK", "Islamabad Capital Territory", 33.69, 73.05, 1),
    ("Lahore", "PAK", "Punjab", 31.55, 74.34, 1),
    ("Karachi", "PAK", "Sindh", 24.86, 67.01, 1),
    ("Peshawar", "PAK", "Khyber Pakhtunkhwa", 34.01, 71.58, 1),
    ("Quetta", "PAK", "Balochistan", 30.18, 66.99, 1),
    ("Multan", "PAK", "Punjab", 30.20, 71.47, 2),
    ("Faisalabad", "PAK", "Punjab", 31.42, 73.08, 2),
    ("Gilgit", "PAK", "Gilgit-Baltistan", 35.92, 74.31, 2),
    ("Muzaffarabad", "PAK", "Azad Jammu and Kashmir", 34.37, 73.47, 2),
    ("Dera Ismail Khan", "PAK", "Khyber Pakhtunkhwa", 31.83, 70.90, 2),
    ("Bannu", "PAK", "Khyber Pakhtunkhwa", 32.99, 70.60, 2),
    ("Miranshah", "PAK", "Khyber Pakhtunkhwa", 33.00, 70.07, 2),
    ("Wana", "PAK", "Khyber Pakhtunkhwa", 32.30, 69.57, 2),
    ("Parachinar", "PAK", "Khyber Pakhtunkhwa", 33.90, 70.10, 2),
    ("Chitral", "PAK", "Khyber Pakhtunkhwa", 35.85, 71.79, 2),
    ("Zhob", "PAK", "Balochistan", 31.34, 69.45, 2),
    ("Gwadar", "PAK", "Balochistan", 25.13, 62.32, 2),
]


def collection() -> dict:
    """The cities as a GeoJSON FeatureCollection, in table order."""
    features = [
        {
            "type": "Feature",
            "properties": {"name": name, "country": country, "province": province, "rank": rank},
            "geometry": {"type": "Point", "coordinates": [lon, lat]},
        }
        for name, country, province, lat, lon, rank in CITIES
    ]
    return {"type": "FeatureCollection", "features": features}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    default = Path(__file__).resolve().parent.parent / "data" / "cities.geojson"
    parser.add_argument("--out", type=Path, default=default)
    args = parser.parse_args()
    text = json.dumps(collection(), ensure_ascii=False, indent=1) + "\n"
    args.out.write_text(text, encoding="utf-8")
    print(f"wrote {args.out}: {len(CITIES)} towns")


if __name__ == "__main__":
    main()
