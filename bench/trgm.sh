#!/usr/bin/env bash
# Person search against PostgreSQL 15 with pg_trgm (issue #4), in one command:
# builds bench/trgm_bench (release preset, build/release), then runs it under
# scripts/with-postgres.sh, which starts a throwaway PostgreSQL cluster on a
# Unix socket and deletes it afterwards. Arguments go to trgm_bench
# (--data DIR, --warmup N). Figures in docs/PERFORMANCE.md ("Person search
# against pg_trgm").
#
# Needs: cmake, a C++ compiler, libpq-dev, postgresql-15 with its contrib
# (pg_trgm ships in Debian's postgresql-15 package): scripts/setup.sh
# installs them.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"

command -v cmake >/dev/null || { echo "trgm.sh: cmake is needed" >&2; exit 1; }
if ! ls /usr/share/postgresql/15/extension/pg_trgm.control >/dev/null 2>&1; then
  echo "trgm.sh: pg_trgm for PostgreSQL 15 is missing (apt-get install postgresql-15)" >&2
  exit 1
fi

cmake --preset release >/dev/null
cmake --build --preset release --target trgm_bench

echo "trgm.sh: $(date -u '+%Y-%m-%d %H:%M UTC'), commit $(git rev-parse --short HEAD 2>/dev/null || echo '?')$(git diff --quiet 2>/dev/null || echo ' (with uncommitted changes)')"
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | sed 's/.*: //'), $(awk '/MemTotal/ {printf "%.0f GB", $2/1048576}' /proc/meminfo), $(uname -sr); load average $(cut -d' ' -f1-3 /proc/loadavg)"
exec scripts/with-postgres.sh build/release/bench/trgm_bench "$@"
