#!/usr/bin/env bash
# The nightly run: the long versions of the reliability batteries
# (docs/RELIABILITY.md), too slow for every change, on the same sanitizer
# build as scripts/test.sh (debug preset: AddressSanitizer and
# UndefinedBehaviorSanitizer).
#
#   scripts/nightly.sh
#
# What it runs:
#   - the crash battery with many more cycles than the test command:
#     FRONTDOOR_NIGHTLY_CRASH_SQLITE cycles on SQLite (default 2000) and
#     FRONTDOOR_NIGHTLY_CRASH_POSTGRES on PostgreSQL (default 300), each
#     with a fresh random seed that it prints (rerun one with
#     build/debug/tests/reliability/crash_battery ... --seed S).
#   - every unit and integration test (not the browser tests or the
#     batteries, which run above) under ThreadSanitizer (tsan
#     preset, build/tsan), on SQLite and then the storage and application
#     tests on PostgreSQL; any data race report fails the run.
#
# Each battery's summary is written to build/battery-nightly/ and printed at
# the end. Exits non-zero when any step fails; every step still runs unless
# the build itself fails.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

started=$SECONDS
failed=()
export FRONTDOOR_BATTERY_SUMMARY_DIR="$root/build/battery-nightly"
rm -rf "$FRONTDOOR_BATTERY_SUMMARY_DIR"
mkdir -p "$FRONTDOOR_BATTERY_SUMMARY_DIR"
step() { printf '\n=== nightly: %s (%ds elapsed)\n' "$*" "$((SECONDS - started))"; }

step "set-up"
bash scripts/setup.sh

step "configure and build (debug preset: ASan + UBSan)"
cmake --preset debug
cmake --build --preset debug --target frontdoor crash_battery

frontdoor="$root/build/debug/src/cli/frontdoor"
crash="$root/build/debug/tests/reliability/crash_battery"

step "crash battery on SQLite, ${FRONTDOOR_NIGHTLY_CRASH_SQLITE:-2000} cycles"
if ! "$crash" --frontdoor "$frontdoor" --engine sqlite \
     --cycles "${FRONTDOOR_NIGHTLY_CRASH_SQLITE:-2000}" --check-every 100; then
  failed+=("crash on SQLite")
fi

step "crash battery on PostgreSQL, ${FRONTDOOR_NIGHTLY_CRASH_POSTGRES:-300} cycles"
if ! bash scripts/with-postgres.sh "$crash" --frontdoor "$frontdoor" --engine postgres \
     --cycles "${FRONTDOOR_NIGHTLY_CRASH_POSTGRES:-300}" --check-every 50; then
  failed+=("crash on PostgreSQL")
fi

step "ThreadSanitizer build (tsan preset): unit and integration tests"
cmake --preset tsan
cmake --build --preset tsan
if ! ctest --preset tsan -LE '^(e2e|reliability)$'; then
  failed+=("ThreadSanitizer on SQLite")
fi
if ! bash scripts/with-postgres.sh ctest --preset tsan -L '^(storage|app)$'; then
  failed+=("ThreadSanitizer on PostgreSQL")
fi

step "summary of the reliability batteries"
for summary in "$FRONTDOOR_BATTERY_SUMMARY_DIR"/*.txt; do
  if [[ -f "$summary" ]]; then cat "$summary"; echo; fi
done

if ((${#failed[@]} > 0)); then
  printf '\nnightly: FAILED: %s (after %ds)\n' "$(IFS=,; echo "${failed[*]}")" "$((SECONDS - started))"
  exit 1
fi
printf '\nnightly: passed (after %ds)\n' "$((SECONDS - started))"
