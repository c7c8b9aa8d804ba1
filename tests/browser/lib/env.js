// The shared fixture of the browser suite, set up once per run: the release
// binary (built once with cargo), the example site served at the root and a
// 1,500-document generated site served under the sub-path /luu-tru/, both on one
// server on 127.0.0.1, and one headless Debian Chromium.
import { execFile, spawn } from 'node:child_process';
import { copyFile, cp, mkdir, mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { chromium } from 'playwright-core';
import { startServer } from './server.js';

const run = promisify(execFile);
const here = path.dirname(fileURLToPath(import.meta.url));
export const BROWSER_DIR = path.resolve(here, '..');
export const REPO = path.resolve(BROWSER_DIR, '..', '..');
export const ARTIFACTS = path.join(BROWSER_DIR, 'artifacts');
export const SUBPATH = '/luu-tru/';
export const CORPUS_COUNT = 1500;
export const SEED_SLUG = 'ket-luan/2023-45-kl-tu-thuan-thanh/';

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-quic',
  '--no-first-run',
  '--disable-sync',
  '--disable-dev-shm-usage',
];

function findShared() {
  const candidates = [process.env.KETLUAN_SHARED, path.resolve(REPO, '..', 'shared')].filter(Boolean);
  for (const c of candidates) {
    if (existsSync(path.join(c, 'corpus', 'gen_corpus.py'))) return c;
  }
  throw new Error(`../shared/corpus/gen_corpus.py not found beside the repository (looked in ${candidates.join(', ')})`);
}

export function timed(label, t0) {
  const ms = Date.now() - t0;
  console.log(`# ${label}: ${(ms / 1000).toFixed(1)} s`);
}

// Builds the release binary once and copies it out of the target folder, so
// that another build sharing CARGO_TARGET_DIR cannot swap it under us.
async function buildBinary(work) {
  const t0 = Date.now();
  if (process.env.KETLUAN_BIN) {
    // A binary built already (e.g. by a CI step); the default builds release.
    const bin = path.join(work, 'ketluan');
    await copyFile(process.env.KETLUAN_BIN, bin);
    console.log(`# using KETLUAN_BIN=${process.env.KETLUAN_BIN}`);
    return bin;
  }
  const out = await new Promise((resolve, reject) => {
    const child = spawn('cargo', ['build', '--release', '--locked', '--bin', 'ketluan', '--message-format=json-render-diagnostics'], {
      cwd: REPO, stdio: ['ignore', 'pipe', 'inherit'],
    });
    let buf = '';
    child.stdout.on('data', (d) => { buf += d; });
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(buf) : reject(new Error(`cargo build --release failed (${code})`))));
  });
  let exe = null;
  for (const line of out.split('\n')) {
    if (!line.startsWith('{')) continue;
    const msg = JSON.parse(line);
    if (msg.reason === 'compiler-artifact' && msg.executable && msg.target?.name === 'ketluan') exe = msg.executable;
  }
  if (!exe) throw new Error('cargo did not report the ketluan executable');
  const bin = path.join(work, 'ketluan');
  await copyFile(exe, bin);
  timed('cargo build --release', t0);
  return bin;
}

async function ketluan(bin, args, env = {}) {
  const { stdout } = await run(bin, args, { maxBuffer: 1 << 24, env: { ...process.env, ...env } });
  return stdout.trim();
}

async function setup() {
  const t0 = Date.now();
  const work = await mkdtemp(path.join(os.tmpdir(), 'ketluan-browser-'));
  await mkdir(ARTIFACTS, { recursive: true });
  const bin = await buildBinary(work);

  const server = await startServer();
  const exampleOut = path.join(work, 'example-site');
  const corpusRoot = path.join(work, 'corpus');
  const corpusOut = path.join(work, 'corpus-site');

  const example = {
    name: 'example',
    dir: exampleOut,
    prefix: '/',
    base: `${server.origin}/`,
    count: 1,
  };
  console.log('# ' + await ketluan(bin, ['build', '--root', REPO, '--output', exampleOut, '--base-url', example.base]));

  const shared = findShared();
  await run('python3', [path.join(shared, 'corpus', 'gen_corpus.py'), '--count', String(CORPUS_COUNT), '--out', corpusRoot, '--seed-doc'], { cwd: path.join(shared, 'corpus') });
  await copyFile(path.join(REPO, 'site.toml'), path.join(corpusRoot, 'site.toml'));
  const corpus = {
    name: 'corpus',
    dir: corpusOut,
    prefix: SUBPATH,
    base: `${server.origin}${SUBPATH}`,
    count: CORPUS_COUNT,
  };
  // Lists tiered from 600 documents (a real archive: 8,192), so that the
  // corpus's common words have heads and tails.
  console.log('# ' + await ketluan(bin, ['build', '--root', corpusRoot, '--output', corpusOut, '--base-url', corpus.base], { KETLUAN_TIERS_FROM: '600' }));

  server.mount('/', exampleOut);
  server.mount(SUBPATH, corpusOut);

  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
    headless: true,
    args: CHROMIUM_ARGS,
  });
  timed('setup (binary, sites, server, browser)', t0);
  return { work, bin, server, browser, sites: { example, corpus } };
}

