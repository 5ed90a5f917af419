#!/usr/bin/env bash
# Runs the whole test suite against a throwaway redis-server on a free port.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/deps.sh

port=""
for _ in $(seq 1 50); do
  candidate=$((20000 + RANDOM % 40000))
  if ! (exec 3<>"/dev/tcp/127.0.0.1/$candidate") 2>/dev/null; then port=$candidate; break; fi
done
[ -n "$port" ] || { echo "no free port for redis-server" >&2; exit 1; }

data="$(mktemp -d)"
redis-server --port "$port" --bind 127.0.0.1 --dir "$data" --save '' --appendonly no --daemonize no >"$data/redis.log" 2>&1 &
redis_pid=$!
cleanup() {
  kill "$redis_pid" 2>/dev/null || true
  wait "$redis_pid" 2>/dev/null || true
  rm -rf "$data"
}
trap cleanup EXIT
for _ in $(seq 1 100); do
  redis-cli -p "$port" ping >/dev/null 2>&1 && break
  sleep 0.1
done
export REDIS_URL="redis://127.0.0.1:$port/0"
echo "test Redis: $REDIS_URL"

swift build --build-tests
swift test --skip-build "$@"
# The dashboard in a real browser and the API under Schemathesis (skipped when a filter picks Swift tests only).
if [ "$#" -eq 0 ]; then
  ./scripts/browser-test.sh
  ./scripts/api-fuzz.sh
fi
