#!/bin/sh
# SHA-256 over the files the wasm is built from (run from the repository
# root), except the native-only indexer in search-core/src/native/.
# tests/search_wasm.rs computes the same value in Rust.
set -eu
find search-core/Cargo.toml search-core/src search-wasm/Cargo.toml search-wasm/Cargo.lock search-wasm/src search-wasm/.cargo -type f -not -path 'search-core/src/native/*' \
  | LC_ALL=C sort | while read -r f; do printf '%s  %s\n' "$(sha256sum "$f" | cut -d' ' -f1)" "$f"; done \
  | sha256sum | cut -d' ' -f1
