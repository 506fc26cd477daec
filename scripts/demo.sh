#!/usr/bin/env bash
# Sets everything up, builds Frontdoor (release) and starts it with the
# synthetic demo council. Prints the URL and the demo log-ins; Ctrl-C stops it.
#
#   scripts/demo.sh                       http://127.0.0.1:8080, data in data/demo
#   PORT=9000 DATA=/tmp/fd scripts/demo.sh
#
# The first start fills an empty data folder with the demo council; later
# starts reuse it (delete the folder for a fresh one).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

bash scripts/setup.sh
# Node.js 20 fetched by setup.sh when the system's is older.
if [[ -x .cache/node/bin/node ]]; then export PATH="$root/.cache/node/bin:$PATH"; fi

echo "demo: configuring and building the release preset (target frontdoor)"
cmake --preset release
cmake --build --preset release --target frontdoor

exec build/release/src/cli/frontdoor serve --port "${PORT:-8080}" --data "${DATA:-data/demo}" --demo
