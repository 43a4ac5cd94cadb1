#!/usr/bin/env bash
# server-figures.sh: the server-level figures of BENCHMARKS.md, for `flywheel serve` on its embedded
# default (RocksDB on disk), reproduced in one run (about two minutes):
#   1. startup: milliseconds from process start until a ListTables request is answered, 5 runs, each
#      on a fresh data directory; prints every run and the median;
#   2. idle RSS: VmRSS of the server 2 s after it answered, median of the same 5 runs;
#   3. capacity: ../shared/tools/capacity.sh get, put and update (10 s, 32 connections) with the server
#      pinned to CPU 1 and wrk to CPU 0, after an unreported 3 s of each to warm the JIT up (else the first
#      operation measured pays for compiling the shared path); then put again after a restart with
#      --sync-writes (fsync of the write-ahead log before each acknowledgement, with group commit), also
#      after a 3 s warm-up; RSS after each phase.
#
#   bench/server-figures.sh            (build the jar first: ./mvnw -B -q -ntp package -DskipTests -pl flywheel-cli -am)
# Environment: PORT (default 8765), SECONDS_PER_RUN (default 10), CONNECTIONS (default 32), CAPACITY (the
# path of capacity.sh). Stops every server it started, also on failure or Ctrl-C.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
source "$root/bin/jdk.sh"
jar=$root/flywheel-cli/target/flywheel.jar
capacity=${CAPACITY:-$root/../shared/tools/capacity.sh}
port=${PORT:-8765}
url=http://127.0.0.1:$port
seconds=${SECONDS_PER_RUN:-10}
conns=${CONNECTIONS:-32}
[ -f "$jar" ] || { echo "server-figures: $jar missing; build it first" >&2; exit 2; }
[ -x "$capacity" ] || { echo "server-figures: capacity.sh not found at $capacity (set CAPACITY)" >&2; exit 2; }

work=$(mktemp -d /tmp/flywheel-figures.XXXXXX)
pid=""
stop_server() {
  if [ -n "$pid" ]; then
    kill "$pid" 2> /dev/null || true
    wait "$pid" 2> /dev/null || true
    pid=""
  fi
}
trap 'stop_server; rm -rf "$work"' EXIT

list_tables() {
  curl -sf -o /dev/null --max-time 2 --aws-sigv4 "aws:amz:us-east-1:dynamodb" --user figures:figures \
    -H 'Content-Type: application/x-amz-json-1.0' -H 'X-Amz-Target: DynamoDB_20120810.ListTables' -d '{}' "$url/"
}

# start_server PIN DATA_DIR [serve options...]: starts the server (PIN: a taskset CPU list, or "" for
# none), waits for its first answered ListTables, and sets pid and startup_ms.
start_server() {
  local pin=$1 dir=$2; shift 2
  local cmd=(java --enable-native-access=ALL-UNNAMED -jar "$jar" serve --port "$port" --data-dir "$dir" "$@")
  [ -n "$pin" ] && cmd=(taskset -c "$pin" "${cmd[@]}")
  local t0; t0=$(date +%s%N)
  "${cmd[@]}" > "$work/server.log" 2>&1 &
  pid=$!
  until list_tables; do
    if ! kill -0 "$pid" 2> /dev/null; then
      pid=""; echo "server-figures: the server exited:" >&2; cat "$work/server.log" >&2; exit 1
    fi
    sleep 0.01
  done
  startup_ms=$(( ($(date +%s%N) - t0) / 1000000 ))
}

rss_mb() { awk '/^VmRSS:/ { printf "%.0f", $2 / 1024 }' "/proc/$pid/status"; }
median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

echo "# $(date -u +%Y-%m-%dT%H:%M:%SZ) $(nproc) cores, load: $(cut -d' ' -f1-3 /proc/loadavg); $(java -version 2>&1 | head -1)"

startups=() rsses=()
for i in 1 2 3 4 5; do
  start_server "" "$work/startup-$i"
  sleep 2
  rss=$(rss_mb)
  echo "startup run $i: first ListTables answered after ${startup_ms} ms; idle RSS ${rss} MB"
  startups+=("$startup_ms") rsses+=("$rss")
  stop_server
done
echo "startup: median_ms=$(printf '%s\n' "${startups[@]}" | median) idle_rss_median_mb=$(printf '%s\n' "${rsses[@]}" | median)"

data=$work/capacity
start_server 1 "$data"
echo "capacity server (default durability) pid $pid, pinned to CPU 1; RSS after start $(rss_mb) MB"
for op in get put update; do CLIENT_CPUS=0 "$capacity" "$url" "$op" 3 "$conns" > /dev/null; done
echo "  RSS after loading the table and warming up: $(rss_mb) MB"
for op in get put update; do
  SERVER_PID=$pid CLIENT_CPUS=0 "$capacity" "$url" "$op" "$seconds" "$conns"
  echo "  RSS after $op: $(rss_mb) MB"
done
stop_server

start_server 1 "$data" --sync-writes
echo "capacity server (--sync-writes) pid $pid, pinned to CPU 1"
CLIENT_CPUS=0 LOAD=0 "$capacity" "$url" put 3 "$conns" > /dev/null
SERVER_PID=$pid CLIENT_CPUS=0 "$capacity" "$url" put "$seconds" "$conns" | sed 's/^capacity: op=put/capacity: op=put(sync-writes)/'
echo "  RSS after put: $(rss_mb) MB"
stop_server
