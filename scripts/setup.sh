#!/usr/bin/env bash
# Install nerchinsk-map with everything its tests need, then build the map.
#   bash scripts/setup.sh
# Makes .venv/ (the package, its test tools) and installs the Debian packages the tests need
# when they are missing (as root, or through sudo). Builds nerchinsk_map.html.
set -euo pipefail
cd "$(dirname "$0")/.."

# Debian packages the tests need: the browser, fonts with Cyrillic and Chinese glyphs for the
# print figures, and poppler (pdftoppm, pdffonts) to check the PDFs.
APT_PACKAGES="chromium fonts-noto-core fonts-wqy-microhei poppler-utils firefox-esr webkit2gtk-driver xvfb"
missing=""
for pkg in $APT_PACKAGES; do
  dpkg -s "$pkg" >/dev/null 2>&1 || missing="$missing $pkg"
done
if [ -n "$missing" ]; then
  if [ "$(id -u)" = 0 ]; then SUDO=""; elif command -v sudo >/dev/null 2>&1; then SUDO="sudo"; else SUDO="none"; fi
  if [ "$SUDO" = none ]; then
    echo "note: install these Debian packages for the tests:$missing" >&2
  else
    $SUDO apt-get update -qq
    $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $missing >/dev/null
  fi
fi

# axe-core (npm) for the accessibility check of the map in the browser tests
if command -v npm >/dev/null 2>&1; then
  npm install --prefix .node --no-audit --no-fund --silent axe-core@4 >/dev/null
else
  echo "note: install Node.js and npm for the accessibility test (axe-core)" >&2
fi

python3 -m venv .venv
.venv/bin/python -m pip install --quiet --upgrade pip
.venv/bin/python -m pip install --quiet ".[test]"
.venv/bin/nerchinsk-map build --output nerchinsk_map.html
