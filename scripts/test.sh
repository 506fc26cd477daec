#!/usr/bin/env bash
# Sets everything up and runs every check: the style check, a debug build
# with AddressSanitizer and UndefinedBehaviorSanitizer, and every test
# (unit, integration, slow and the end-to-end browser test) through CTest.
#
#   scripts/test.sh
#
# Options, from the environment:
#   FRONTDOOR_TIDY=1   also run clang-tidy on the C++ files changed since HEAD
#                      (uncommitted work; slow, so off by default)
#   CTEST_PARALLEL_LEVEL=N   run N tests at once (CTest reads it)
# Exits non-zero when any step fails; every step still runs unless the build
# itself fails.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

started=$SECONDS
failed=()
step() { printf '\n=== test: %s (%ds elapsed)\n' "$*" "$((SECONDS - started))"; }

step "set-up"
bash scripts/setup.sh

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
if clang-format --dry-run --Werror "${sources[@]}"; then
  echo "format check: ${#sources[@]} files formatted"
else
  echo "format check FAILED: run  clang-format -i <file>  on the files above"
  failed+=("format check")
fi

# --- build ---------------------------------------------------------------------
step "configure (debug preset: ASan + UBSan)"
cmake --preset debug
step "build (all targets)"
cmake --build --preset debug

# --- static analysis (optional) ------------------------------------------------
if [[ "${FRONTDOOR_TIDY:-0}" == "1" ]]; then
  step "clang-tidy on changed files"
  mapfile -t changed < <({
    git diff --name-only HEAD -- 'src/*.cpp' 'tests/*.cpp' 'bench/*.cpp'
    git ls-files -o --exclude-standard -- 'src/*.cpp' 'tests/*.cpp' 'bench/*.cpp'
  } | sort -u | while read -r f; do if [[ -f "$f" ]]; then echo "$f"; fi; done)
  if ((${#changed[@]} == 0)); then
    echo "clang-tidy: no changed C++ files"
  elif clang-tidy -p build/debug --quiet "${changed[@]}"; then
    echo "clang-tidy: ${#changed[@]} files clean"
  else
    failed+=("clang-tidy")
  fi
fi

# --- tests ---------------------------------------------------------------------
step "every test (ctest --preset debug)"
if ! ctest --preset debug; then
  failed+=("tests")
fi

if ((${#failed[@]} > 0)); then
  printf '\ntest: FAILED: %s (after %ds)\n' "$(IFS=,; echo "${failed[*]}")" "$((SECONDS - started))"
  exit 1
fi
