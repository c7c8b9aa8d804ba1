// A citizen's walk through each site: home → a quarter → a conclusion →
// previous/next session → back to the year listing, with no console errors
// and no failed requests on the way. Also: the not-found page, and the test
// server itself (byte ranges, as the search index reads need).
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { env, openPage, SEED_SLUG } from '../lib/env.js';
import { parseRange } from '../lib/server.js';

function noProblems(problems, where) {
  assert.deepEqual(problems, [], `problems on ${where}:\n${problems.join('\n')}`);
}

async function follow(page, locator) {
  const href = await locator.getAttribute('href');
  const target = new URL(href, page.url()).href;
  await Promise.all([page.waitForURL(target, { waitUntil: 'load' }), locator.click()]);
  return target;
}

for (const siteName of ['corpus', 'example']) {
  describe(`citizen walk (${siteName} site${siteName === 'corpus' ? ', 1,500 documents under /luu-tru/' : ', at the root'})`, () => {
    let e, site, page, context, problems;
    before(async () => {
      e = await env();
      site = e.sites[siteName];
      ({ page, context, problems } = await openPage(e.browser, { viewport: { width: 360, height: 740 } }));
    });
    after(async () => { await context?.close(); });

    it('home → a quarter → a conclusion → previous/next → the year listing', { timeout: 60_000 }, async () => {
      const home = await page.goto(site.base);
      assert.equal(home.status(), 200);
      assert.equal(await page.locator('h1').first().innerText(), 'Lưu trữ Kết luận Thị ủy Thuận Thành');
      const stats = await page.locator('.stats').first().innerText();
      assert.match(stats, new RegExp(`^${site.count.toLocaleString('de-DE')} kết luận`), 'home counts every conclusion');

      // A quarter from "Các quý gần đây".
      const chip = page.locator('section[aria-labelledby="theo_quy"] .chips a').first();
      const chipLabel = (await chip.innerText()).replace(/\s*\(.*\)\s*$/, '');
      await follow(page, chip);
      assert.match(new URL(page.url()).pathname, new RegExp(`^${site.prefix}quy/\\d{4}-q[1-4]/$`));
      assert.equal(await page.locator('h1').innerText(), chipLabel.trim(), 'quarter page is the one clicked');
      const cards = page.locator('.cards .card-title a');
      assert.ok(await cards.count() > 0, 'the quarter lists conclusions');

      // A conclusion of that quarter: pick one that has a previous or next session when there are any.
      const n = await cards.count();
      let picked = 0;
      if (siteName === 'corpus') {
        for (let i = 0; i < n; i++) {
          const t = await cards.nth(i).innerText();
          if (/Hội nghị lần thứ/.test(t)) { picked = i; break; }
        }
      }
      const title = (await cards.nth(picked).innerText()).trim();
      await follow(page, cards.nth(picked));
      assert.match(new URL(page.url()).pathname, new RegExp(`^${site.prefix}ket-luan/[^/]+/$`));
      assert.equal((await page.locator('h1').innerText()).trim(), title);
      const docUrl = page.url();
      const year = (await page.locator('.paper-date time').getAttribute('datetime')).slice(0, 4);
      const crumb = page.locator('.breadcrumbs a').last();
      assert.equal((await crumb.innerText()).trim(), chipLabel.trim(), 'breadcrumb leads back to the quarter');

      const sessions = page.locator('nav.sessions a');
      if (siteName === 'example') {
        assert.equal(await sessions.count(), 0, 'one document: no previous/next');
      } else {
        const next = page.locator('nav.sessions a[rel="next"]');
        const prev = page.locator('nav.sessions a[rel="prev"]');
        assert.ok(await next.count() + await prev.count() > 0, `${title} has a previous or next session`);
        const [go, back] = (await next.count()) ? [next, 'prev'] : [prev, 'next'];
        const otherTitle = (await go.locator('.t').innerText()).trim();
        await follow(page, go);
        assert.equal((await page.locator('h1').innerText()).trim(), otherTitle, 'previous/next leads to the session it names');
        const ret = page.locator(`nav.sessions a[rel="${back}"]`);
        assert.equal(await ret.count(), 1, 'and that one links back');
        await follow(page, ret);
        assert.equal(page.url(), docUrl, 'previous of next (or next of previous) is the same conclusion');
      }

      // Back to the year listing through the main navigation.
      await follow(page, page.locator('nav.main-nav a', { hasText: 'Theo năm' }));
      assert.equal(await page.locator('nav.main-nav a[aria-current="page"]').innerText(), 'Theo năm');
      await follow(page, page.locator('main a', { hasText: new RegExp(`^Năm ${year}$`) }).first());
      assert.match(new URL(page.url()).pathname, new RegExp(`^${site.prefix}nam/${year}/$`));
      // The conclusion is on one of the year's pages.
      const docPath = new URL(docUrl).pathname;
      for (let pages = 0; ; pages++) {
        const hrefs = await page.locator('.cards .card-title a').evaluateAll((as) => as.map((a) => new URL(a.href).pathname));
        if (hrefs.includes(docPath)) break;
        const more = page.locator('nav.pager a[rel="next"]');
        assert.ok(await more.count() && pages < 50, `${docPath} is listed in year ${year}`);
        await follow(page, more);
      }
      noProblems(problems, `the walk on the ${siteName} site`);
    });

    it('a missing page answers 404 with the site\'s styled not-found page', { timeout: 30_000 }, async () => {
      const { page: p, context: c, problems: pr } = await openPage(e.browser, {
        allow: (url, status) => status === 404 && url.includes('/khong-co/'),
      });
      try {
        const r = await p.goto(`${site.base}khong-co/trang-nay/`);
        assert.equal(r.status(), 404);
        assert.equal(await p.locator('h1').innerText(), 'Không tìm thấy trang');
        const bg = await p.locator('.site-header').evaluate((el) => getComputedStyle(el).backgroundColor);
        assert.equal(bg, 'rgb(138, 28, 19)', 'the stylesheet loads on a not-found page at any depth');
        await follow(p, p.locator('main a', { hasText: 'Trang chủ' }));
        assert.equal(p.url(), site.base);
        noProblems(pr, 'the 404 page');
      } finally { await c.close(); }
    });

    if (siteName === 'corpus') {
      it('the sample conclusion is in the generated site, and its table of contents jumps to the headings', async () => {
        const r = await page.goto(site.base + SEED_SLUG);
        assert.equal(r.status(), 200);
        assert.match(await page.locator('h1').innerText(), /lần thứ 11/);
        const links = page.locator('nav.toc a');
        assert.ok(await links.count() > 1, 'a table of contents');
        const last = links.last();
        const id = (await last.getAttribute('href')).replace(/^#/, '');
        await last.click();
        await page.waitForURL((u) => u.hash === `#${id}`);
        const top = await page.evaluate((i) => document.getElementById(i)?.getBoundingClientRect().top, id);
        assert.ok(top !== undefined && top >= -1 && top < 740 / 2, `heading #${id} is at the top of the screen (${top})`);
        noProblems(problems, 'the sample conclusion');
      });
    }
  });
}

describe('test server', () => {
  it('parses byte ranges', () => {
    assert.deepEqual(parseRange('bytes=0-9', 100), { start: 0, end: 9 });
    assert.deepEqual(parseRange('bytes=90-', 100), { start: 90, end: 99 });
    assert.deepEqual(parseRange('bytes=-10', 100), { start: 90, end: 99 });
    assert.deepEqual(parseRange('bytes=95-200', 100), { start: 95, end: 99 });
    assert.equal(parseRange('bytes=100-', 100), 'unsatisfiable');
    assert.equal(parseRange('items=0-1', 100), null);
  });

  it('serves byte ranges, index.html for folders and the sub-path mount', async () => {
    const e = await env();
    const css = `${e.sites.corpus.base}static/style.css`;
    const whole = await (await fetch(css)).text();
    const r = await fetch(css, { headers: { Range: 'bytes=10-29' } });
    assert.equal(r.status, 206);
    assert.equal(r.headers.get('content-range'), `bytes 10-29/${Buffer.byteLength(whole)}`);
    assert.equal(Buffer.from(await r.arrayBuffer()).toString(), Buffer.from(whole).subarray(10, 30).toString());
    assert.equal((await fetch(css, { headers: { Range: 'bytes=999999-' } })).status, 416);
    const redirect = await fetch(`${e.sites.corpus.base}quy`, { redirect: 'manual' });
    assert.equal(redirect.status, 301);
    assert.equal(redirect.headers.get('location'), '/luu-tru/quy/');
  });
});
