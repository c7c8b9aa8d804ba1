// Phones: at 360×740 no page type scrolls sideways and the text is readable;
// screenshots of every page type at phone and desktop widths go to
// artifacts/ (not committed) for a person to look at.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { env, openPage, pageTypes, visit, ARTIFACTS, safeName } from '../lib/env.js';

export const PHONE = { width: 360, height: 740 };
export const DESKTOP = { width: 1280, height: 900 };

// In the page: what overflows the viewport, and the font sizes of text.
function measure() {
  const vw = window.innerWidth;
  const doc = document.documentElement;
  const wide = [];
  for (const el of document.querySelectorAll('body *')) {
    const r = el.getBoundingClientRect();
    if (r.width === 0 || r.height === 0) continue;
    if (r.right > vw + 0.5 || r.left < -0.5) {
      // Content inside a scroll container (wide tables) scrolls on its own.
      let clipped = false;
      for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
        const o = getComputedStyle(p).overflowX;
        if (o === 'auto' || o === 'scroll' || o === 'hidden') { clipped = true; break; }
      }
      if (!clipped && !el.matches('.skip-link, .visually-hidden')) wide.push(`${el.tagName.toLowerCase()}.${el.className} ${Math.round(r.left)}..${Math.round(r.right)}`);
    }
  }
  const px = (el) => parseFloat(getComputedStyle(el).fontSize);
  const sizes = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    const el = n.parentElement;
    if (!n.textContent.trim() || !el || el.closest('.visually-hidden, script, style')) continue;
    if (!el.getClientRects().length) continue;
    sizes.push({ size: px(el), where: `${el.tagName.toLowerCase()}${el.className ? '.' + el.className : ''} "${n.textContent.trim().slice(0, 30)}"`, main: !!el.closest('main') });
  }
  // Body text: paragraphs, list items and definitions of the main content
  // (the reading text), as opposed to metadata lines and notes.
  const bodyText = [...document.querySelectorAll('main p, main li, main dd, main td')]
    .filter((el) => !el.closest('.card-meta, .stats, .breadcrumbs, .recipients, .cite, .pager, .tags, .chips') && !el.matches('.card-meta, .stats, .count') && el.innerText.trim() && el.getClientRects().length)
    .map((el) => ({ size: px(el), where: `${el.tagName.toLowerCase()}${el.className ? '.' + el.className : ''} "${el.innerText.trim().slice(0, 30)}"` }));
  return {
    scrollWidth: doc.scrollWidth,
    bodyScrollWidth: document.body.scrollWidth,
    innerWidth: vw,
    wide: wide.slice(0, 10),
    bodySize: px(document.body),
    smallest: sizes.sort((a, b) => a.size - b.size).slice(0, 3),
    smallBody: bodyText.filter((t) => t.size < 16).slice(0, 5),
    bodyTextCount: bodyText.length,
  };
}

for (const siteName of ['corpus', 'example']) {
  describe(`phones, ${siteName} site`, () => {
    let e, site, types;
    before(async () => {
      e = await env();
      site = e.sites[siteName];
      types = await pageTypes(site);
    });

    it('at 360×740 no page scrolls sideways and text is readable (body ≥ 16 px, nothing under 14 px)', { timeout: 120_000 }, async () => {
      const { page, context } = await openPage(e.browser, { viewport: PHONE });
      const failures = [];
      try {
        for (const [type, rel] of Object.entries(types)) {
          await visit(page, site, type, rel);
          const m = await page.evaluate(measure);
          if (m.scrollWidth > m.innerWidth || m.bodyScrollWidth > m.innerWidth) {
            failures.push(`${type}: scrolls sideways (scrollWidth ${m.scrollWidth}, body ${m.bodyScrollWidth} > ${m.innerWidth}): ${m.wide.join('; ')}`);
          } else if (m.wide.length) {
            failures.push(`${type}: content is cut off at the edges: ${m.wide.join('; ')}`);
          }
          if (m.bodySize < 16) failures.push(`${type}: body font-size ${m.bodySize}px < 16px`);
          if (m.bodyTextCount === 0) failures.push(`${type}: found no body text to measure`);
          for (const t of m.smallBody) failures.push(`${type}: body text ${t.where} is ${t.size}px < 16px`);
          for (const t of m.smallest) if (t.size < 14) failures.push(`${type}: text ${t.where} is ${t.size}px < 14px`);
        }
      } finally { await context.close(); }
      assert.equal(failures.length, 0, failures.join('\n'));
    });

    it('screenshots of every page type at phone and desktop widths', { timeout: 120_000 }, async () => {
      for (const [label, viewport] of [['phone', PHONE], ['desktop', DESKTOP]]) {
        const { page, context } = await openPage(e.browser, { viewport });
        try {
          for (const [type, rel] of Object.entries(types)) {
            await visit(page, site, type, rel);
            const file = path.join(ARTIFACTS, `${siteName}-${safeName(type)}-${label}.png`);
            await page.screenshot({ path: file, fullPage: true });
          }
        } finally { await context.close(); }
      }
      console.log(`# screenshots in ${ARTIFACTS}`);
    });
  });
}
