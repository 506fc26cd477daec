#!/usr/bin/env bash
# Battery 5 (hostile input), the fuzzing half: builds the libFuzzer targets of
# tests/fuzz with clang, AddressSanitizer and UndefinedBehaviorSanitizer
# (cmake --preset fuzz, in build/fuzz) and runs each one for a bounded time
# over a copy of its corpus (tests/fuzz/corpus/<target>/), so new inputs do
# not change the repository, with its dictionary (tests/fuzz/<target>.dict)
# when it has one.
#
#   scripts/fuzz.sh [SECONDS_PER_TARGET]       (default 15)
#
# FRONTDOOR_FUZZ_JOBS=N runs N targets at once (default: the number of cores).
# A crash, a failed property, a leak, a timeout (10 s for one input) or running
# out of memory (2 GB) fails the script; the input is kept in
# build/fuzz/findings/<target>/ and the end of the target's log is printed.
# Replay one with  build/fuzz/tests/fuzz/fuzz_<target> FILE. When
# FRONTDOOR_BATTERY_SUMMARY_DIR is set the figures go to fuzz.txt there.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

seconds="${1:-15}"
jobs="${FRONTDOOR_FUZZ_JOBS:-$(nproc)}"
targets=(api_json form query cookie http_request csv)
started=$SECONDS

configure=(cmake --preset fuzz)
if command -v ccache >/dev/null 2>&1; then
  configure+=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
fi
"${configure[@]}" >/dev/null
cmake --build --preset fuzz
built=$((SECONDS - started))

findings="$root/build/fuzz/findings"
rm -rf "$findings"
# Scratch space (corpus copies, each application's SQLite data folder) in
# memory when there is a /dev/shm: the store syncs every commit.
scratch_parent=/dev/shm
if [[ ! -d $scratch_parent || ! -w $scratch_parent ]]; then scratch_parent="${TMPDIR:-/tmp}"; fi
scratch="$(mktemp -d "$scratch_parent/frontdoor-fuzz.XXXXXX")"
trap 'rm -rf "$scratch"' EXIT

run_target() {
  local target="$1" work="$scratch/$1"
  mkdir -p "$work/corpus" "$work/tmp" "$findings/$target"
  cp tests/fuzz/corpus/"$target"/* "$work/corpus/"
  local status=0 dict=()
  if [[ -f tests/fuzz/$target.dict ]]; then dict=(-dict="tests/fuzz/$target.dict"); fi
  # -entropic=0: the entropic schedule's bookkeeping took 70% of the time on
  # the application targets, whose every input touches ~60,000 features
  # (measured: form 30 executions a second with it, 208 without).
  TMPDIR="$work/tmp" UBSAN_OPTIONS=print_stacktrace=1 \
    "build/fuzz/tests/fuzz/fuzz_$target" -max_total_time="$seconds" -timeout=10 -entropic=0 \
    -rss_limit_mb=2048 -print_final_stats=1 -artifact_prefix="$findings/$target/" "${dict[@]}" \
    "$work/corpus" >"$work/log" 2>&1 || status=$?
  echo "$status" >"$work/status"
}

running=0
for target in "${targets[@]}"; do
  run_target "$target" &
  running=$((running + 1))
  if ((running >= jobs)); then
    wait -n
    running=$((running - 1))
  fi
done
wait

failed=()
summary="$scratch/summary.txt"
{
  echo "fuzz (battery 5, hostile input): libFuzzer + ASan + UBSan, ${seconds} s a target, $jobs at once"
  total_runs=0
  for target in "${targets[@]}"; do
    work="$scratch/$target"
    log="$work/log"
    runs="$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)"
    new_units="$(sed -n 's/^stat::new_units_added: *//p' "$log" | tail -n 1)"
    coverage="$( (grep -o 'cov: [0-9]*' "$log" || true) | tail -n 1 | cut -d' ' -f2)"
    seeds="$(find "tests/fuzz/corpus/$target" -type f | wc -l)"
    crashes="$(find "$findings/$target" -type f | wc -l)"
    status="$(cat "$work/status")"
    if [[ $status != 0 && $crashes == 0 ]]; then crashes=1; fi
    printf '  %-13s %9s executions, coverage %5s edges, %3s seeds + %4s new units, %s crashes\n' \
      "$target" "${runs:-?}" "${coverage:-?}" "$seeds" "${new_units:-?}" "$crashes"
    total_runs=$((total_runs + ${runs:-0}))
    if [[ $status != 0 ]]; then failed+=("$target"); fi
  done
  echo "  total: $total_runs executions; build ${built} s, whole step $((SECONDS - started)) s"
  if ((${#failed[@]} > 0)); then
    echo "  FAILED: ${failed[*]} (inputs in build/fuzz/findings/)"
  else
    echo "  crashes: 0"
  fi
} >"$summary"
cat "$summary"

for target in "${failed[@]}"; do
  echo
  echo "--- fuzz_$target failed; the end of its log:"
  tail -n 60 "$scratch/$target/log"
  echo "--- kept in build/fuzz/findings/$target/:"
  ls -1 "$findings/$target/" || true
done

if [[ -n ${FRONTDOOR_BATTERY_SUMMARY_DIR:-} ]]; then
  mkdir -p "$FRONTDOOR_BATTERY_SUMMARY_DIR"
  cp "$summary" "$FRONTDOOR_BATTERY_SUMMARY_DIR/fuzz.txt"
fi
((${#failed[@]} == 0))
