#!/usr/bin/env bash
# Runs tools/conformance/compare.py against Flywheel and Amazon's DynamoDB Local, both started here
# inside a private network namespace (DynamoDB Local listens on every interface).
#   tools/conformance/run.sh            (builds Flywheel first if needed)
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
shared=${SHARED:-$root/../shared}
if [ -z "${FLYWHEEL_IN_NAMESPACE:-}" ]; then
  exec unshare -n env FLYWHEEL_IN_NAMESPACE=1 "$0" "$@"
fi
ip link set lo up
"$shared/tools/ddblocal.sh" start 8001 >/dev/null
trap '"$shared/tools/ddblocal.sh" stop 8001 >/dev/null 2>&1 || true; kill $flywheel 2>/dev/null || true' EXIT
"$root/flywheel" serve --in-memory --port 8000 > /tmp/flywheel-conformance.log 2>&1 &
flywheel=$!
for _ in $(seq 1 120); do
  curl -s -o /dev/null http://127.0.0.1:8000/ && curl -s -o /dev/null http://127.0.0.1:8001/ && break
  sleep 1
done
python3 "$root/tools/conformance/compare.py" http://127.0.0.1:8000 http://127.0.0.1:8001
