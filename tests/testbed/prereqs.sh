#!/usr/bin/env bash
# Installs the Debian packages the test bed needs (idempotent; quick when everything is present).
# Go and Node are expected to be installed already; they are checked, not installed.
set -euo pipefail

packages=(openssl curl ca-certificates)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done

if [ ${#missing[@]} -gt 0 ]; then
  echo "prereqs: installing ${missing[*]}"
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO=sudo
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
else
  echo "prereqs: apt packages present (${packages[*]})"
fi

command -v go >/dev/null || { echo "prereqs: go is not installed (needed to build the test bed)" >&2; exit 1; }
command -v node >/dev/null || { echo "prereqs: node is not installed" >&2; exit 1; }
echo "prereqs: $(go version | cut -d' ' -f3), node $(node --version)"

# Debian's Chromium for the browser checks (tests/browser/): Playwright's own browser downloads are not used.
if [ -x /usr/bin/chromium ]; then
  echo "prereqs: chromium present"
else
  echo "prereqs: installing chromium"
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO=sudo
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium
fi

# docker-compose (Debian's): tests/compose/check.sh validates docker-compose.yaml with `docker-compose config`;
# no Docker engine is needed for that.
if ! dpkg-query -W -f='${Status}' docker-compose 2>/dev/null | grep -q 'install ok installed'; then
  echo "prereqs: installing docker-compose"
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO=sudo
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y --no-install-recommends docker-compose
fi
