#!/usr/bin/env bash
# compare.sh: Flywheel side by side with Amazon's DynamoDB Local and a floor server (answers without a
# database), measured in ONE run so that ratios hold on a shared machine, and checked against the targets
# of issue 10. Every cell runs against every target back to back (interleaved), each server pinned to
# CPU 1 and the load generator to CPU 0.
#
#   bench/compare.sh                 full run (~25 min): prints the table, writes $OUT/table.md
#   SMOKE=1 bench/compare.sh         seconds: Flywheel and the floor, one short capacity cell (CI)
#
# Targets: flywheel (embedded RocksDB, durable default), accelerator and accelerator-ddbl (flywheel
# accelerate in front of flywheel, of ddbl-mem: list them after their target), flywheel-sync (--sync-writes: fsync with group
# commit), ddbl-mem and ddbl-disk (DynamoDB Local 3.3.1 -inMemory / -dbPath), floor.
# Cells: capacity.sh get|update|put (wrk, 32 connections) and perf.sh workloads load, a, c (YCSB through the
# AWS SDK) at 1, 8 and 32 threads. Columns: requests/s, p50, p99, server CPU per request, server RSS.
#
# DynamoDB Local listens on every interface, so a run that includes it re-executes itself inside a
# private network namespace (unshare -n, root); the smoke run does not need one.
#
# Environment: TARGETS, CAPACITY_OPS (default "get update put"), WORKLOADS (default "load a c"), THREADS
# (default "1 8 32"), SECONDS_PER_RUN (default 15), OUT (default bench/results/compare-<time>), TOOLS (the
# shared tools directory, default ../shared/tools). The Flywheel jar must be built:
#   ./mvnw -B -q -ntp package -DskipTests -pl flywheel-cli -am
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
tools=${TOOLS:-$root/../shared/tools}
smoke=${SMOKE:-0}
if [ "$smoke" = 1 ]; then
  targets=${TARGETS:-flywheel floor}; capacity_ops=${CAPACITY_OPS:-get}; workloads=${WORKLOADS-}
  threads_list=${THREADS:-1}; seconds=${SECONDS_PER_RUN:-2}
else
  targets=${TARGETS:-flywheel flywheel-sync ddbl-mem ddbl-disk floor}; capacity_ops=${CAPACITY_OPS:-get update put}
  workloads=${WORKLOADS-load a c}; threads_list=${THREADS:-1 8 32}; seconds=${SECONDS_PER_RUN:-15}
fi

# DynamoDB Local must not be reachable from outside: re-run inside a private network namespace.
if [[ " $targets " == *" ddbl-"* ]] && [ "$(ip -o link show | grep -vc ': lo:')" != 0 ]; then
  # The namespace has no network: fetch first what the run needs from Maven Central, DynamoDB Local's jars
  # and the YCSB harness (perf.sh builds it on first use, then fails to reach the closed port 9: expected).
  "$tools/ddblocal.sh" fetch
  if [ -n "$workloads" ]; then OUT=$(mktemp -d) "$tools/perf.sh" http://127.0.0.1:9 c 1 1 > /dev/null 2>&1 || true; fi
  exec unshare -n bash -c 'ip link set lo up && exec "$0" "$@"' "$0" "$@"
fi

source "$root/bin/jdk.sh"
jar=$root/flywheel-cli/target/flywheel.jar
unsafe=() # protobuf's Unsafe use, allowed without a warning on JDK 23+ (see ./flywheel)
[ "$(flywheel_java_major "$JAVA_HOME")" -ge 23 ] && unsafe=(--sun-misc-unsafe-memory-access=allow)
[ -f "$jar" ] || { echo "compare: build the jar first: ./mvnw -B -q -ntp package -DskipTests -pl flywheel-cli -am" >&2; exit 2; }
out=${OUT:-$root/bench/results/compare-$(date +%Y%m%d-%H%M%S)}
mkdir -p "$out/runs"
out=$(cd "$out" && pwd)
work=$(mktemp -d /tmp/flywheel-compare.XXXXXX)

