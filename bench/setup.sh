#!/usr/bin/env bash
# Installs the baseline tools for bench/run: Hugo (Debian), Pagefind 1.6.0
# (npm, into $WORK), GNU time and hyperfine.
set -euo pipefail
WORK="${WORK:-/tmp/ketluan-bench}"
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq hugo time hyperfine
mkdir -p "$WORK" && cd "$WORK"
[ -f package.json ] || npm init -y >/dev/null
npm install --no-audit --no-fund pagefind@1.6.0
