// Accessibility: axe-core at WCAG 2.1 AA on every page type of both sites,
// and the keyboard: every interactive element is reached by Tab, in a
// sensible order, with a visible focus indicator; the skip link works.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { env, openPage, pageTypes, visit, isNotFoundPage } from '../lib/env.js';

const require = createRequire(import.meta.url);
const AXE = require.resolve('axe-core/axe.min.js');
const WCAG21AA = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

function formatViolations(violations) {
  return violations.map((v) => `${v.id} (${v.impact}): ${v.help}\n` +
    v.nodes.slice(0, 5).map((n) => `    ${n.target.join(' ')}: ${n.failureSummary.replace(/\n/g, ' ')}`).join('\n')).join('\n');
}

/** Runs axe on the loaded page; returns the violations. */
export async function axe(page) {
  await page.addScriptTag({ path: AXE });
  return page.evaluate(async (tags) => {
    const r = await window.axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] });
    return r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => ({ target: n.target, failureSummary: n.failureSummary })) }));
  }, WCAG21AA);
}

// In the page: marks every element that should be reachable by keyboard.
function markFocusables() {
  const sel = 'a[href], button:not([disabled]), input:not([disabled]):not([type="hidden"]), select:not([disabled]), textarea:not([disabled]), summary, [tabindex]:not([tabindex="-1"])';
  const els = [...document.querySelectorAll(sel)].filter((el) => {
    const s = getComputedStyle(el);
    if (s.visibility === 'hidden' || s.display === 'none') return false;
    // The skip link is off-screen until focused; it counts.
    return el.classList.contains('skip-link') || el.getClientRects().length > 0;
  });
  els.forEach((el, i) => el.setAttribute('data-kb', String(i)));
  return els.map((el) => `${el.tagName.toLowerCase()} "${(el.innerText || el.value || el.getAttribute('aria-label') || el.placeholder || '').trim().slice(0, 40)}"`);
}

// In the page: the focus indicator of the focused element, and the colours
// it shows against the background around the element.
function focusStyle() {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const s = getComputedStyle(el);
  const bgOf = (node) => {
    for (let n = node; n && n.nodeType === 1; n = n.parentElement) {
      const c = getComputedStyle(n).backgroundColor;
      if (c && c !== 'transparent' && !/rgba\(.*,\s*0\)$/.test(c)) return c;
    }
    return 'rgb(255, 255, 255)';
  };
  const shadowColors = s.boxShadow === 'none' ? [] : (s.boxShadow.match(/rgba?\([^)]*\)/g) || []);
  return {
    id: el.getAttribute('data-kb'),
    outline: `${s.outlineStyle} ${s.outlineWidth} ${s.outlineColor}`,
    outlineWidth: parseFloat(s.outlineWidth) || 0,
    outlineStyle: s.outlineStyle,
    outlineColor: s.outlineColor,
    boxShadow: s.boxShadow,
    shadowColors,
    background: bgOf(el.parentElement),
    focusVisible: el.matches(':focus-visible'),
  };
}

function unfocusedStyle(id) {
  const el = document.querySelector(`[data-kb="${id}"]`);
  const s = getComputedStyle(el);
  return { outline: `${s.outlineStyle} ${s.outlineWidth} ${s.outlineColor}`, boxShadow: s.boxShadow };
}

