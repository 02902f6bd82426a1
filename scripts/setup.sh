#!/usr/bin/env bash
# Install nerchinsk-map with everything its tests need, then build the map.
#   bash scripts/setup.sh
# Makes .venv/ (the package, its test tools) and installs Debian's chromium for the browser
# tests when it is missing (as root, or through sudo). Builds nerchinsk_map.html.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v chromium >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ]; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  elif command -v sudo >/dev/null 2>&1; then
    sudo apt-get update -qq
    sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  else
    echo "note: install Debian's chromium (apt-get install chromium) for the browser tests" >&2
  fi
fi

python3 -m venv .venv
.venv/bin/python -m pip install --quiet --upgrade pip
.venv/bin/python -m pip install --quiet ".[test]"
.venv/bin/nerchinsk-map build --output nerchinsk_map.html
