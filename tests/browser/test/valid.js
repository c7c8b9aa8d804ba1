// Valid output: every page type of both sites through the Nu HTML Checker
// (vnu.jar, one Java run for all files), and sitemap.xml / atom.xml parsed as
// XML by the browser, with the Atom elements a feed reader needs and every
// listed address answering 200.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createRequire } from 'node:module';
import { env, openPage, pageTypes, pageFile, timed } from '../lib/env.js';

const require = createRequire(import.meta.url);
const VNU = require.resolve('vnu-jar/build/dist/vnu.jar');

function vnu(files) {
  return new Promise((resolve, reject) => {
    execFile(process.env.JAVA || 'java', ['-Xss4m', '-jar', VNU, '--format', 'json', '--errors-only', ...files],
      { maxBuffer: 1 << 26 }, (err, stdout, stderr) => {
        // vnu exits 1 when it found errors; the JSON report is on stderr.
        const text = (stderr || stdout || '').trim();
        try { resolve(JSON.parse(text)); } catch { reject(err || new Error(`vnu printed no JSON: ${text.slice(0, 500)}`)); }
      });
  });
}

describe('valid HTML (Nu HTML Checker)', () => {
  it('every page type of both sites has no errors', { timeout: 120_000 }, async () => {
    const e = await env();
    const files = new Map();
    for (const site of Object.values(e.sites)) {
      for (const [type, rel] of Object.entries(await pageTypes(site))) {
        if (type === 'search') continue; // same file as below, the query is in the URL only
        files.set(pageFile(site, rel), `${site.name} ${type}`);
      }
      if (await pageTypes(site).then((t) => t.search)) files.set(pageFile(site, 'tim-kiem/'), `${site.name} search`);
    }
    const t0 = Date.now();
    const report = await vnu([...files.keys()]);
    timed(`vnu on ${files.size} files`, t0);
    const errors = report.messages.filter((m) => m.type === 'error' || m.type === 'non-document-error');
    const text = errors.map((m) => `${files.get(decodeURIComponent(m.url.replace(/^file:/, ''))) || m.url}:${m.lastLine}:${m.firstColumn ?? ''}: ${m.message}\n    ${(m.extract || '').replace(/\n/g, ' ')}`);
    assert.equal(errors.length, 0, text.join('\n'));
  });

  it('the checker is not vacuous: it reports an invalid page', { timeout: 60_000 }, async () => {
    const { writeFile, mkdtemp } = await import('node:fs/promises');
    const os = await import('node:os');
    const path = await import('node:path');
    const dir = await mkdtemp(path.join(os.tmpdir(), 'vnu-'));
    const bad = path.join(dir, 'bad.html');
    await writeFile(bad, '<!doctype html><html lang="vi"><title>x</title><p><div>nested</div></p><a href="a b">x</a>');
    const report = await vnu([bad]);
    assert.ok(report.messages.some((m) => m.type === 'error'), JSON.stringify(report));
  });
});

const ATOM = 'http://www.w3.org/2005/Atom';
const SITEMAP = 'http://www.sitemaps.org/schemas/sitemap/0.9';

// In the page: parses XML with the browser's parser; returns what the tests
// look at, or the parser's error.
function parseXml([xml, kind, atomNs, sitemapNs]) {
  const doc = new DOMParser().parseFromString(xml, 'application/xml');
  const err = doc.getElementsByTagName('parsererror')[0];
  if (err) return { error: err.textContent };
  const root = doc.documentElement;
  const kids = (el, name, ns) => [...el.children].filter((c) => c.localName === name && c.namespaceURI === ns);
  const text = (el, name, ns) => kids(el, name, ns)[0]?.textContent.trim() || null;
  if (kind === 'sitemap') {
    return { root: root.localName, ns: root.namespaceURI, locs: kids(root, 'url', sitemapNs).map((u) => text(u, 'loc', sitemapNs)) };
  }
  const ns = atomNs;
  const links = (el) => kids(el, 'link', ns).map((l) => ({ rel: l.getAttribute('rel') || 'alternate', href: l.getAttribute('href') }));
  return {
    root: root.localName,
    ns: root.namespaceURI,
    id: text(root, 'id', ns),
    title: text(root, 'title', ns),
    updated: text(root, 'updated', ns),
    author: kids(root, 'author', ns).length,
    links: links(root),
    entries: kids(root, 'entry', ns).map((en) => ({
      id: text(en, 'id', ns), title: text(en, 'title', ns), updated: text(en, 'updated', ns),
      author: kids(en, 'author', ns).length, links: links(en),
    })),
  };
}

