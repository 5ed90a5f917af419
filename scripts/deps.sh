#!/usr/bin/env bash
# Installs the system packages Switchboard needs when they are missing (Debian/Ubuntu, apt), and any packages named
# as arguments (the browser tests add chromium and chromium-driver).
set -euo pipefail

# docker-compose (Debian 1.29, about 30 s to install) only validates compose.yaml in the tests; no engine is needed.
# bubblewrap is the sandbox of test commands and the Claude CLI; the tests run it for real.
packages=(redis-server redis-tools libhiredis-dev libxml2-dev pkg-config git docker-compose bubblewrap "$@")
missing=()
for package in "${packages[@]}"; do
  dpkg -s "$package" >/dev/null 2>&1 || missing+=("$package")
done
if [ "${#missing[@]}" -gt 0 ]; then
  echo "installing: ${missing[*]}"
  sudo=""
  if [ "$(id -u)" != "0" ]; then sudo="sudo"; fi
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -qq
  $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
# Debian starts a system redis-server on install; Switchboard never needs it.
if command -v systemctl >/dev/null 2>&1 && systemctl is-active --quiet redis-server 2>/dev/null; then
  systemctl stop redis-server >/dev/null 2>&1 || true
fi
command -v swift >/dev/null || { echo "swift is not on PATH (Swift 6.2+ toolchain needed)" >&2; exit 1; }
