#!/usr/bin/env bash
# The Frontdoor benchmarks (docs/PERFORMANCE.md), in one run:
#   1. builds the Release binaries (build/bench);
#   2. makes the demo council of 100,000 people and 200,000 contacts, once
#      (cached in build/bench-data/council; remove that folder to remake it);
#   3. durable contact recording against a bare SQLite insert (record_bench);
#   4. `frontdoor serve` on the council: the queue page and person search as a
#      signed-in MASH social worker, 32 keep-alive connections, with wrk;
#   5. /healthz at 32 and 128 keep-alive connections beside nginx (one worker,
#      a small static file) started here on loopback;
# then prints a table of the results (also kept in build/bench-data/results-*.txt).
#
# Needs: cmake, a C++ compiler, wrk, curl, nginx (Debian nginx-light; the
# comparison is skipped without it).
# Settings (environment): FD_BENCH_BUILD, FD_BENCH_DATA (folders), FD_BENCH_DURATION
# (each wrk run, default 10s), FD_BENCH_WRK_THREADS (default 2), FD_BENCH_RECORDS
# (contacts recorded by each side, a multiple of 10, default 5000), FD_BENCH_SERVER_THREADS (the
# server's HTTP threads; default: the server's own default).
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=${FD_BENCH_BUILD:-$root/build/bench}
data=${FD_BENCH_DATA:-$root/build/bench-data}
duration=${FD_BENCH_DURATION:-10s}
wrk_threads=${FD_BENCH_WRK_THREADS:-2}
records=${FD_BENCH_RECORDS:-5000}
server_threads=${FD_BENCH_SERVER_THREADS:-0}
lua="$root/bench/wrk/frontdoor.lua"

for tool in cmake wrk curl; do
  command -v "$tool" >/dev/null || { echo "run.sh: $tool is needed" >&2; exit 1; }
done

mkdir -p "$data"
# Scratch files live beside the data (not in /tmp, which other jobs may sweep).
work=$(mktemp -d "$data/run-XXXXXX")
chmod 755 "$work"  # nginx's worker (user nobody under root) reads its file from here
server_pid=""
nginx_pid=""
cleanup() {
  if [[ -n "$server_pid" ]] && kill -0 "$server_pid" 2>/dev/null; then
    kill "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
  fi
  if [[ -n "$nginx_pid" ]] && kill -0 "$nginx_pid" 2>/dev/null; then
    kill "$nginx_pid" 2>/dev/null || true
    wait "$nginx_pid" 2>/dev/null || true
  fi
  rm -rf "$work" "$data/record-work"
}
trap cleanup EXIT

stamp=$(date -u +%Y%m%dT%H%M%SZ)
results="$data/results-$stamp.txt"
log() { echo "$*" | tee -a "$results"; }

log "Frontdoor benchmarks, $(date -u '+%Y-%m-%d %H:%M UTC')"
log "commit $(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo '?')$(git -C "$root" diff --quiet 2>/dev/null || echo ' (with uncommitted changes)')"
log "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | sed 's/.*: //'), $(awk '/MemTotal/ {printf "%.0f GB", $2/1048576}' /proc/meminfo), $(uname -sr)"
log "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
log ""

# 1. Build.
log "== build (Release) in $build"
cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=Release -DFRONTDOOR_BENCH=ON >"$work/cmake.log" 2>&1 ||
  { cat "$work/cmake.log" >&2; exit 1; }
make -C "$build" -j"$(nproc)" frontdoor make_council record_bench >"$work/make.log" 2>&1 ||
  { tail -40 "$work/make.log" >&2; exit 1; }
frontdoor="$build/src/cli/frontdoor"

# 2. The council.
log "== demo council"
"$build/bench/make_council" --data "$data/council" --queries "$data/search-paths.txt" | tee -a "$results"
log ""

