// Search on a phone (issue 16): at 360×740, after a search the first
// result's title is on the first screen (the filters fold behind a button,
// the help text follows the results); the accented reading of a query typed
// without diacritics is offered above the results, as a link; the folded
// filters open from the keyboard.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { env, openPage, hasSearch, ARTIFACTS } from '../lib/env.js';
import { PHONE } from './phone.js';
import { NO_SEARCH } from './search.js';

describe('search on a phone, corpus site under /luu-tru/', () => {
  let e, site, page, context, problems;
  before(async () => {
    e = await env();
    site = e.sites.corpus;
    if (!await hasSearch(site)) return;
    ({ page, context, problems } = await openPage(e.browser, { viewport: PHONE }));
  });
  after(async () => { await context?.close(); });

  it('the first result is on the first screen, below the offered accented query', { timeout: 60_000 }, async (t) => {
    if (!await hasSearch(site)) return t.skip(NO_SEARCH);
    await page.goto(`${site.base}tim-kiem/?q=${encodeURIComponent('dat dai')}`);
    const first = page.locator('#ket_qua li .card-title a').first();
    await first.waitFor();
    await page.screenshot({ path: path.join(ARTIFACTS, 'search-phone-dat-dai.png') });
    const box = await first.boundingBox();
    assert.ok(box.y + box.height <= PHONE.height, `the first result's title ends ${Math.round(box.y + box.height)} px down, below the first screen (${PHONE.height} px)`);
    const offer = page.locator('#co_dau');
    await offer.waitFor();
    assert.match(await offer.innerText(), /Có phải bạn muốn tìm: đất đai\?/);
    const offerBox = await offer.boundingBox();
    assert.ok(offerBox.y < box.y, 'the suggestion is above the results');
    assert.equal(await page.inputValue('#q'), 'dat dai', 'the query typed is kept, not replaced');
    await offer.locator('a').click();
    await page.waitForFunction(() => document.getElementById('q').value === 'đất đai');
    await page.waitForFunction(() => document.getElementById('co_dau').hidden);
    assert.equal(new URL(page.url()).searchParams.get('q'), 'đất đai');
    assert.deepEqual(problems, []);
  });

  it('the folded filters open with the keyboard and keep working', { timeout: 60_000 }, async (t) => {
    if (!await hasSearch(site)) return t.skip(NO_SEARCH);
    await page.goto(`${site.base}tim-kiem/?q=${encodeURIComponent('ngân sách')}`);
    await page.locator('#ket_qua li').first().waitFor();
    const year = page.locator('select[name="nam"]');
    assert.equal(await year.isVisible(), false, 'filters are folded');
    await page.locator('#bo_loc summary').focus();
    await page.keyboard.press('Enter');
    assert.equal(await year.isVisible(), true, 'Enter on the button shows them');
    const value = await year.locator('option').nth(1).getAttribute('value');
    await year.selectOption(value);
    await page.waitForURL((u) => u.searchParams.get('nam') === value);
    // A shared link with a filter opens with the filters shown.
    await page.goto(page.url());
    await page.locator('#ket_qua li').first().waitFor();
    assert.equal(await year.isVisible(), true);
    assert.deepEqual(problems, []);
  });
});
