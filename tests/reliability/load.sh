#!/usr/bin/env bash
# The load battery (docs/RELIABILITY.md, issue #5 battery 6), for one engine:
#
#   load.sh --engine sqlite|postgres --frontdoor BIN --make-council BIN --work DIR
#
#  1. seeds a council of 3,000 people and 500 contacts with make_council
#     (bench/make_council.cpp; PostgreSQL when FRONTDOOR_TEST_POSTGRES_URL is
#     set, as scripts/with-postgres.sh does) and starts `frontdoor serve --port 0`;
#  2. normal load, 32 connections for FD_LOAD_SECONDS (60) with two wrk at
#     once (bench/wrk/frontdoor.lua): reads on 24 connections as the MASH
#     social worker (person searches, and the queue page every fourth
#     request), durable writes on 8 as a police system posting new contacts
#     to the JSON API. Asserts: every response 2xx (so no 5xx), no socket
#     errors, reads p99 < 100 ms, writes p99 < 250 ms;
#  3. four times the load, 128 connections for FD_LOAD_OVERLOAD_SECONDS (15):
#     asserts the server sheds (some 503s), every answer is 2xx or a 503 with
#     Retry-After, no socket errors, and /healthz answers 200 throughout;
#  4. recovery: normal load again in one-second rounds until a round is all
#     2xx with no socket errors (at most FD_LOAD_RECOVERY_ROUNDS, 8);
#  5. stops the server (SIGTERM) and asserts it exits cleanly with no
#     sanitizer report in its log.
# Writes its figures to $FRONTDOOR_BATTERY_SUMMARY_DIR/load-<engine>.txt when
# that is set. Needs wrk and curl. Exits non-zero when a target is missed.
set -Eeuo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
engine="" frontdoor="" make_council="" work=""
while (($# > 0)); do
  case $1 in
    --engine) engine=$2; shift 2 ;;
    --frontdoor) frontdoor=$2; shift 2 ;;
    --make-council) make_council=$2; shift 2 ;;
    --work) work=$2; shift 2 ;;
    *) echo "load.sh: unknown option $1" >&2; exit 2 ;;
  esac
done
[[ -n $engine && -x $frontdoor && -x $make_council && -n $work ]] ||
  { echo "usage: load.sh --engine E --frontdoor BIN --make-council BIN --work DIR" >&2; exit 2; }
# Builds to use instead (scripts/test.sh points these at a Release build: the
# targets are about the product, not the sanitizers' slowdown).
frontdoor=${FRONTDOOR_LOAD_FRONTDOOR:-$frontdoor}
make_council=${FRONTDOOR_LOAD_MAKE_COUNCIL:-$make_council}
seconds=${FD_LOAD_SECONDS:-60}
overload_seconds=${FD_LOAD_OVERLOAD_SECONDS:-15}
recovery_rounds=${FD_LOAD_RECOVERY_ROUNDS:-8}
read_p99_target=100
write_p99_target=250
lua="$root/bench/wrk/frontdoor.lua"
for tool in wrk curl; do
  command -v "$tool" >/dev/null || { echo "load.sh: $tool is needed (scripts/setup.sh)" >&2; exit 2; }
done

if [[ $engine == postgres ]]; then
  [[ -n ${FRONTDOOR_TEST_POSTGRES_URL:-} ]] ||
    { echo "load.sh: run under scripts/with-postgres.sh" >&2; exit 2; }
  export FRONTDOOR_DATABASE_URL=$FRONTDOOR_TEST_POSTGRES_URL
else
  unset FRONTDOOR_DATABASE_URL
fi

data="$work/council"
# FD_LOAD_REUSE=1 (SQLite, for working on the battery): keep a council made
# by an earlier run, which make_council then reuses, instead of seeding anew.
if [[ ${FD_LOAD_REUSE:-0} == 1 && $engine == sqlite && -f $data/COMPLETE ]]; then
  find "$work" -mindepth 1 -maxdepth 1 ! -name council -exec rm -rf {} +
else
  rm -rf "$work"
fi
mkdir -p "$work"
server_pid=""
cleanup() {
  if [[ -n $server_pid ]] && kill -0 "$server_pid" 2>/dev/null; then
    kill -9 "$server_pid" 2>/dev/null || true
  fi
}
trap cleanup EXIT
# An unexpected failure says where (set -e would otherwise end the run silently).
trap 'echo "load.sh: line $LINENO failed: $BASH_COMMAND" >&2
  if [[ -f $work/serve.err ]]; then tail -n 20 "$work/serve.err" >&2; fi' ERR
