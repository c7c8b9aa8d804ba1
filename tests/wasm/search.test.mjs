// The committed wasm, driven by the page's own engine.js, against the pack
// built by `ketluan build`: it must answer like `ketluan search`, in at most
// three dependent rounds of Range requests per query, also on a host that
// ignores Range.
//
//   KETLUAN_BIN=target/debug/ketluan node --test tests/wasm/
// (`cargo test --test search_wasm` runs it with the right binary.)

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { bin, openSearch, wasm, buildBefore } from './harness.mjs';

const built = buildBefore('site');
const site = built.site;

/** A static host over the built search/ folder, answering Range requests
 * unless `ranges` is false; counts what it serves. Answers after a turn of
 * the event loop, as a network does, so that a request can be aborted. */
function host({ ranges = true } = {}) {
  const served = { requests: 0, bytes: 0, perFile: new Map() };
  const fetch = async (url, init = {}) => {
    await new Promise((resolve) => setTimeout(resolve, 0));
    if (init.signal?.aborted) throw new DOMException('aborted', 'AbortError');
    const path = join(built.out, new URL(url).pathname.replace('/luu-tru/', ''));
    if (!existsSync(path)) return new Response('not found', { status: 404 });
    const file = readFileSync(path);
    const range = init.headers?.Range;
    served.requests += 1;
    served.perFile.set(path, (served.perFile.get(path) ?? 0) + 1);
    if (ranges && range) {
      const [, start, end] = /bytes=(\d+)-(\d+)/.exec(range);
      const part = file.subarray(Number(start), Number(end) + 1);
      served.bytes += part.length;
      const headers = { 'content-range': `bytes ${start}-${start + part.length - 1}/${file.length}` };
      return new Response(part, { status: 206, headers });
    }
    served.bytes += file.length;
    return new Response(file, { status: 200 });
  };
  return { fetch, served };
}

async function engine(options) {
  const h = host(options);
  const e = await openSearch({ base: 'https://example.org/luu-tru/search/', wasm, fetch: h.fetch });
  return { e, served: h.served };
}

function cli(query, ...args) {
  const json = execFileSync(bin, ['search', query, '--root', site, '--output', built.out, '--json', ...args], {
    encoding: 'utf8',
  });
  return JSON.parse(json).hits;
}

function cliFull(query, ...args) {
  const json = execFileSync(bin, ['search', query, '--root', site, '--output', built.out, '--json', ...args], {
    encoding: 'utf8',
  });
  return JSON.parse(json);
}

const urls = (hits) => hits.map((h) => h.url.replace(/^ket-luan\/|\/$/g, '')).sort();

// query → the documents a reader expects (url slugs)
const EXPECTED = {
  'hòa': ['2024-1-kl-tu', '2024-2-kl-tu'], // hòa and hoà, not hóa or hoa
  'hoa': ['2024-1-kl-tu', '2024-2-kl-tu', '2024-3-kl-tu'], // every accent
  'sạch': ['2024-4-kl-tu'], // clean, not book
  'sách': ['2023-5-kl-tu', '2023-7-kl-tu', '2023-706-kl-tu', '2023-8-kl-tu'], // sách, chính sách, ngân sách
  'ngan sach': ['2023-706-kl-tu', '2023-8-kl-tu'], // NFD document too
  'thị uỷ': ['2023-5-kl-tu', '2023-7-kl-tu', '2023-706-kl-tu', '2023-8-kl-tu', '2024-1-kl-tu', '2024-2-kl-tu', '2024-4-kl-tu'], // ủy and uỷ, anywhere (5: thị xã … Tỉnh ủy)
  'quỹ đất': ['2023-8-kl-tu'],
  'giải phóng mặt bằng': ['2023-7-kl-tu', '2023-706-kl-tu'], // all words, anywhere
  '"giải phóng mặt bằng"': ['2023-706-kl-tu'], // the phrase
  '706-kl/tu': ['2023-7-kl-tu', '2023-706-kl-tu'], // own number and citation
  '123/QD-UBND': ['2023-7-kl-tu'],
  'Khải–UVBTV': ['2024-4-kl-tu'],
  'Khuê': ['2023-5-kl-tu'], // a recipient (nơi nhận)
  'Thịnh': ['2023-5-kl-tu'], // the signer
};

test('the wasm finds what a reader expects, exactly as the command line does', async () => {
  for (const [query, expected] of Object.entries(EXPECTED)) {
    const { e } = await engine();
    const found = await e.search({ query });
    assert.deepEqual(urls(found.hits), expected, query);
    const native = cli(query);
    assert.deepEqual(
      found.hits.map((h) => [h.url, h.snippet, h.title, h.number, h.date]),
      native.map((h) => [h.url, h.snippet, h.title, h.number, h.date]),
      `${query}: wasm and CLI differ`,
    );
    assert.ok(found.rounds <= 3, `${query}: ${found.rounds} dependent rounds`);
  }
});

