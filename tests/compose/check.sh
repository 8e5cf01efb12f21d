#!/usr/bin/env bash
# Validates docker-compose.yaml without a Docker engine (none runs here): `docker-compose config` must accept it,
# then check.mjs checks that it mounts what exists and provisions what exists. Ends with "compose: N passed, M failed".
#   bash tests/compose/check.sh        (needs `npm run build` first: Grafana mounts dist/)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
mkdir -p test-results
CONFIG=test-results/docker-compose.config.yaml
if command -v docker-compose > /dev/null; then
  COMPOSE=(docker-compose)
elif docker compose version > /dev/null 2>&1; then
  COMPOSE=(docker compose)
else
  echo "compose: neither docker-compose nor docker compose is installed (bash tests/testbed/prereqs.sh installs it)" >&2
  echo "compose: 0 passed, 1 failed"
  exit 1
fi
if ! "${COMPOSE[@]}" -f docker-compose.yaml config > "$CONFIG"; then
  echo "compose: ${COMPOSE[*]} config rejected docker-compose.yaml" >&2
  echo "compose: 0 passed, 1 failed"
  exit 1
fi
node tests/compose/check.mjs "$CONFIG"