failures=()
check() {  # check CONDITION-TEXT OK(0/1)
  if [[ $2 == 1 ]]; then echo "  ok: $1"; else echo "  FAILED: $1"; failures+=("$1"); fi
}
started=$SECONDS
loadavg() { cut -d' ' -f1 /proc/loadavg; }
if grep -q __asan_init "$frontdoor"; then build="debug build (ASan+UBSan)"; else build="optimised build"; fi

echo "== load battery on $engine, $build: $frontdoor"
# 1. The council and the server.
t0=$SECONDS
"$make_council" --data "$data" --people 3000 --contacts 500 --weeks 13 --fresh 100 \
  --queries "$work/search-paths.txt" --query-count 500 >"$work/seed.log" 2>&1 ||
  { cat "$work/seed.log" >&2; exit 1; }
worker_token=$("$frontdoor" token issue --data "$data" --username sam.worker)
police_token=$("$frontdoor" token issue --data "$data" --username pc.jones)
echo "seeded: $(grep -m1 '^generated' "$work/seed.log") ($((SECONDS - t0)) s)"

"$frontdoor" serve --port 0 --data "$data" >"$work/serve.out" 2>"$work/serve.err" &
server_pid=$!
port=""
for _ in $(seq 1 300); do
  port=$(sed -n 's|^listening on http://127.0.0.1:\([0-9]*\).*|\1|p' "$work/serve.out")
  [[ -n $port ]] && break
  kill -0 "$server_pid" 2>/dev/null || { cat "$work/serve.err" >&2; exit 1; }
  sleep 0.1
done
[[ -n $port ]] || { echo "load.sh: the server did not start" >&2; exit 1; }
base="http://127.0.0.1:$port"
first_search=$(head -1 "$work/search-paths.txt")
for path in /queue "$first_search"; do
  status=$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $worker_token" "$base$path")
  [[ $status == 200 ]] || { echo "load.sh: GET $path answered $status" >&2; exit 1; }
done
echo "serving on $base (pid $server_pid)"

# run_wrk NAME CONNECTIONS SECONDS MODE TOKEN: one wrk in the background; its
# RESULT line lands in $work/NAME.out.
# wrk's CPU time (user + system, in seconds) goes to $work/NAME.cpu.
run_wrk() {
  (
    FD_NAME=$1 FD_MODE=$4 FD_TOKEN=$5 FD_PATHS="$work/search-paths.txt" FD_COUNT=1 \
      wrk -t1 -c"$2" -d"$3s" --latency -s "$lua" "$base" >"$work/$1.out" 2>&1
    status=$?
    # `times` (in this shell, not a pipe's): its second line is the
    # children's user and system time, as 0m1.234s 0m0.567s.
    times >"$work/$1.cpu"
    tail -1 "$work/$1.cpu" | awk '{ for (i = 1; i <= 2; i++) { split($i, t, "m"); sub("s", "", t[2])
      n += t[1] * 60 + t[2] } print n }' >"$work/$1.cpu.tmp"
    mv "$work/$1.cpu.tmp" "$work/$1.cpu"
    exit $status
  ) &
}
# field NAME KEY: a value from NAME's RESULT line.
field() { sed -n "s/^RESULT .* $2=\([^ ]*\).*/\1/p" "$work/$1.out"; }
# errors5xx NAME: how many answers had a 5xx status.
errors5xx() { field "$1" statuses | tr ',' '\n' | awk -F: '$1 >= 500 { n += $2 } END { print n + 0 }'; }
lt() { awk -v a="$1" -v b="$2" 'BEGIN { exit !(a + 0 < b + 0) }'; }
# Reads on 3/4 of the connections, writes on 1/4, for SECONDS; waits for both.
mixed_load() {  # PREFIX CONNECTIONS SECONDS
  run_wrk "$1-reads" $(($2 * 3 / 4)) "$3" reads "$worker_token"
  local reads=$!
  run_wrk "$1-writes" $(($2 / 4)) "$3" record "$police_token"
  local writes=$!
  local failed=0
  wait "$reads" || failed=1
  wait "$writes" || failed=1
  ((failed == 0)) || { cat "$work/$1-reads.out" "$work/$1-writes.out" >&2; exit 1; }
  for part in reads writes; do
    grep -q '^RESULT' "$work/$1-$part.out" || { cat "$work/$1-$part.out" >&2; exit 1; }
  done
}
# CPU ticks used so far by the server, by the PostgreSQL cluster (postmaster
# and backends) and by the whole machine.
cpu_ticks() { awk '{print $14 + $15}' "/proc/$server_pid/stat"; }
db_ticks() {
  [[ $engine == postgres ]] || { echo 0; return; }
  local pm
  pm=$(head -1 "$FRONTDOOR_TEST_PG_DATA/postmaster.pid")
  for p in "$pm" $(pgrep -P "$pm"); do awk '{print $14 + $15}' "/proc/$p/stat" 2>/dev/null; done |
    awk '{ s += $1 } END { print s + 0 }'
}
busy_ticks() { awk '/^cpu / {print $2 + $3 + $4 + $7 + $8 + $9}' /proc/stat; }