declare -A port=([flywheel]=8201 [flywheel-sync]=8202 [ddbl-mem]=8203 [ddbl-disk]=8204 [floor]=8205 [accelerator]=8206 [accelerator-ddbl]=8207) pid=() startup=() idle=()
cleanup() {
  for t in "${!pid[@]}"; do kill "${pid[$t]}" 2> /dev/null || true; done
  wait 2> /dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

ddbl_lib() {
  local lib="${DDBLOCAL_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/ddblocal}/${DDBLOCAL_VERSION:-3.3.1}/lib"
  ls "$lib"/DynamoDBLocal*.jar > /dev/null 2>&1 || "$tools/ddblocal.sh" fetch > /dev/null
  echo "$lib"
}

answers() {
  curl -sf -o /dev/null --max-time 2 --aws-sigv4 "aws:amz:us-east-1:dynamodb" --user compare:compare \
    -H 'Content-Type: application/x-amz-json-1.0' -H 'X-Amz-Target: DynamoDB_20120810.ListTables' -d '{}' \
    "http://127.0.0.1:$1/"
}

rss_mb() { awk '/^VmRSS:/ {print int($2 / 1024)}' "/proc/$1/status"; }

# ./flywheel serve makes its startup cache at the first start after the jar changed (an AOT cache from a
# training run on JDK 25+, else a class-data-sharing archive when that server stops): one unmeasured start
# and stop first, so that the measured start is the one users get after their first.
train_launcher() {
  local cache trainee
  for cache in "$root/flywheel-cli/target/flywheel.aot" "$root/flywheel-cli/target/flywheel.jsa"; do
    [ -f "$cache" ] && [ "$cache" -nt "$jar" ] && return
  done
  mkdir -p "$work/training"
  taskset -c 1 "$root/flywheel" serve --port 8299 --data-dir "$work/training" > "$out/training.log" 2>&1 &
  trainee=$!
  for _ in $(seq 1 600); do answers 8299 && break; sleep 0.1; done
  kill -TERM "$trainee"; wait "$trainee" 2> /dev/null || true
}

# start TARGET: launches it on CPU 1, waits for its first answer; records startup time and idle RSS.
start() {
  local t=$1 p=${port[$1]} t0 cmd
  case $t in
    # As users start it: the README's launcher (its class-data archive, see train_launcher).
    flywheel) train_launcher
              cmd=("$root/flywheel" serve --port "$p" --data-dir "$work/$t") ;;
    flywheel-sync) train_launcher
              cmd=("$root/flywheel" serve --port "$p" --data-dir "$work/$t" --sync-writes) ;;
    # The accelerator (issue 12) in front of the flywheel target, which must be listed before it.
    accelerator) cmd=("$JAVA_HOME/bin/java" "${unsafe[@]}"
                   -jar "$jar" accelerate --port "$p" --target "http://127.0.0.1:${port[flywheel]}") ;;
    accelerator-ddbl) cmd=("$JAVA_HOME/bin/java" "${unsafe[@]}"
                   -jar "$jar" accelerate --port "$p" --target "http://127.0.0.1:${port[ddbl-mem]}") ;;
    ddbl-mem) cmd=(java -Xmx1g -Djava.library.path="$(ddbl_lib)" -cp "$(ddbl_lib)/*"
                   software.amazon.dynamodb.services.local.main.ServerRunner -inMemory -sharedDb -disableTelemetry -port "$p") ;;
    ddbl-disk) mkdir -p "$work/$t"
               cmd=(java -Xmx1g -Djava.library.path="$(ddbl_lib)" -cp "$(ddbl_lib)/*"
                   software.amazon.dynamodb.services.local.main.ServerRunner -dbPath "$work/$t" -sharedDb -disableTelemetry -port "$p") ;;
    floor) mkdir -p "$work/floor-classes"
           "$JAVA_HOME/bin/javac" -d "$work/floor-classes" "$tools/perf/FloorServer.java"
           cmd=("$JAVA_HOME/bin/java" -cp "$work/floor-classes" FloorServer "$p") ;;
    *) echo "compare: unknown target $t" >&2; exit 2 ;;
  esac
  t0=$(date +%s%3N)
  taskset -c 1 "${cmd[@]}" > "$out/$t.log" 2>&1 &
  pid[$t]=$!
  for _ in $(seq 1 1200); do
    if answers "$p"; then
      startup[$t]=$(( $(date +%s%3N) - t0 ))
      sleep 2
      idle[$t]=$(rss_mb "${pid[$t]}")
      echo "startup: target=$t startup_ms=${startup[$t]} idle_rss_mb=${idle[$t]}" | tee -a "$out/results.txt"
      return
    fi
    kill -0 "${pid[$t]}" 2> /dev/null || break
    sleep 0.05
  done
  echo "compare: $t did not start; see $out/$t.log" >&2
  exit 1
}

