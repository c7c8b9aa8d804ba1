// Text as it is really typed, in the browser: the committed wasm finds what
// `ketluan search` finds, with the same snippets, for tone marks on the
// wrong vowel, Ð for Đ and Cyrillic look-alikes in document numbers.
//
//   KETLUAN_BIN=target/debug/ketluan node --test tests/wasm/
// (`cargo test --test search_wasm` runs it with the right binary.)

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { bin, openSearch, wasm, buildBefore } from './harness.mjs';

const built = buildBefore('spelling-site');
const site = built.site;

async function fetchFile(url) {
  const path = join(built.out, new URL(url).pathname.replace('/luu-tru/', ''));
  if (!existsSync(path)) return new Response('not found', { status: 404 });
  return new Response(readFileSync(path), { status: 200 });
}

// query → the documents a reader expects (file names)
const EXPECTED = {
  'bảo': ['converted', 'latin'], // baỏ, and bảo spelt right; not báo
  'Đảm bảo': ['converted', 'latin'], // Ðảm (the Icelandic Ð) and bảo đảm
  '"đảm bảo chất lượng"': ['converted'],
  'người dân': ['converted'],
  'baỏ': ['converted', 'latin'], // typed the converted way
  'Ðảm': ['converted', 'latin'],
  'dam bao': ['converted', 'latin'],
  'bao': ['converted', 'latin', 'plain'], // every word folding to it
  'báo': ['plain'],
  'biến': [], // biên is another word
  '45-KL/TU': ['cites', 'converted'], // the Cyrillic number, and its citation
  '45-КL/ТU': ['cites', 'converted'],
  '12-KL/TU': ['cites', 'latin'], // cited with Cyrillic letters
};

test('the wasm reads misspelt text and look-alike numbers as the command line does', async () => {
  const e = await openSearch({ base: 'https://example.org/luu-tru/search/', wasm, fetch: fetchFile });
  for (const [query, expected] of Object.entries(EXPECTED)) {
    const found = await e.search({ query });
    const slugs = found.hits.map((h) => h.url.replace(/^ket-luan\/|\/$/g, '')).sort();
    assert.deepEqual(slugs, expected, query);
    const native = JSON.parse(
      execFileSync(bin, ['search', query, '--root', site, '--output', built.out, '--json'], { encoding: 'utf8' }),
    ).hits;
    assert.deepEqual(
      found.hits.map((h) => [h.url, h.snippet, h.title, h.number, h.score]),
      native.map((h) => [h.url, h.snippet, h.title, h.number, h.score]),
      `${query}: wasm and CLI differ`,
    );
  }
});

test('the own number ranks first, shown in Latin letters', async () => {
  const e = await openSearch({ base: 'https://example.org/luu-tru/search/', wasm, fetch: fetchFile });
  const found = await e.search({ query: '45-КL/ТU' });
  assert.equal(found.hits[0].url, 'ket-luan/converted/');
  assert.equal(found.hits[0].number, '45-KL/TU');
});