# 2. Normal load.
echo "== normal load: 32 connections (24 reading, 8 writing) for ${seconds}s; load average $(loadavg)"
ticks=$(cpu_ticks) db0=$(db_ticks) busy0=$(busy_ticks) t0=$(date +%s.%N)
mixed_load normal 32 "$seconds"
ticks=$(($(cpu_ticks) - ticks)) db0=$(($(db_ticks) - db0)) busy0=$(($(busy_ticks) - busy0))
wrk_cpu=$(cat "$work/normal-reads.cpu" "$work/normal-writes.cpu" | awk '{ s += $1 } END { print s }')
read -r server_cpu db_cpu wrk_cores others < <(awk -v s="$ticks" -v d="$db0" -v b="$busy0" \
  -v w="$wrk_cpu" -v hz="$(getconf CLK_TCK)" -v t0="$t0" -v t1="$(date +%s.%N)" 'BEGIN {
    t = t1 - t0; printf "%.2f %.2f %.2f %.2f\n", s / hz / t, d / hz / t, w / t,
      (b - s - d) / hz / t - w / t }')
grep -h '^RESULT' "$work/normal-reads.out" "$work/normal-writes.out"
for part in reads writes; do
  n=normal-$part
  check "$part: every response 2xx ($(field $n s2xx) of $(field $n requests); $(field $n statuses))" \
    "$([[ $(field $n requests) -gt 0 && $(field $n s2xx) == "$(field $n requests)" ]] && echo 1 || echo 0)"
  check "$part: no socket errors ($(field $n socket_errors))" \
    "$([[ $(field $n socket_errors) == 0 ]] && echo 1 || echo 0)"
done
check "reads: p99 $(field normal-reads p99_ms) ms < $read_p99_target ms" \
  "$(lt "$(field normal-reads p99_ms)" $read_p99_target && echo 1 || echo 0)"
check "writes: p99 $(field normal-writes p99_ms) ms < $write_p99_target ms" \
  "$(lt "$(field normal-writes p99_ms)" $write_p99_target && echo 1 || echo 0)"

# 3. Four times the load, with /healthz probed every half second meanwhile.
echo "== overload: 128 connections (96 reading, 32 writing) for ${overload_seconds}s; load average $(loadavg)"
shed_before=$(grep -c 'overloaded' "$work/serve.err" || true)
(
  end=$((SECONDS + overload_seconds))
  while ((SECONDS < end)); do
    curl -s -o /dev/null -m 2 -w '%{http_code} %{time_total}\n' "$base/healthz" || echo "000 2"
    sleep 0.5
  done >"$work/healthz.txt"
) &
probe=$!
mixed_load overload 128 "$overload_seconds"
wait "$probe"
overload_end=$(date +%s.%N)
grep -h '^RESULT' "$work/overload-reads.out" "$work/overload-writes.out"
total=0 shed=0
for part in reads writes; do
  n=overload-$part
  total=$((total + $(field $n requests)))
  shed=$((shed + $(field $n s503)))
  check "$part: only 2xx and 503 ($(field $n statuses))" \
    "$([[ $(field $n sother) == 0 ]] && echo 1 || echo 0)"
  check "$part: every 503 has Retry-After ($(field $n no_retry_after) without)" \
    "$([[ $(field $n no_retry_after) == 0 ]] && echo 1 || echo 0)"
  check "$part: no socket errors ($(field $n socket_errors))" \
    "$([[ $(field $n socket_errors) == 0 ]] && echo 1 || echo 0)"
  check "$part: work still done ($(field $n s2xx) answered 2xx)" \
    "$([[ $(field $n s2xx) -gt 0 ]] && echo 1 || echo 0)"
done
shed_share=$(awk -v s=$shed -v t=$total 'BEGIN { printf "%.1f", (t > 0 ? 100 * s / t : 0) }')
check "the server shed work: $shed of $total requests answered 503 ($shed_share%)" \
  "$([[ $shed -gt 0 ]] && echo 1 || echo 0)"
