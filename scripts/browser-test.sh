#!/usr/bin/env bash
# The dashboard's browser tests: headless Chromium driven by Selenium against a real gateway and assistant on the
# Redis of REDIS_URL (scripts/test.sh starts one). Installs chromium, chromium-driver and selenium when missing.
# Expects the debug build (`swift build --build-tests` builds the executables). Screenshots: .build/browser-screenshots.
set -euo pipefail
cd "$(dirname "$0")/.."
: "${REDIS_URL:?REDIS_URL must name a test Redis}"

./scripts/deps.sh chromium chromium-driver
python3 -c "import selenium" 2>/dev/null || python3 -m pip install -q selenium

export SCREENSHOTS="${SCREENSHOTS:-$PWD/.build/browser-screenshots}"
rm -rf "$SCREENSHOTS"
python3 Tests/Browser/dashboard_test.py
