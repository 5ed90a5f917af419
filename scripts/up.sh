#!/usr/bin/env bash
# Builds every executable and runs the suite locally (agentctl up): Redis with AOF in ./.data unless
# REDIS_URL is set, then each service that exists, one combined log. Ctrl-C stops all cleanly.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/deps.sh
swift build
exec .build/debug/agentctl up "$@"
