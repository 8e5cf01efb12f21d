#!/usr/bin/env bash
# Installs the Debian packages the tests need (idempotent; quick when everything is present):
#   openssl, curl, ca-certificates  the test bed (CA and certificates made at start, health probes)
#   docker-compose                  tests/compose/check.sh validates docker-compose.yaml (no Docker engine needed)
#   chromium                        the browser checks (tests/browser/); Playwright's own downloads are not used.
#                                   With its recommended packages, which bring the fonts pages are drawn with.
# Go and Node are expected to be installed already; they are checked, not installed.
set -euo pipefail

missing() {
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || echo "$p"
  done
}

SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO=sudo
updated=0
install() {
  [ $updated = 1 ] || { $SUDO apt-get update -qq; updated=1; }
  echo "prereqs: installing $*"
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "$@"
}

mapfile -t plain < <(missing openssl curl ca-certificates docker-compose)
mapfile -t browser < <(missing chromium)
[ ${#plain[@]} -eq 0 ] || install --no-install-recommends "${plain[@]}"
[ ${#browser[@]} -eq 0 ] || install "${browser[@]}"
echo "prereqs: apt packages present (openssl curl ca-certificates docker-compose chromium)"

command -v go >/dev/null || { echo "prereqs: go is not installed (needed to build the test bed)" >&2; exit 1; }
command -v node >/dev/null || { echo "prereqs: node is not installed" >&2; exit 1; }
echo "prereqs: $(go version | cut -d' ' -f3), node $(node --version)"
