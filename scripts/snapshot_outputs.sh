#!/usr/bin/env bash
# Write every kind of output of the checkout into DIR, to compare two versions byte for
# byte (cmp): the shipped map as a page and each still, a monthly map with its embed
# snippet, ACLED and UCDP builds, a filtered build, the three event exports, stats, a yearly
# batch, and (when BIG is given) the map of a large CSV. Run from the repository root:
#   scripts/snapshot_outputs.sh /tmp/new [BIG.csv]
# For another version: git worktree add /tmp/old REV, then
#   (cd /tmp/old && PYTHONPATH=/tmp/old scripts/snapshot_outputs.sh /tmp/old-out BIG.csv)
set -euo pipefail
out=$1
big=${2:-}
mkdir -p "$out"
g="python3 -m geo"
$g build --out "$out/default.html" -q
for suffix in png svg pdf; do $g build --out "$out/default.$suffix" -q; done
$g build --out "$out/a4.pdf" --width-mm 170 -q
$g build --out "$out/oct.html" --start 2025-10 --end 2025-10 --embed -q
$g build --events tests/data/acled_export.csv --out "$out/acled.html" -q
$g build --events tests/data/acled_export.csv --out "$out/acled.png" -q
$g build --events tests/data/ucdp_ged_export.csv --out "$out/ucdp.svg" -q
$g build --province Khost --province Kunar --min-fatalities 1 --out "$out/filt.html" -q
for suffix in csv geojson parquet; do $g export --out "$out/exp.$suffix" -q; done
$g stats --by province --period year > "$out/stats.csv"
$g batch --period year --format html,png --out-dir "$out/batch" -q
if [ -n "$big" ]; then $g build --events "$big" --out "$out/big.html" -q; fi
