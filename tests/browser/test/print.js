// Print: a conclusion printed by Chromium comes out on A4 pages (the page
// size in the PDF itself) and without the site's navigation chrome.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { env, openPage, pageTypes, ARTIFACTS } from '../lib/env.js';

const A4 = { width: 595.28, height: 841.89 }; // points

/** The MediaBox of every page object in a PDF (uncompressed page dictionaries). */
export function mediaBoxes(pdf) {
  const text = pdf.toString('latin1');
  const boxes = [];
  const re = /\/MediaBox\s*\[\s*([-\d.]+)\s+([-\d.]+)\s+([-\d.]+)\s+([-\d.]+)\s*\]/g;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const [x0, y0, x1, y1] = m.slice(1).map(Number);
    boxes.push({ width: x1 - x0, height: y1 - y0 });
  }
  const pages = (text.match(/\/Type\s*\/Page[^s]/g) || []).length;
  return { boxes, pages };
}

// In the page: elements that would print and should not.
function chromeShown() {
  const shown = [];
  for (const el of document.querySelectorAll('header.site-header, footer.site-footer, nav, .search-box, .skip-link, .pager, .cite')) {
    const s = getComputedStyle(el);
    if (el.getClientRects().length > 0 && s.visibility !== 'hidden') shown.push(`${el.tagName.toLowerCase()}.${el.className || ''} (display ${s.display})`);
  }
  const header = document.querySelector('header.site-header');
  const footer = document.querySelector('footer.site-footer');
  return {
    shown,
    display: [header, footer].map((el) => el && getComputedStyle(el).display),
    content: ['h1.doc-title', '.doc-body', '.signature'].map((s) => {
      const el = document.querySelector(s);
      return el ? el.getClientRects().length > 0 : null;
    }),
    bodyFont: getComputedStyle(document.body).fontFamily,
  };
}

for (const siteName of ['corpus', 'example']) {
  describe(`print, ${siteName} site`, () => {
    let e, site, page, context, rel;
    before(async () => {
      e = await env();
      site = e.sites[siteName];
      rel = (await pageTypes(site)).conclusion;
      ({ page, context } = await openPage(e.browser));
      await page.goto(site.base + rel);
    });
    after(async () => { await context?.close(); });

    it('print media hides header, navigation and footer, and keeps the text and signature', async () => {
      await page.emulateMedia({ media: 'print' });
      const c = await page.evaluate(chromeShown);
      assert.deepEqual(c.display, ['none', 'none'], 'site header (with search and main navigation) and footer are display:none');
      assert.deepEqual(c.shown, [], 'no navigation chrome is rendered');
      assert.deepEqual(c.content, [true, true, siteName === 'corpus' ? true : c.content[2]], 'title, text and signature print');
      assert.match(c.bodyFont, /serif/i);
      await page.emulateMedia({ media: null }); // back to the default: page.pdf() then prints with print media
    });

    it('the PDF Chromium prints has A4 pages', { timeout: 60_000 }, async () => {
      const pdf = await page.pdf({ preferCSSPageSize: true, printBackground: true });
      await writeFile(path.join(ARTIFACTS, `${siteName}-conclusion.pdf`), pdf);
      const { boxes, pages } = mediaBoxes(pdf);
      assert.ok(pages >= 1 && boxes.length >= 1, `found ${pages} pages, ${boxes.length} MediaBoxes`);
      for (const b of boxes) {
        assert.ok(Math.abs(b.width - A4.width) < 1.5 && Math.abs(b.height - A4.height) < 1.5,
          `page is ${b.width}×${b.height} pt, A4 is 595×842 pt`);
      }
    });

    it('without the page\'s own @page size, Letter would come out (the A4 check is not vacuous)', { timeout: 60_000 }, async () => {
      const pdf = await page.pdf({ preferCSSPageSize: false, format: 'Letter' });
      const { boxes } = mediaBoxes(pdf);
      assert.ok(boxes.length && boxes.every((b) => Math.abs(b.width - 612) < 1.5 && Math.abs(b.height - 792) < 1.5), JSON.stringify(boxes));
    });
  });
}
