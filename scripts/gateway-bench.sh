#!/usr/bin/env bash
# Measures how many POST /v1/messages and signed GitHub webhooks the release gateway accepts and publishes per second
# (wrk, 2 threads x 64 connections, 10 s each) against a throwaway redis-server, at default settings (LOG_LEVEL=info:
# what users run). Prints wrk's summary, the entries published against the 2xx answers, and the gateway's peak RSS.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/deps.sh
command -v wrk >/dev/null || { sudo=""; [ "$(id -u)" != "0" ] && sudo="sudo"; $sudo apt-get install -y -qq wrk >/dev/null; }
[ -n "${SKIP_BUILD:-}" ] || swift build -c release --product gateway
data="$(mktemp -d)"
redis_port=$((20000 + RANDOM % 20000))
gateway_port=$((40000 + RANDOM % 20000))
redis-server --port "$redis_port" --bind 127.0.0.1 --dir "$data" --save '' --appendonly no --daemonize no >"$data/redis.log" 2>&1 &
redis_pid=$!
token="bench-$(head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n')"
for _ in $(seq 1 100); do redis-cli -p "$redis_port" ping >/dev/null 2>&1 && break; sleep 0.1; done
secret="bench-hook-$(head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n')"
REDIS_URL="redis://127.0.0.1:$redis_port/0" GATEWAY_PORT="$gateway_port" GATEWAY_API_TOKENS="bench:$token" \
  GITHUB_WEBHOOK_SECRET="$secret" \
  .build/release/gateway >"$data/gateway.log" 2>&1 &
gateway_pid=$!
trap 'kill $gateway_pid $redis_pid 2>/dev/null; wait 2>/dev/null; rm -rf "$data"' EXIT
for _ in $(seq 1 100); do curl -sf "localhost:$gateway_port/healthz" >/dev/null && break; sleep 0.1; done
cat >"$data/post.lua" <<LUA
wrk.method = "POST"
wrk.headers["Authorization"] = "Bearer $token"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"type":"todos.scrape","payload":{"url":"https://todo.example.com/list","format":"json"}}'
LUA
cat >>"$data/post.lua" <<'LUA'
done = function(summary, latency, requests)
  io.write(string.format("answered: %d requests, %d non-2xx\n", summary.requests, (summary.errors.status or 0)))
end
LUA
wrk -t2 -c64 -d"${DURATION:-10s}" --latency -s "$data/post.lua" "http://127.0.0.1:$gateway_port/v1/messages"
echo "published: $(redis-cli -p "$redis_port" XLEN sb:in:scraper) entries on sb:in:scraper"

# GitHub webhooks: signed pull_request deliveries, each with its own X-GitHub-Delivery, each publishing pr.review.
body='{"action":"opened","number":7,"pull_request":{"number":7},"repository":{"full_name":"example-org/example-repo"}}'
signature="sha256=$(printf '%s' "$body" | openssl dgst -sha256 -hmac "$secret" | awk '{print $NF}')"
cat >"$data/hook.lua" <<LUA
counter = 0
threads = 0
setup = function(thread)
  threads = threads + 1
  thread:set("tid", threads)
end
request = function()
  counter = counter + 1
  local headers = {}
  headers["Content-Type"] = "application/json"
  headers["X-GitHub-Event"] = "pull_request"
  headers["X-Hub-Signature-256"] = "$signature"
  headers["X-GitHub-Delivery"] = "bench-" .. tid .. "-" .. counter
  return wrk.format("POST", "/webhooks/github", headers, '$body')
end
done = function(summary, latency, requests)
  io.write(string.format("answered: %d requests, %d non-2xx\n", summary.requests, (summary.errors.status or 0)))
end
LUA
wrk -t2 -c64 -d"${DURATION:-10s}" --latency -s "$data/hook.lua" "http://127.0.0.1:$gateway_port"
echo "published: $(redis-cli -p "$redis_port" XLEN sb:in:pr-reviewer) entries on sb:in:pr-reviewer"
echo "gateway peak RSS: $(grep VmHWM /proc/$gateway_pid/status | awk '{print $2/1024 " MB"}')"
