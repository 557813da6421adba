#!/usr/bin/env bash
# What the tests drive besides Node: Debian's Chromium (the browser tests, through playwright-core,
# never a downloaded browser) and Debian's redis-server (the shared-cache and fleet-watch tests
# start their own on a free port; no system service is used). Installs what is missing; needs
# root (as on CI and the developer machines) or sudo. `npm test` runs it first (pretest), and
# so does .ci/run.
set -euo pipefail
CHROMIUM=${CHROMIUM_PATH:-/usr/bin/chromium}
missing=()
[ -x "$CHROMIUM" ] || missing+=(chromium)
command -v redis-server >/dev/null || missing+=(redis-server)
[ ${#missing[@]} -eq 0 ] && exit 0
echo "ensure-test-tools: installing Debian's ${missing[*]}" >&2
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null || { echo "ensure-test-tools: run as root or install ${missing[*]} yourself" >&2; exit 1; }
  SUDO=sudo
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
[ -x "$CHROMIUM" ] || { echo "ensure-test-tools: chromium did not install at $CHROMIUM" >&2; exit 1; }
command -v redis-server >/dev/null || { echo "ensure-test-tools: redis-server did not install" >&2; exit 1; }
echo "ensure-test-tools: installed ${missing[*]}" >&2