# 3. Recording a contact, durably, against a bare SQLite insert.
log "== recording a contact (durable) vs a bare SQLite insert, $records each"
"$build/bench/record_bench" --data "$data/council" --work "$data/record-work" --count "$records" \
  --rounds 10 | tee "$work/record.txt" | tee -a "$results"
rm -rf "$data/record-work"
log ""

# 4. The server on the council.
log "== frontdoor serve on the council"
serve_args=(serve --port 0 --data "$data/council")
[[ "$server_threads" != 0 ]] && serve_args+=(--threads "$server_threads")
"$frontdoor" "${serve_args[@]}" >"$work/serve.log" 2>&1 &
server_pid=$!
port=""
for _ in $(seq 1 600); do
  port=$(sed -n 's|^listening on http://127.0.0.1:\([0-9]*\).*|\1|p' "$work/serve.log")
  [[ -n "$port" ]] && break
  kill -0 "$server_pid" 2>/dev/null || { cat "$work/serve.log" >&2; exit 1; }
  sleep 0.2
done
[[ -n "$port" ]] || { echo "run.sh: the server did not start" >&2; exit 1; }
base="http://127.0.0.1:$port"
log "listening on $base (pid $server_pid)"

# Sign in as the demo MASH social worker, as a browser would: the sign-in
# form's CSRF token and its fd_signin cookie, then the fd_session cookie.
jar="$work/cookies.txt"
form=$(curl -sf -c "$jar" -b "$jar" "$base/sign-in")
csrf=$(printf '%s' "$form" | grep -o 'name="csrf_token" value="[^"]*"' | head -1 | sed 's/.*value="//; s/"$//')
[[ -n "$csrf" ]] || { echo "run.sh: no CSRF token on the sign-in page" >&2; exit 1; }
curl -sf -o /dev/null -c "$jar" -b "$jar" --data-urlencode "csrf_token=$csrf" \
  --data-urlencode "username=sam.worker" --data-urlencode "password=frontdoor-demo-2026" \
  "$base/sign-in"
session=$(awk '$6 == "fd_session" {print $7}' "$jar")
[[ -n "$session" ]] || { echo "run.sh: sign-in failed" >&2; exit 1; }

# Check that the pages answer as a signed-in worker expects before timing them.
check_pages() {
  local status rows first
  status=$(curl -s -o "$work/queue.html" -w '%{http_code}' -H "Cookie: fd_session=$session" "$base/queue")
  rows=$(grep -o 'href="/contacts/[0-9]*"' "$work/queue.html" | wc -l)
  [[ "$status" == 200 ]] && grep -q 'MASH queue' "$work/queue.html" ||
    { echo "run.sh: GET /queue answered $status" >&2; exit 1; }
  first=$(head -1 "$data/search-paths.txt")
  status=$(curl -s -o "$work/people.html" -w '%{http_code}' -H "Cookie: fd_session=$session" "$base$first")
  [[ "$status" == 200 ]] || { echo "run.sh: GET $first answered $status" >&2; exit 1; }
  echo "$rows"
}
queue_rows=$(check_pages)
log "signed in as sam.worker; the queue page lists $queue_rows contacts ($(wc -c <"$work/queue.html") bytes)"
log ""

cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
busy_ticks() { awk '/^cpu / {print $2 + $3 + $4 + $7 + $8 + $9}' /proc/stat; }
hz=$(getconf CLK_TCK)
# run_wrk NAME CONNECTIONS URL PID [VAR=value...]: one wrk run against the
# server process PID; prints its RESULT line with the server's CPU time per
# request, and "others": how many cores' worth of CPU went to processes other
# than the server and wrk meanwhile (the machine is shared; latencies rise
# with it).
run_wrk() {
  local name=$1 conns=$2 url=$3 pid=$4
  shift 4
  local before after busy_before busy_after start end
  before=$(cpu_ticks "$pid")
  busy_before=$(busy_ticks)
  start=$(date +%s.%N)
  local TIMEFORMAT='%U %S'
  { time env FD_NAME="$name" FD_SESSION="$session" FD_PATHS="$data/search-paths.txt" "$@"     wrk -t"$wrk_threads" -c"$conns" -d"$duration" --latency -s "$lua" "$url"     >"$work/wrk.out"; } 2>"$work/wrk.time"
  end=$(date +%s.%N)
  after=$(cpu_ticks "$pid")
  busy_after=$(busy_ticks)
  cat "$work/wrk.out" >>"$results"
  local line requests wrk_cpu
  line=$(grep '^RESULT' "$work/wrk.out")
  requests=$(sed 's/.*requests=\([0-9]*\).*/\1/' <<<"$line")
  wrk_cpu=$(tail -1 "$work/wrk.time" | awk '{print $1 + $2}')
  echo "$line $(awk -v s=$((after - before)) -v b=$((busy_after - busy_before)) -v w="$wrk_cpu" \
    -v r="$requests" -v hz="$hz" -v t0="$start" -v t1="$end" 'BEGIN {
      printf "server_cpu_ms_per_request=%.3f others=%.2f", (r > 0 ? s * 1000 / hz / r : 0),
        (b / hz - s / hz - w) / (t1 - t0) }')" | tee -a "$work/results.txt"
}

log "== the queue page and person search, 32 connections, $duration each (wrk -t$wrk_threads)"
run_wrk queue 32 "$base" "$server_pid" FD_MODE=queue
run_wrk search 32 "$base" "$server_pid" FD_MODE=search
check_pages >/dev/null  # the session held for the whole run
log ""

# 5. /healthz beside nginx.
nginx_bin=$(command -v nginx || echo /usr/sbin/nginx)
nginx_base=""
if [[ -x "$nginx_bin" ]]; then
  mkdir -p "$work/nginx/www" "$work/nginx/logs"
  printf 'ok\n' >"$work/nginx/www/healthz"
  nginx_port=$((20000 + RANDOM % 20000))
  while (exec 3<>"/dev/tcp/127.0.0.1/$nginx_port") 2>/dev/null; do nginx_port=$((nginx_port + 1)); done
  cat >"$work/nginx/nginx.conf" <<EOF
worker_processes 1;
daemon off;
pid $work/nginx/nginx.pid;
error_log $work/nginx/logs/error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  keepalive_requests 1000000;
  client_body_temp_path $work/nginx/body;
  proxy_temp_path $work/nginx/proxy;
  fastcgi_temp_path $work/nginx/fastcgi;
  uwsgi_temp_path $work/nginx/uwsgi;
  scgi_temp_path $work/nginx/scgi;
  server {
    listen 127.0.0.1:$nginx_port;
    root $work/nginx/www;
  }
}
EOF
  "$nginx_bin" -p "$work/nginx" -e "$work/nginx/logs/error.log" -c "$work/nginx/nginx.conf" \
    >"$work/nginx/out.log" 2>&1 &
  nginx_pid=$!
  for _ in $(seq 1 50); do
    curl -sf -o /dev/null "http://127.0.0.1:$nginx_port/healthz" && break
    sleep 0.1
  done
  if curl -sf -o /dev/null "http://127.0.0.1:$nginx_port/healthz"; then
    nginx_base="http://127.0.0.1:$nginx_port"
    log "nginx $("$nginx_bin" -v 2>&1 | sed 's|.*/||'), one worker, on $nginx_base"
  else
    log "nginx did not start: $(cat "$work/nginx/out.log" "$work/nginx/logs/error.log" 2>/dev/null)"
  fi
else
  log "nginx not found: the comparison is skipped"
fi
nginx_worker() { pgrep -P "$nginx_pid" | head -1; }

log "== /healthz, keep-alive, $duration each (wrk -t$wrk_threads)"
for conns in 32 128; do
  run_wrk "healthz_$conns" "$conns" "$base/healthz" "$server_pid" FD_MODE=plain
  if [[ -n "$nginx_base" ]]; then
    run_wrk "nginx_$conns" "$conns" "$nginx_base/healthz" "$(nginx_worker)" FD_MODE=plain
  fi
