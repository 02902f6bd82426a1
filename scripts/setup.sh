#!/usr/bin/env bash
# Install nerchinsk-map with everything its tests need, then build the map.
#   bash scripts/setup.sh
# Makes .venv/ (the package, its test tools), installs the Debian packages the tests need when
# they are missing (as root, or through sudo) and the npm tools under .node/, and builds
# nerchinsk_map.html. Each step prints one line saying what it does and one saying how long it
# took; the installers' full output goes to .setup-logs/ and is shown when a step fails.
set -euo pipefail
cd "$(dirname "$0")/.."

# Debian packages the tests need: the browser, fonts with Cyrillic and Chinese glyphs for the
# print figures, poppler (pdftoppm, pdffonts) to check the PDFs, Java for the Nu HTML Checker,
# PyQGIS to open the styled export in QGIS, cairo for cairosvg (SVG figures rasterised),
# Firefox ESR and WebKitGTK (Safari's engine) with a virtual screen for the other-engine tests.
APT_PACKAGES="chromium fonts-noto-core fonts-wqy-microhei poppler-utils default-jre-headless python3-qgis libcairo2 firefox-esr webkit2gtk-driver xvfb"
# of those, installed without their recommended packages (desktop extras the tests do not use);
# the browsers keep theirs (xauth for Xvfb, GL and media libraries for WebKitGTK)
APT_LEAN="default-jre-headless python3-qgis"
# npm tools the tests run: axe-core (accessibility, in the browser), vnu-jar (the Nu HTML Checker)
NPM_PACKAGES="axe-core@4 vnu-jar@26"
APT_LOCKS="/var/lib/dpkg/lock-frontend /var/lib/dpkg/lock /var/lib/apt/lists/lock /var/cache/apt/archives/lock"

LOGS=.setup-logs
mkdir -p "$LOGS"
STEP_START=$SECONDS

step() {  # step "what is being done"
  STEP_START=$SECONDS
  echo "==> $*"
}

done_step() {  # done_step ["detail"]
  echo "    done in $((SECONDS - STEP_START)) s${1:+ ($1)}"
}

run_logged() {  # run_logged LOGFILE command...: output to the log; on failure show its end
  local log="$LOGS/$1"
  shift
  if ! "$@" >"$log" 2>&1; then
    echo "error: '$*' failed; the last lines of $log:" >&2
    tail -n 25 "$log" >&2
    exit 1
  fi
}

apt_locked() {  # true while another apt or dpkg holds one of the package locks
  $SUDO python3 - $APT_LOCKS <<'PY'
import fcntl, os, sys
for path in sys.argv[1:]:
    if not os.path.exists(path):
        continue
    fd = os.open(path, os.O_RDWR)
    try:
        fcntl.lockf(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)  # apt and dpkg take fcntl locks
    except OSError:
        sys.exit(0)  # held by another process
    finally:
        os.close(fd)
sys.exit(1)
PY
}

wait_for_apt() {  # wait, saying so, while another package manager runs
  local waited=0
  while apt_locked; do
    if [ $((waited % 30)) = 0 ]; then
      echo "    waiting for another package manager to finish (the apt/dpkg lock is held, ${waited} s so far)"
    fi
    sleep 5
    waited=$((waited + 5))
  done
}

# 1. Debian packages
missing=""
for pkg in $APT_PACKAGES; do
  dpkg -s "$pkg" >/dev/null 2>&1 || missing="$missing $pkg"
done
if [ -z "$missing" ]; then
  echo "==> Debian packages: all there ($APT_PACKAGES)"
else
  if [ "$(id -u)" = 0 ]; then SUDO=""; elif command -v sudo >/dev/null 2>&1; then SUDO="sudo"; else SUDO="none"; fi
  if [ "$SUDO" = none ]; then
    echo "note: install these Debian packages for the tests (as root):$missing" >&2
  else
    step "Debian packages: installing$missing with apt-get (log: $LOGS/apt.log)"
    wait_for_apt
    # DPkg::Lock::Timeout covers a package manager that starts between the check and the install
    run_logged apt-update.log $SUDO apt-get -o DPkg::Lock::Timeout=600 update
    lean="" full=""
    for pkg in $missing; do
      case " $APT_LEAN " in *" $pkg "*) lean="$lean $pkg" ;; *) full="$full $pkg" ;; esac
    done
    if [ -n "$full" ]; then
      run_logged apt.log $SUDO env DEBIAN_FRONTEND=noninteractive \
        apt-get -o DPkg::Lock::Timeout=600 install -y $full
    fi
    if [ -n "$lean" ]; then
      run_logged apt-lean.log $SUDO env DEBIAN_FRONTEND=noninteractive \
        apt-get -o DPkg::Lock::Timeout=600 install -y --no-install-recommends $lean
      cat "$LOGS/apt-lean.log" >> "$LOGS/apt.log"
    fi
    done_step "$(grep -c '^Setting up' "$LOGS/apt.log" || true) packages set up"
  fi
fi

# 2. npm tools
if command -v npm >/dev/null 2>&1; then
  step "npm tools: $NPM_PACKAGES into .node/ (log: $LOGS/npm.log)"
  # --ignore-scripts: vnu-jar's install script would fetch a Java when none is found; Debian's is used
  run_logged npm.log npm install --prefix .node --no-audit --no-fund --ignore-scripts $NPM_PACKAGES
  done_step
else
  echo "note: install Node.js and npm for the accessibility and HTML checks (axe-core, vnu-jar)" >&2
fi

# 3. Python: the package and its test tools in .venv
step "Python: .venv with nerchinsk-map and its test tools (log: $LOGS/pip.log)"
python3 -m venv .venv
run_logged pip-upgrade.log .venv/bin/python -m pip install --progress-bar off --upgrade pip
run_logged pip.log .venv/bin/python -m pip install --progress-bar off --editable ".[test]"
done_step "$(grep -o '^Successfully installed .*' "$LOGS/pip.log" | wc -w | awk '{print ($1 > 2 ? $1 - 2 : 0)}') packages installed or updated"

# 4. The map
step "Building the map"
.venv/bin/nerchinsk-map build --output nerchinsk_map.html
done_step