# capacity TARGET OP: one capacity.sh cell, after 3 s of unreported warm-up.
capacity() {
  local t=$1 op=$2 line
  local -a env=(CLIENT_CPUS=0 SERVER_PID="${pid[$t]}")
  [ "$t" = floor ] && env+=(LOAD=0)
  env "${env[@]}" "$tools/capacity.sh" "http://127.0.0.1:${port[$t]}" "$op" 3 32 > /dev/null 2>&1 || true
  line=$(env "${env[@]}" "$tools/capacity.sh" "http://127.0.0.1:${port[$t]}" "$op" "$seconds" 32 2>&1 | grep '^capacity:' | tail -1) \
    || line="capacity: op=$op FAILED"
  echo "cell=capacity-$op target=$t rss_mb=$(rss_mb "${pid[$t]}") $line" | tee -a "$out/results.txt"
}

# ycsb TARGET WORKLOAD THREADS: one perf.sh cell.
ycsb() {
  local t=$1 w=$2 n=$3 line
  local -a env=(OUT="$out/runs/$t-$w-t$n" SERVER_PID="${pid[$t]}" PERF_CLIENT_CPUS=0)
  [ "$t" = floor ] && env+=(PERF_PREPARE=never)
  line=$(env "${env[@]}" "$tools/perf.sh" "http://127.0.0.1:${port[$t]}" "$w" "$n" "$seconds" 2>&1 | grep '^perf:' | tail -1) \
    || line="perf: workload=$w threads=$n FAILED"
  echo "cell=ycsb-$w-t$n target=$t rss_mb=$(rss_mb "${pid[$t]}") $line" | tee -a "$out/results.txt"
}

{ date -u; uname -r; nproc; "$JAVA_HOME/bin/java" -version 2>&1 | head -1; git -C "$root" rev-parse --short HEAD; } > "$out/host.txt"
for t in $targets; do start "$t"; done
# Every server compiles its hot paths (JIT) in its first seconds of load, on the CPU all of them share:
# a round of unreported GetItem load on each first, so that no measured cell pays for another's warm-up.
if [ "$smoke" != 1 ]; then
  for t in $targets; do
    warm_env=(CLIENT_CPUS=0)
    [ "$t" = floor ] && warm_env+=(LOAD=0)
    env "${warm_env[@]}" "$tools/capacity.sh" "http://127.0.0.1:${port[$t]}" get 5 32 > /dev/null 2>&1 || true
  done
fi
for op in $capacity_ops; do for t in $targets; do capacity "$t" "$op"; done; done
for w in $workloads; do for n in $threads_list; do for t in $targets; do ycsb "$t" "$w" "$n"; done; done; done

python3 "$root/bench/compare_table.py" "$out/results.txt" | tee "$out/table.md"
echo "compare: raw results in $out/results.txt"