function luminance(rgb) {
  const [r, g, b] = rgb.match(/[\d.]+/g).slice(0, 3).map(Number).map((v) => {
    const c = v / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}
export function contrast(a, b) {
  const [x, y] = [luminance(a), luminance(b)].sort((p, q) => q - p);
  return (x + 0.05) / (y + 0.05);
}

for (const siteName of ['corpus', 'example']) {
  describe(`accessibility, ${siteName} site`, () => {
    let e, site, types, page, context, problems;
    before(async () => {
      e = await env();
      site = e.sites[siteName];
      types = await pageTypes(site);
      ({ page, context, problems } = await openPage(e.browser, {
        allow: (url, status) => status === 404 && url.includes('/khong-co-trang-nay/'),
      }));
    });
    after(async () => { await context?.close(); });

    it('axe-core finds no WCAG 2.1 A/AA violation on any page type', { timeout: 120_000 }, async () => {
      const failures = [];
      for (const [type, rel] of Object.entries(types)) {
        const r = await visit(page, site, type, rel);
        assert.equal(r.status(), isNotFoundPage(rel) ? 404 : 200, `${type}: ${rel}`);
        const v = await axe(page);
        if (v.length) failures.push(`${type} (${rel}):\n  ${formatViolations(v)}`);
      }
      assert.equal(failures.length, 0, failures.join('\n'));
      assert.deepEqual(problems, []);
    });

    it('every interactive element is reached with Tab, with a visible focus indicator', { timeout: 120_000 }, async () => {
      const failures = [];
      for (const [type, rel] of Object.entries(types)) {
        if (siteName === 'example' && !['home', 'conclusion', '404'].includes(type)) continue;
        await visit(page, site, type, rel);
        const labels = await page.evaluate(markFocusables);
        const reached = [];
        const styles = new Map();
        await page.evaluate(() => document.activeElement?.blur());
        for (let i = 0; i < labels.length + 3; i++) {
          await page.keyboard.press('Tab');
          const st = await page.evaluate(focusStyle);
          if (!st || st.id === null) {
            if (reached.length) break; // left the document: the round is complete
            continue;
          }
          if (styles.has(st.id)) break; // wrapped around
          reached.push(Number(st.id));
          styles.set(st.id, st);
        }
        const missing = labels.filter((_, i) => !reached.includes(i));
        if (missing.length) failures.push(`${type}: not reached by Tab: ${missing.join(', ')}`);
        const order = reached.every((v, i) => i === 0 || v > reached[i - 1]);
        if (!order) failures.push(`${type}: Tab order differs from the reading order: ${reached.join(',')}`);
        await page.evaluate(() => document.activeElement?.blur());
        for (const [id, st] of styles) {
          const label = labels[Number(id)];
          const plain = await page.evaluate(unfocusedStyle, id);
          const hasOutline = st.outlineStyle !== 'none' && st.outlineWidth >= 2;
          const hasShadow = st.boxShadow !== 'none';
          if (!st.focusVisible) failures.push(`${type}: ${label} focused by Tab does not match :focus-visible`);
          if (!hasOutline && !hasShadow) { failures.push(`${type}: ${label} has no focus indicator`); continue; }
          if (plain.outline === st.outline && plain.boxShadow === st.boxShadow) {
            failures.push(`${type}: ${label} looks the same focused and unfocused`);
            continue;
          }
          const colours = [...(hasOutline ? [st.outlineColor] : []), ...st.shadowColors];
          const best = Math.max(...colours.map((c) => contrast(c, st.background)));
          if (best < 3) failures.push(`${type}: ${label} focus indicator contrast ${best.toFixed(2)}:1 < 3:1 against ${st.background} (${st.outline}; ${st.boxShadow})`);
        }
      }
      assert.equal(failures.length, 0, failures.join('\n'));
    });

    it('the skip link is the first Tab stop, shows on screen and moves to the main content', async () => {
      await page.goto(site.base + (await pageTypes(site)).conclusion);
      await page.keyboard.press('Tab');
      const skip = page.locator('a.skip-link');
      assert.ok(await skip.evaluate((el) => el === document.activeElement), 'first Tab stop is the skip link');
      const box = await skip.boundingBox();
      assert.ok(box && box.x >= 0 && box.y >= 0 && box.width > 20, `skip link is visible when focused: ${JSON.stringify(box)}`);
      await page.keyboard.press('Enter');
      // Following the link updates the address a moment after the key.
      await page.waitForURL(/#noi_dung$/, { timeout: 5_000 }).catch(() => {});
      assert.match(page.url(), /#noi_dung$/);
      await page.keyboard.press('Tab');
      const inMain = await page.evaluate(() => !!document.activeElement.closest('main'));
      assert.ok(inMain, 'the next Tab stop after skipping is inside <main>');
    });
  });
}

describe('accessibility checks are not vacuous', () => {
  it('axe reports a page with an unlabelled field and an image without text', async () => {
    const e = await env();
    const { page, context } = await openPage(e.browser);
    try {
      await page.setContent('<!doctype html><html lang="vi"><title>x</title><main><img src="data:,"><input type="text"></main></html>');
      const ids = (await axe(page)).map((v) => v.id).sort();
      assert.ok(ids.includes('image-alt') && ids.includes('label'), `axe found ${ids.join(', ')}`);
    } finally { await context.close(); }
  });
});