done
log ""
log "load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"

# The table.
field() { grep "^RESULT $1 " "$work/results.txt" | sed -n "s/.* $2=\([^ ]*\).*/\1/p"; }
verdict() { awk -v v="$1" -v t="$2" -v op="$3" 'BEGIN {
  if (v == "") { print "not run"; exit }
  ok = (op == "<") ? (v + 0 < t + 0) : (v + 0 >= t + 0); print ok ? "met" : "MISSED" }'; }
record=$(grep '^RESULT record' "$work/record.txt")
rec() { sed -n "s/.* $1=\([^ ]*\).*/\1/p" <<<"$record"; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b + 0 > 0) printf "%.2f", a / b; else print "-" }'; }

{
  echo ""
  echo "Results ($(nproc) cores; council: 100,000 people, 200,000 contacts; queue page: $queue_rows rows)"
  printf '%-40s %10s %9s %9s %12s  %-22s %s\n' "benchmark" "rate/s" "p50 ms" "p99 ms" "cpu ms/req" "target" "verdict"
  for b in queue search; do
    label=$([[ $b == queue ]] && echo "GET /queue, 32 connections" || echo "person search, 32 connections")
    printf '%-40s %10s %9s %9s %12s  %-22s %s\n' "$label" "$(field $b rate)" "$(field $b p50_ms)" \
      "$(field $b p99_ms)" "$(field $b server_cpu_ms_per_request)" "p99 < 20 ms" \
      "$(verdict "$(field $b p99_ms)" 20 '<') (others $(field $b others))"
  done
  printf '%-40s %10s %9s %9s %12s  %-22s %s\n' "record a contact (Contacts::record)" "$(rec app_rate)" \
    "" "$(rec app_p99_ms)" "" "" ""
  printf '%-40s %10s %9s %9s %12s  %-22s %s\n' "bare SQLite insert, same durability" "$(rec bare_rate)" \
    "" "$(rec bare_p99_ms)" "" "" ""
  printf '%-40s %10s %9s %9s %12s  %-22s %s\n' "  ratio recorded / bare" "$(rec ratio)" "" "" "" \
    ">= 0.5" "$(verdict "$(rec ratio)" 0.5 '>=')"
  for c in 32 128; do
    printf '%-40s %10s %9s %9s %12s  %-22s %s\n' "/healthz, $c connections" "$(field healthz_$c rate)" \
      "$(field healthz_$c p50_ms)" "$(field healthz_$c p99_ms)" \
      "$(field healthz_$c server_cpu_ms_per_request)" "p99 < 20 ms" \
      "$(verdict "$(field healthz_$c p99_ms)" 20 '<') (others $(field healthz_$c others))"
    if [[ -n "$nginx_base" ]]; then
      printf '%-40s %10s %9s %9s %12s  %-22s %s\n' "nginx static file, $c connections" \
        "$(field nginx_$c rate)" "$(field nginx_$c p50_ms)" "$(field nginx_$c p99_ms)" \
        "$(field nginx_$c server_cpu_ms_per_request)" "" "(others $(field nginx_$c others))"
      r=$(ratio "$(field healthz_$c rate)" "$(field nginx_$c rate)")
      printf '%-40s %10s %9s %9s %12s  %-22s %s\n' "  ratio ours / nginx" "$r" "" "" "" ">= 0.5" \
        "$(verdict "$r" 0.5 '>=')"
    fi
  done
  echo ""
  echo "(cpu ms/req: the server's CPU time per request; for nginx, its worker's. others: cores'"
  echo " worth of CPU that other processes than the server and wrk used during the run; this"
  echo " machine is shared, and latencies rise with it.)"
} | tee -a "$results"
echo "full output: $results"
