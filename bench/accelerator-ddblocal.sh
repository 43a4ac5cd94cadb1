#!/usr/bin/env bash
# accelerator-ddblocal.sh: runs the accelerator's staleness test (StreamsStalenessTest) against Amazon's
# DynamoDB Local, which has streams, inside a private network namespace (DynamoDB Local listens on every
# interface, see ../shared/tools/ddblocal.sh). Needs root for unshare -n; builds offline.
#
#   bench/accelerator-ddblocal.sh
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
tools=${TOOLS:-$root/../shared/tools}
if [ "$(ip -o link show | grep -vc ': lo:')" != 0 ]; then
  "$tools/ddblocal.sh" fetch
  exec unshare -n bash -c 'ip link set lo up && exec "$0" "$@"' "$0" "$@"
fi
cd "$root"
source bin/jdk.sh
port=18300
DDBLOCAL_PIDFILE=/tmp/accelerator-ddblocal-$port.pid "$tools/ddblocal.sh" start $port > /dev/null
trap 'DDBLOCAL_PIDFILE=/tmp/accelerator-ddblocal-$port.pid "$tools/ddblocal.sh" stop $port' EXIT
./mvnw -B -ntp -q -o -pl flywheel-accelerator -am verify -Dtest=StreamsStalenessTest -Dsurefire.failIfNoSpecifiedTests=false \
  -Dflywheel.accelerator.streamsTarget=http://127.0.0.1:$port
grep -h "staleness:" flywheel-accelerator/target/surefire-reports/*StreamsStalenessTest-output.txt || true
grep -h "Tests run" flywheel-accelerator/target/surefire-reports/*StreamsStalenessTest.txt