let memo = null;
/** The shared fixture; set up on first use. */
export function env() {
  memo ??= setup();
  return memo;
}

export async function teardown() {
  if (!memo) return;
  const e = await memo.catch(() => null);
  memo = null;
  if (!e) return;
  await e.browser.close().catch(() => {});
  await e.server.close();
  if (!process.env.KEEP_SITES) await rm(e.work, { recursive: true, force: true });
  else console.log(`# sites kept in ${e.work}`);
}

/**
 * Opens a page that records every problem a citizen's browser would show:
 * console errors, uncaught exceptions, failed requests and HTTP errors.
 * `allow(url, status)` may accept expected ones (the 404 page itself).
 */
export async function openPage(browser, { viewport = { width: 1280, height: 900 }, allow = () => false, media } = {}) {
  const context = await browser.newContext({ viewport, locale: 'vi-VN', ...(media ? { colorScheme: 'light' } : {}) });
  context.setDefaultTimeout(10_000);
  const page = await context.newPage();
  const problems = [];
  page.on('console', (m) => {
    if (m.type() === 'error') {
      const loc = m.location();
      // Chromium logs every 4xx/5xx resource as a console error; the
      // response listener below decides about those.
      if (/Failed to load resource/.test(m.text()) && allow(loc.url, 404)) return;
      problems.push(`console error: ${m.text()} (${loc.url})`);
    }
  });
  page.on('pageerror', (e) => problems.push(`uncaught: ${e.message}`));
  page.on('requestfailed', (r) => {
    const why = r.failure()?.errorText || '';
    // A navigation that replaces a page in flight aborts the old requests.
    if (why === 'net::ERR_ABORTED' && r.resourceType() !== 'document') return;
    problems.push(`request failed: ${r.url()} ${why}`);
  });
  page.on('response', (r) => {
    if (r.status() >= 400 && !allow(r.url(), r.status())) problems.push(`HTTP ${r.status()}: ${r.url()}`);
  });
  return { context, page, problems };
}

/** Relative paths (under the site) of one page of each type. */
export async function pageTypes(site) {
  const first = async (dir, skip = []) => {
    const names = (await readdir(path.join(site.dir, dir))).filter((n) => !n.includes('.') && !skip.includes(n)).sort();
    if (!names.length) throw new Error(`no page under ${dir} in ${site.dir}`);
    return `${dir}/${names[0]}/`;
  };
  const types = {
    home: '',
    conclusion: site.name === 'corpus' ? SEED_SLUG : await first('ket-luan', ['trang']),
    'all conclusions': 'ket-luan/',
    'quarter index': 'quy/',
    quarter: await first('quy', ['trang']),
    'year index': 'nam/',
    year: await first('nam', ['trang']),
    'issuing body index': 'co-quan/',
    'issuing body': await first('co-quan', ['trang']),
    'term index': 'khoa/',
    term: await first('khoa', ['trang']),
    'tag index': 'chu-de/',
    tag: await first('chu-de', ['trang']),
    '404': 'khong-co-trang-nay/',
  };
  if (existsSync(path.join(site.dir, 'ket-luan', 'trang', '2', 'index.html'))) types['listing page 2'] = 'ket-luan/trang/2/';
  if (existsSync(path.join(site.dir, 'tim-kiem', 'index.html'))) types.search = 'tim-kiem/?q=ng%C3%A2n%20s%C3%A1ch';
  return types;
}

/** The file of a page type, for the HTML checker. */
export function pageFile(site, rel) {
  if (rel === 'khong-co-trang-nay/') return path.join(site.dir, '404.html');
  return path.join(site.dir, rel.split('?')[0], 'index.html');
}

export function isNotFoundPage(rel) { return rel === 'khong-co-trang-nay/'; }

export function safeName(s) {
  return s.normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/[^A-Za-z0-9]+/g, '-').replace(/^-|-$/g, '').toLowerCase();
}

export async function hasSearch(site) {
  return existsSync(path.join(site.dir, 'tim-kiem', 'index.html'));
}

export { stat, cp };

/** Goes to a page type and waits until it has settled (search results loaded). */
export async function visit(page, site, type, rel) {
  const r = await page.goto(site.base + rel);
  if (type === 'search') await page.waitForLoadState('networkidle');
  return r;
}
