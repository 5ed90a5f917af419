#!/usr/bin/env bash
# Runs broker-bench in release mode against REDIS_URL, or a throwaway redis-server when it is unset.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/deps.sh
swift build -c release --product broker-bench
if [ -z "${REDIS_URL:-}" ]; then
  port=$((20000 + RANDOM % 40000))
  data="$(mktemp -d)"
  redis-server --port "$port" --bind 127.0.0.1 --dir "$data" --save '' --appendonly no --daemonize no >"$data/redis.log" 2>&1 &
  redis_pid=$!
  trap 'kill $redis_pid 2>/dev/null; wait $redis_pid 2>/dev/null; rm -rf "$data"' EXIT
  for _ in $(seq 1 100); do redis-cli -p "$port" ping >/dev/null 2>&1 && break; sleep 0.1; done
  export REDIS_URL="redis://127.0.0.1:$port/0"
fi
.build/release/broker-bench "$@"