test('the wasm ranks and scores like the command line: adjacent words first', async () => {
  const { e } = await engine();
  for (const query of ['ngân sách', 'ngan sach', 'quy dat', 'giai phong mat bang', '"giải phóng mặt bằng"', 'thi uy', 'kết luận', 'mặt bằng giải phóng']) {
    const found = await e.search({ query, limit: 20 });
    const native = cliFull(query, '--limit', '20');
    assert.equal(found.total, native.total, `${query}: totals`);
    assert.deepEqual(
      found.hits.map((h) => [h.url, h.score]),
      native.hits.map((h) => [h.url, h.score]),
      `${query}: order and scores`,
    );
  }
  // 706 has the words together; 7 has them apart.
  const apart = await e.search({ query: 'giai phong mat bang' });
  assert.deepEqual(apart.hits.map((h) => h.url), ['ket-luan/2023-706-kl-tu/', 'ket-luan/2023-7-kl-tu/']);
  const offered = await e.search({ query: 'giai phong mat bang' });
  assert.equal(offered.accented, 'giải phóng mặt bằng');
  const typed = await e.search({ query: 'giải phóng mặt bằng' });
  assert.equal(typed.accented, undefined, 'nothing offered for a query typed with diacritics');
});

test('the own number ranks first and snippets mark accented words for folded queries', async () => {
  const { e } = await engine();
  const byNumber = await e.search({ query: '706-KL/TU' });
  assert.equal(byNumber.hits[0].number, '706-KL/TU');
  const folded = await e.search({ query: 'ngan sach' });
  assert.match(folded.hits[0].snippet, /<mark>ngân<\/mark> <mark>sách<\/mark>/);
  const none = await e.search({ query: 'ngân sạch' });
  assert.equal(none.total, 0);
  assert.equal(none.suggestion, 'ngan sach');
});

test('filters narrow the results', async () => {
  const { e } = await engine();
  const all = await e.search({ query: 'kết luận', limit: 20 });
  assert.equal(all.total, 8);
  const in2023 = await e.search({ query: 'kết luận', year: 2023, limit: 20 });
  assert.equal(in2023.total, 4);
  assert.ok(in2023.hits.every((h) => h.date.startsWith('2023')));
  assert.deepEqual(
    urls(in2023.hits),
    urls(cli('kết luận', '--year', '2023', '--limit', '20')),
  );
  const filtersOnly = await e.search({ year: 2024, limit: 20 });
  assert.equal(filtersOnly.total, 4);
  assert.ok(e.filters.years.length === 2, 'the manifest lists the years to filter by');
});

test('a repeated query fetches nothing; a refined one only what it adds', async () => {
  const { e, served } = await engine();
  assert.equal(served.requests, 1, 'opening fetches the manifest only');
  const first = await e.search({ query: 'ngân sách' });
  assert.equal(first.rounds, 2, 'the words (and the groups\' tables), then the documents shown');
  const again = await e.search({ query: 'ngân sách' });
  assert.equal(again.bytes, 0);
  assert.equal(again.rounds, 0);
  const before = served.requests;
  await e.search({ query: 'ngân sách', year: 2023 });
  assert.ok(served.requests - before <= 1, 'a filter adds at most its own chunk');
});

test('a host that ignores Range: the same answers, each file fetched whole once', async () => {
  const queries = ['hòa', 'ngan sach', '"giải phóng mặt bằng"', '706-KL/TU', 'hoà', 'kết luận'];
  const ranged = await engine();
  const whole = await engine({ ranges: false });
  for (const query of queries) {
    const [a, b] = [await ranged.e.search({ query }), await whole.e.search({ query })];
    assert.deepEqual(urls(b.hits), EXPECTED[query] ?? urls(cli(query)), query);
    assert.deepEqual(b.hits, a.hits, `${query}: the same hits with and without Range`);
  }
  for (const [path, count] of whole.served.perFile) {
    assert.equal(count, 1, `${path} fetched ${count} times`);
  }
  assert.ok(
    ranged.served.bytes < whole.served.bytes,
    `ranges send less: ${ranged.served.bytes} B against ${whole.served.bytes} B`,
  );
});

test('the search page works under a subpath and links only relative URLs', () => {
  const html = readFileSync(join(built.out, 'tim-kiem', 'index.html'), 'utf8');
  assert.match(html, /data-index="\.\.\/search\/"/);
  const wasmUrl = /data-wasm="\.\.\/([^"?]+)\?v=/.exec(html);
  assert.ok(wasmUrl, 'the wasm URL is relative and versioned');
  assert.ok(existsSync(join(built.out, wasmUrl[1])), `${wasmUrl[1]} is published`);
  assert.match(html, /role="status" aria-live="polite"/);
  assert.doesNotMatch(html, /(src|href)="\/(?!\/)/, 'no root-absolute URLs');
  const home = readFileSync(join(built.out, 'index.html'), 'utf8');
  assert.doesNotMatch(home, /ketluan-search\.wasm"|engine\.js"/, 'pages load no search code up front');
});
