#!/usr/bin/env bash
# Lint the page's JavaScript (geo/static/*.js) with Biome, pinned in package.json and
# package-lock.json. Installs it with `npm ci` when node_modules lacks it; fails on any
# warning. Config: biome.json (recommended rules; the few off are ES5 style choices).
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -x node_modules/.bin/biome ]; then
  npm ci --no-audit --no-fund
fi
node_modules/.bin/biome lint --error-on-warnings
