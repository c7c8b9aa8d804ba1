#!/bin/sh
# Search benchmark: builds a generated corpus with ketluan, prints the size
# of what the browser may fetch, and times queries in throttled Chromium
# (bench/search/chromium.mjs), beside Pagefind when its site is given.
#   bench/search/run.sh [N=10000] [WORK=/tmp/ketluan-search-bench] [PAGEFIND_SITE]
# Needs Debian's chromium and playwright-core (tests/browser: npm ci).
# Generated corpora and sites stay in WORK (never commit them).
set -eu
n=${1:-10000}
work=${2:-/tmp/ketluan-search-bench}
pagefind=${3:-}
repo=$(cd "$(dirname "$0")/../.." && pwd)
mkdir -p "$work"
if [ ! -d "$work/c$n/content" ]; then
  python3 "$repo/../shared/corpus/gen_corpus.py" --count "$n" --out "$work/c$n"
fi
printf 'title = "Bench"\nbase_url = "https://example.org/"\nlanguage = "vi"\n' > "$work/c$n/site.toml"
(cd "$repo" && cargo build --release --quiet)
bin="${CARGO_TARGET_DIR:-$repo/target}/release/ketluan"
rm -rf "$work/site$n"
/usr/bin/time -v "$bin" build --root "$work/c$n" --output "$work/site$n" 2> "$work/time$n.log"
grep -E "Elapsed|User time|System time|Maximum resident" "$work/time$n.log"
s="$work/site$n/search"
wasm="$repo/theme/static/search/ketluan-search.wasm"
echo "wasm: $(wc -c < "$wasm") B, $(brotli -c -q 11 "$wasm" | wc -c) B brotli"
echo "manifest.json: $(wc -c < "$s/manifest.json") B, $(brotli -c -q 11 "$s/manifest.json" | wc -c) B brotli"
for kind in terms docs tables; do
  echo "$kind: $(ls "$s" | grep -c "\.$kind\$") files, $(cat "$s"/*.$kind | wc -c) B"
done
echo "search/: $(du -sb "$s" | cut -f1) B in $(find "$s" -type f | wc -l) files; site: $(find "$work/site$n" -type f | wc -l) files"
set -- --ketluan "$work/site$n" --modules "$repo/tests/browser" --runs 3
[ -n "$pagefind" ] && set -- "$@" --pagefind "$pagefind"
node "$repo/bench/search/chromium.mjs" "$@"