const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

async function allOk(urls) {
  const bad = [];
  const queue = [...urls];
  await Promise.all(Array.from({ length: 8 }, async () => {
    while (queue.length) {
      const u = queue.shift();
      const r = await fetch(u, { method: 'HEAD' });
      if (r.status !== 200) bad.push(`${r.status} ${u}`);
    }
  }));
  return bad;
}

for (const siteName of ['corpus', 'example']) {
  describe(`feed and sitemap, ${siteName} site`, () => {
    let e, site, page, context;
    before(async () => {
      e = await env();
      site = e.sites[siteName];
      ({ page, context } = await openPage(e.browser));
      await page.goto('about:blank');
    });
    after(async () => { await context?.close(); });

    it('sitemap.xml is well-formed, lists every page under base_url, and each answers 200', async () => {
      const r = await fetch(`${site.base}sitemap.xml`);
      assert.equal(r.status, 200);
      assert.match(r.headers.get('content-type'), /xml/);
      const s = await page.evaluate(parseXml, [await r.text(), 'sitemap', ATOM, SITEMAP]);
      assert.equal(s.error, undefined, s.error);
      assert.equal(s.root, 'urlset');
      assert.equal(s.ns, SITEMAP);
      assert.ok(s.locs.length >= site.count + 10, `${s.locs.length} URLs`);
      assert.equal(new Set(s.locs).size, s.locs.length, 'no URL twice');
      for (const loc of s.locs) assert.ok(loc.startsWith(site.base), `${loc} is under ${site.base}`);
      assert.ok(s.locs.includes(site.base), 'home is listed');
      assert.deepEqual(await allOk(s.locs), []);
      const robots = await (await fetch(`${site.base}robots.txt`)).text();
      assert.match(robots, new RegExp(`^Sitemap: ${site.base}sitemap.xml$`, 'm'));
    });

    it('atom.xml is well-formed with the required Atom elements, and its links answer 200', async () => {
      const r = await fetch(`${site.base}atom.xml`);
      assert.equal(r.status, 200);
      const f = await page.evaluate(parseXml, [await r.text(), 'atom', ATOM, SITEMAP]);
      assert.equal(f.error, undefined, f.error);
      assert.equal(f.root, 'feed');
      assert.equal(f.ns, ATOM);
      assert.ok(f.id, 'feed id');
      assert.ok(f.title, 'feed title');
      assert.match(f.updated || '', RFC3339, 'feed updated is an RFC 3339 date-time');
      assert.ok(f.links.some((l) => l.rel === 'self' && l.href === `${site.base}atom.xml`), 'feed links to itself');
      assert.ok(f.entries.length >= 1 && f.entries.length <= 20, `${f.entries.length} entries (feed_limit 20)`);
      const ids = new Set();
      for (const en of f.entries) {
        assert.ok(en.id && en.title, `entry id and title: ${JSON.stringify(en)}`);
        assert.match(en.updated || '', RFC3339, `entry updated: ${en.title}`);
        assert.ok(f.author > 0 || en.author > 0, 'an author for every entry (feed or entry)');
        const alt = en.links.find((l) => l.rel === 'alternate');
        assert.ok(alt && alt.href.startsWith(`${site.base}ket-luan/`), `entry link: ${JSON.stringify(en.links)}`);
        ids.add(en.id);
      }
      assert.equal(ids.size, f.entries.length, 'entry ids are unique');
      const dates = f.entries.map((en) => en.updated);
      assert.deepEqual(dates, [...dates].sort().reverse(), 'newest first');
      assert.deepEqual(await allOk(f.entries.map((en) => en.links.find((l) => l.rel === 'alternate').href)), []);
    });
  });
}

