#!/usr/bin/env bash
# Schemathesis (PyPI) against a real gateway's /openapi.json: every check, a bounded number of examples per operation,
# and the stateful phase (sequences that follow the document's links). Fails on any failure or error it reports.
# Runs the debug `gateway` on a free port over the Redis of REDIS_URL (scripts/test.sh starts one), with a prefix of its
# own and an admin token made here. Settings per operation: Tests/Fuzz/schemathesis.toml (each one says why).
# Reports (JUnit, the gateway's log): .build/api-fuzz/. MAX_EXAMPLES (default 30) bounds the cases per operation.
set -euo pipefail
cd "$(dirname "$0")/.."
: "${REDIS_URL:?REDIS_URL must name a test Redis}"

schemathesis --version >/dev/null 2>&1 || python3 -m pip install -q schemathesis

out="$PWD/.build/api-fuzz"
rm -rf "$out"
mkdir -p "$out"
port="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
prefix="fz$(head -c 4 /dev/urandom | od -An -tx1 | tr -d ' \n')"
token="sbt_fuzz_$(head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n')"

# SSE streams of tasks that do not end (and /v1/events, which never does) are bounded by GATEWAY_SSE_MAX_AGE: the
# gateway ends each stream after that long (a browser's EventSource reconnects), so the fuzzer reads whole responses.
env -i PATH="$PATH" HOME="${HOME:-/tmp}" REDIS_URL="$REDIS_URL" SB_PREFIX="$prefix" SB_REGISTRY="$PWD/Registry/agents.yaml" \
  GATEWAY_HOST=127.0.0.1 GATEWAY_PORT="$port" GATEWAY_API_TOKENS="fuzz:$token:admin" \
  GATEWAY_SSE_KEEPALIVE=1s GATEWAY_SSE_MAX_AGE=2s LOG_LEVEL=warning \
  .build/debug/gateway >"$out/gateway.log" 2>&1 &
gateway=$!
cleanup() {
  kill -TERM "$gateway" 2>/dev/null || true
  wait "$gateway" 2>/dev/null || true
  redis-cli -u "$REDIS_URL" --scan --pattern "$prefix:*" | xargs -r redis-cli -u "$REDIS_URL" del >/dev/null || true
}
trap cleanup EXIT
base="http://127.0.0.1:$port"
for _ in $(seq 1 150); do
  curl -sf "$base/readyz" >/dev/null 2>&1 && break
  kill -0 "$gateway" 2>/dev/null || { echo "the gateway exited; see $out/gateway.log" >&2; cat "$out/gateway.log" >&2; exit 1; }
  sleep 0.2
done

# Test data a fresh deployment lacks: dead letters (20 per agent, in the shape a runner writes), so that the stateful
# phase reaches replay and delete with real ids.
agents="$(curl -sf -H "Authorization: Bearer $token" "$base/v1/agents" | python3 -c 'import json, sys; print(" ".join(a["name"] for a in json.load(sys.stdin)))')"
for agent in $agents; do
  for n in $(seq 1 20); do
    redis-cli -u "$REDIS_URL" XADD "$prefix:dlq:$agent" '*' task "seed-$agent-$n" type todos.scrape \
      payload '{"url":"https://todo.example.com/list"}' reason handler_failed error seeded attempts 3 >/dev/null
  done
done

# --checks all: every built-in check; --phases: examples, coverage, fuzzing and stateful (all of them).
schemathesis --config-file Tests/Fuzz/schemathesis.toml run "$base/openapi.json" \
  --checks all --phases examples,coverage,fuzzing,stateful --max-examples "${MAX_EXAMPLES:-30}" \
  --header "Authorization: Bearer $token" --seed "${FUZZ_SEED:-$RANDOM}" --workers 2 \
  --request-timeout 10 --generation-database none --no-color --report junit --report-dir "$out"
