#!/bin/sh
# Rebuilds the committed browser search module and records which sources it
# was built from. Run from anywhere:  search-wasm/build.sh
# Needs: rustup target add wasm32-unknown-unknown. No wasm-bindgen, no
# wasm-opt: after brotli, wasm-opt's output was larger (notes/tantivy-wasm.md).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
repo=$(dirname "$here")
out="$repo/theme/static/search"
target="${CARGO_TARGET_DIR:-$here/target}"
cd "$here"
# Paths in panic messages, remapped: smaller, and the same on every machine.
registry=$(cd "$HOME/.cargo/registry/src" 2>/dev/null && pwd || echo /nonexistent)
RUSTFLAGS=""
for dir in "$registry"/*; do RUSTFLAGS="$RUSTFLAGS --remap-path-prefix=$dir=crates"; done
RUSTFLAGS="$RUSTFLAGS --remap-path-prefix=$repo=ketluan"
export RUSTFLAGS
cargo build --release --target wasm32-unknown-unknown
mkdir -p "$out"
cp "$target/wasm32-unknown-unknown/release/ketluan_search_wasm.wasm" "$out/ketluan-search.wasm"
# The staleness test (tests/search_wasm.rs) recomputes this hash.
cd "$repo"
"$here/sources-hash.sh" > "$out/ketluan-search.wasm.sources"
ls -l "$out/ketluan-search.wasm"
