// Bytes, requests, rounds and modelled latency per query of ketluan's
// browser search (the real engine.js + committed wasm, in Node), over a site
// built by `ketluan build`, under a network model of the throttled
// mobile profile.
//
//   node bench/search/query_bench.mjs SITE_DIR [--rtt 150] [--kbps 1600] [--no-range]
//
// SITE_DIR is the output folder (with search/). The model: every request
// costs one RTT, then its bytes cross one shared link of --kbps in arrival
// order; requests of a round run in parallel. Text files count at their
// brotli size (hosts compress them), index files at their size (binary
// files usually go uncompressed). Compute time (wasm) is measured, not
// modelled, and added.

import { readFileSync, existsSync } from 'node:fs';
import { join, dirname, extname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, constants } from 'node:zlib';

const repo = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const args = process.argv.slice(2);
const site = args[0];
const opt = (name, fallback) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};
const RTT = opt('rtt', 150);
const KBPS = opt('kbps', 1600);
const RANGES = !args.includes('--no-range');

export const QUERIES = [
  'ngân sách',
  'ngan sach',
  'giải phóng mặt bằng',
  '"giải phóng mặt bằng"',
  'giai phong mat bang',
  '706-KL/TU',
  'hoà',
  'hòa',
  'thủy lợi',
  'thuỷ lợi',
  'NGÂN SÁCH',
];

const brotli = (b) =>
  brotliCompressSync(b, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length;
const wasmBytes = readFileSync(join(repo, 'theme/static/search/ketluan-search.wasm'));
const engineJs = readFileSync(join(repo, 'theme/static/search/engine.js'));
const pageJs = readFileSync(join(repo, 'theme/static/search/page.js'));

const files = new Map();
const read = (path) => {
  if (!files.has(path)) files.set(path, existsSync(path) ? readFileSync(path) : null);
  return files.get(path);
};

/** Requests of the current measurement: [round, bytes on the wire]. */
let log = [];
let round = 0;

/** fetch() over the built site; only logs what would cross the network. */
async function fetchModel(url, init = {}) {
  const path = join(site, decodeURIComponent(new URL(url).pathname));
  const file = read(path);
  if (!file) return new Response('', { status: 404 });
  const m = RANGES && /bytes=(\d+)-(\d+)/.exec(init.headers?.Range ?? '');
  const body = m ? file.subarray(Number(m[1]), Number(m[2]) + 1) : file;
  const text = ['.json', '.js', '.html', '.css'].includes(extname(path));
  log.push([round, (text ? brotli(body) : body.length) + 200]);
  return new Response(body, { status: m ? 206 : 200 });
}

/** Model time of the logged requests: rounds in order, each request one
 * RTT plus its bytes over the shared link. */
function modelMs() {
  let t = 0;
  for (const r of [...new Set(log.map(([k]) => k))].sort((a, b) => a - b)) {
    let link = t;
    let end = t;
    for (const [, wire] of log.filter(([k]) => k === r)) {
      link = Math.max(t + RTT, link) + (wire * 8) / KBPS;
      end = Math.max(end, link);
    }
    t = end;
  }
  return t;
}

const { openSearch } = await import(join(repo, 'theme/static/search/engine.js'));

function row(label, q, ms, compute, result) {
  const bytes = log.reduce((n, [, w]) => n + w, 0);
  console.log(
    `| ${label} | ${q} | ${(ms + compute).toFixed(0)} | ${(bytes / 1024).toFixed(1)} | ${log.length} | ${result?.rounds ?? 2} | ${compute.toFixed(1)} | ${result?.total ?? ''} |`,
  );
}

console.log(`site ${site}; RTT ${RTT} ms, ${KBPS} kbit/s, ranges ${RANGES}`);
console.log(`wasm ${wasmBytes.length} B raw, ${brotli(wasmBytes)} B brotli`);
console.log('| kind | query | model ms | KiB on the wire | requests | rounds | compute ms | results |');
console.log('|---|---|---|---|---|---|---|---|');
const base = 'https://host.invalid/luu-tru/search/';
for (const first of QUERIES) {
  // A fresh search page: engine.js, manifest and wasm in parallel, then the
  // hot cache and the Range probe.
  log = [[1, brotli(engineJs) + 200], [1, brotli(wasmBytes) + 200]];
  round = 1;
  let t0 = performance.now();
  const engine = await openSearch({
    base,
    wasm: wasmBytes,
    fetch: (url, init) => {
      round = String(url).endsWith('manifest.json') ? 1 : 2;
      return fetchModel(url, init);
    },
  });
  row('open', '(engine, wasm, manifest, hot)', modelMs(), performance.now() - t0, null);
  engine.get = fetchModel;
  const call = engine.call.bind(engine);
  engine.call = (name, ...rest) => {
    if (name === 'search') round += 1;
    return call(name, ...rest);
  };
  for (const [i, q] of [first, ...QUERIES.filter((x) => x !== first).slice(0, 3)].entries()) {
    log = [];
    round = 0;
    t0 = performance.now();
    const result = await engine.search({ query: q });
    row(i === 0 ? 'first' : 'next', `\`${q}\``, modelMs(), performance.now() - t0, result);
  }
  console.log('|  |  |  |  |  |  |  |  |');
}