probes=$(wc -l <"$work/healthz.txt")
healthy=$(awk '$1 == 200' "$work/healthz.txt" | wc -l)
slowest=$(awk 'BEGIN { m = 0 } $2 > m { m = $2 } END { printf "%.0f", m * 1000 }' "$work/healthz.txt")
check "/healthz answered 200 to $healthy of $probes probes (slowest ${slowest} ms)" \
  "$([[ $probes -gt 0 && $healthy == "$probes" ]] && echo 1 || echo 0)"

# 4. Recovery: normal load again, a second at a time, until a clean second.
echo "== recovery: 32 connections in one-second rounds"
recovered=""
for round in $(seq 1 "$recovery_rounds"); do
  round_start=$(date +%s.%N)
  mixed_load "recovery-$round" 32 1
  bad=0
  for part in reads writes; do
    n=recovery-$round-$part
    [[ $(field $n s2xx) == "$(field $n requests)" && $(field $n socket_errors) == 0 ]] || bad=1
  done
  echo "round $round: reads $(field "recovery-$round-reads" statuses), writes $(field "recovery-$round-writes" statuses)"
  if ((bad == 0)); then
    recovered=$(awk -v a="$overload_end" -v b="$round_start" 'BEGIN { printf "%.1f", b - a }')
    break
  fi
done
check "recovered by itself: a clean second of normal load from ${recovered:-never} s after the overload" \
  "$([[ -n $recovered ]] && echo 1 || echo 0)"

# 5. A clean stop.
kill -TERM "$server_pid" 2>/dev/null || true
server_status=0
wait "$server_pid" || server_status=$?
server_pid=""
check "the server stopped cleanly (status $server_status)" "$([[ $server_status == 0 ]] && echo 1 || echo 0)"
check "no sanitizer report or handler exception in the server's log" \
  "$(grep -qE 'ERROR: AddressSanitizer|runtime error:|handler threw' "$work/serve.err" && echo 0 || echo 1)"
shed_logged=$(($(grep -c 'overloaded' "$work/serve.err" || true) - shed_before))

sum() { local n=0 v; for v in "$@"; do n=$((n + v)); done; echo "$n"; }
ok_rate=$(awk -v n="$(sum "$(field overload-reads s2xx)" "$(field overload-writes s2xx)")" \
  -v t="$overload_seconds" 'BEGIN { printf "%.0f", n / t }')
summary="load ($engine, $build; two wrk and the server on $(nproc) cores):
  normal, 32 connections for $seconds s: $(sum "$(field normal-reads requests)" "$(field normal-writes requests)") requests, \
$(sum "$(errors5xx normal-reads)" "$(errors5xx normal-writes)") 5xx, \
$(sum "$(field normal-reads socket_errors)" "$(field normal-writes socket_errors)") socket errors;
    reads (24 connections): $(field normal-reads requests) at $(field normal-reads rate)/s, \
p50 $(field normal-reads p50_ms) ms, p99 $(field normal-reads p99_ms) ms (target < $read_p99_target ms);
    durable writes (8): $(field normal-writes requests) at $(field normal-writes rate)/s, \
p50 $(field normal-writes p50_ms) ms, p99 $(field normal-writes p99_ms) ms (target < $write_p99_target ms);
    CPU in cores: server $server_cpu, database $db_cpu, wrk $wrk_cores, other processes $others.
  4x, 128 connections for $overload_seconds s: $total requests, $shed_share% answered 503 with Retry-After \
($(sum "$(field overload-reads no_retry_after)" "$(field overload-writes no_retry_after)") without), \
other non-2xx $(sum "$(field overload-reads sother)" "$(field overload-writes sother)"), \
socket errors $(sum "$(field overload-reads socket_errors)" "$(field overload-writes socket_errors)");
    2xx at $ok_rate/s; p99 of all answers: reads $(field overload-reads p99_ms) ms, writes $(field overload-writes p99_ms) ms; \
/healthz $healthy/$probes (slowest $slowest ms); $shed_logged overload reports in the server's log.
  recovery: a clean second of normal load from ${recovered:-never} s after the overload ended.
  ${#failures[@]} checks failed; $((SECONDS - started)) s; load average at the end $(loadavg)."
echo "$summary"
if [[ -n ${FRONTDOOR_BATTERY_SUMMARY_DIR:-} ]]; then
  mkdir -p "$FRONTDOOR_BATTERY_SUMMARY_DIR"
  echo "$summary" >"$FRONTDOOR_BATTERY_SUMMARY_DIR/load-$engine.txt"
fi
if ((${#failures[@]} > 0)); then
  printf 'load: FAILED: %s\n' "${failures[@]}" >&2
  exit 1
fi
