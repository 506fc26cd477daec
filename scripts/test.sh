#!/usr/bin/env bash
# Sets everything up and runs every check: the style check, a debug build
# with AddressSanitizer and UndefinedBehaviorSanitizer (and a Release build of
# the server alone, for the load battery), clang-tidy over src/, every test
# (unit, integration, slow and the end-to-end browser test) through CTest;
# then the storage and application tests again on PostgreSQL, against a
# throwaway cluster (scripts/with-postgres.sh); then the fuzz targets, built
# with clang, fuzzed for a bounded time (scripts/fuzz.sh).
#
#   scripts/test.sh
#
# CTEST_PARALLEL_LEVEL=N in the environment runs N tests at once (default: one a core).
# Exits non-zero when any step fails; every step still runs unless the build
# itself fails.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

started=$SECONDS
failed=()
# Each reliability battery writes a summary of its figures here; they are
# printed together at the end (docs/RELIABILITY.md).
export FRONTDOOR_BATTERY_SUMMARY_DIR="$root/build/battery"
rm -rf "$FRONTDOOR_BATTERY_SUMMARY_DIR"
mkdir -p "$FRONTDOOR_BATTERY_SUMMARY_DIR"
step() { printf '\n=== test: %s (%ds elapsed)\n' "$*" "$((SECONDS - started))"; }

step "set-up"
bash scripts/setup.sh
# Node.js 20 fetched by setup.sh when the system's is older.
if [[ -x .cache/node/bin/node ]]; then export PATH="$root/.cache/node/bin:$PATH"; fi

# --- style ---------------------------------------------------------------------
step "format check (clang-format over src tests bench)"
list_sources() {
  if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
    git ls-files -co --exclude-standard -- \
      'src/*.cpp' 'src/*.hpp' 'tests/*.cpp' 'tests/*.hpp' 'bench/*.cpp' 'bench/*.hpp'
  else
    find src tests bench -name '*.cpp' -o -name '*.hpp'
  fi | while read -r f; do if [[ -f "$f" ]]; then echo "$f"; fi; done
}
mapfile -t sources < <(list_sources)
format_log="$(mktemp)"
if clang-format --dry-run --Werror "${sources[@]}" 2>"$format_log"; then
  echo "format check: ${#sources[@]} files formatted"
else
  echo "format check FAILED: these files need  clang-format -i FILE  (first lines of the report below)"
  grep -o '^[^:]*\.[ch]pp' "$format_log" | sort -u | sed 's/^/  /'
  head -n 20 "$format_log"
  failed+=("format check")
fi
rm -f "$format_log"

# --- build ---------------------------------------------------------------------
step "configure (debug preset: ASan + UBSan)"
cmake --preset debug
step "build (all targets)"
cmake --build --preset debug
# The load battery (tests/reliability/load.sh, run by CTest below) holds the
# product to latency targets, which the sanitizers' slowdown alone would miss:
# it runs a Release build of frontdoor and make_council (the release preset,
# the build scripts/demo.sh uses; nothing else of it is built here).
step "build (release preset: frontdoor and make_council only, for the load battery)"
if cmake --preset release >/dev/null && cmake --build --preset release --target frontdoor make_council; then
  export FRONTDOOR_LOAD_FRONTDOOR="$root/build/release/src/cli/frontdoor"
  export FRONTDOOR_LOAD_MAKE_COUNCIL="$root/build/release/bench/make_council"
else
  failed+=("release build")
fi

# --- static analysis -------------------------------------------------------------
# clang-tidy with the committed .clang-tidy over every source file of src/, one
# per core at a time, using the compile commands of the build above.
step "clang-tidy over src/ (checks in .clang-tidy)"
tidy_log="$(mktemp)"
if git ls-files 'src/*.cpp' | xargs -P "$(nproc)" -n 1 clang-tidy -p build/debug --quiet \
     >"$tidy_log" 2>/dev/null; then
  echo "clang-tidy: $(git ls-files 'src/*.cpp' | wc -l) files clean"
else
  echo "clang-tidy FAILED:"
  grep -E '(error|warning):' "$tidy_log" | sort -u | head -n 40
  failed+=("clang-tidy")
fi
rm -f "$tidy_log"

# --- tests ---------------------------------------------------------------------
# Tests labelled "nightly" run in scripts/nightly.sh instead. Two tests at a
# time, one a core; the batteries and the browser tests are RUN_SERIAL, so
# each of them runs alone.
jobs="${CTEST_PARALLEL_LEVEL:-$(nproc)}"
step "every test on SQLite (ctest --preset debug -LE nightly -j $jobs)"
if ! ctest --preset debug -LE '^nightly$' -j "$jobs"; then
  failed+=("tests")
fi

# The storage and application suites again, on PostgreSQL: with-postgres.sh
# starts a throwaway cluster, gives the tests its URL (each test makes its own
# schema) and removes the cluster afterwards.
step "storage and application tests on PostgreSQL (scripts/with-postgres.sh ctest -L storage|app -j $jobs)"
if ! bash scripts/with-postgres.sh ctest --preset debug -L '^(storage|app)$' -j "$jobs"; then
  failed+=("tests on PostgreSQL")
fi

# Battery 5, hostile input: the libFuzzer targets of tests/fuzz built with clang,
# ASan and UBSan (build/fuzz) and fuzzed 15 s each from their corpus; an input
# that fails is kept in build/fuzz/findings/ (scripts/fuzz.sh).
step "fuzzing (scripts/fuzz.sh: libFuzzer + ASan + UBSan, 15 s a target)"
if ! bash scripts/fuzz.sh 15; then
  failed+=("fuzzing")
fi

step "summary of the reliability batteries"
for summary in "$FRONTDOOR_BATTERY_SUMMARY_DIR"/*.txt; do
  if [[ -f "$summary" ]]; then cat "$summary"; echo; fi
done

if ((${#failed[@]} > 0)); then
  printf '\ntest: FAILED: %s (after %ds)\n' "$(IFS=,; echo "${failed[*]}")" "$((SECONDS - started))"
  exit 1
fi
