#!/usr/bin/env bash
# Install what the test suite needs on a fresh Debian machine: the Debian `chromium`
# package (Playwright drives it through executable_path; its own browser download is not
# used), this package with its `test` extra, and from package-lock.json (pinned) Biome, that
# tests/test_lint.py runs over the page's JavaScript, and axe-core, that
# tests/browser/test_axe.py runs in the pages. Safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v chromium >/dev/null 2>&1; then
  sudo=""
  if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq chromium fonts-dejavu-core >/dev/null
fi
python3 -m pip install --quiet --disable-pip-version-check -e ".[test]"
if ! command -v npm >/dev/null 2>&1; then
  sudo=""
  if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq nodejs npm >/dev/null
fi
if [ ! -x node_modules/.bin/biome ] || [ ! -f node_modules/axe-core/axe.min.js ]; then
  npm ci --no-audit --no-fund --silent
fi
