#!/bin/sh
# Search benchmark: builds a generated corpus with ketluan and measures the
# browser search's bytes, requests, rounds and modelled latency per query.
#   bench/search/run.sh [N=10000] [WORK=/tmp/ketluan-search-bench]
# Generated corpora and sites stay in WORK (never commit them).
set -eu
n=${1:-10000}
work=${2:-/tmp/ketluan-search-bench}
repo=$(cd "$(dirname "$0")/../.." && pwd)
mkdir -p "$work"
if [ ! -d "$work/c$n/content" ]; then
  python3 "$repo/../shared/corpus/gen_corpus.py" --count "$n" --out "$work/c$n"
fi
printf 'title = "Bench"\nbase_url = "https://example.org/luu-tru/"\nlanguage = "vi"\n' > "$work/c$n/site.toml"
(cd "$repo" && cargo build --release --quiet)
bin="${CARGO_TARGET_DIR:-$repo/target}/release/ketluan"
/usr/bin/time -v "$bin" build --root "$work/c$n" --output "$work/site$n/luu-tru" 2> "$work/time$n.log"
grep -E "Elapsed|User time|System time|Maximum resident" "$work/time$n.log"
ls -l "$work/site$n/luu-tru/search"
node "$repo/bench/search/query_bench.mjs" "$work/site$n"
node "$repo/bench/search/query_bench.mjs" "$work/site$n" --no-range | head -8
