// The /tim-kiem/ page: results as you type, the query and filters in the
// URL (shareable), accessible results. Loaded only on this page; the index
// is fetched by engine.js on first use.

const form = document.getElementById('tim_kiem');
const input = document.getElementById('q');
const status = document.getElementById('trang_thai');
const list = document.getElementById('ket_qua');
const none = document.getElementById('khong_thay');
const more = document.getElementById('xem_them');
const accented = document.getElementById('co_dau');
const filtersBox = document.getElementById('bo_loc');
const root = form.dataset.root;

/** URL parameter → request field. */
const FILTERS = { nam: 'year', quy: 'quarter', 'co-quan': 'issuer', khoa: 'term' };
const PAGE = 10;

let engine = null;
let latest = 0;
let shown = 0;

function opening() {
  // import() resolves against this module's URL, not the page's.
  engine ??= import(new URL(form.dataset.engine, document.baseURI).href).then(({ openSearch }) =>
    openSearch({ base: form.dataset.index, wasm: form.dataset.wasm }),
  );
  return engine;
}

function request(offset) {
  const r = { query: input.value, limit: PAGE, offset };
  for (const [param, field] of Object.entries(FILTERS)) {
    const value = form.elements[param].value;
    if (value) r[field] = field === 'year' ? Number(value) : value;
  }
  return r;
}

function hasInput() {
  return input.value.trim() !== '' || Object.keys(FILTERS).some((p) => form.elements[p].value);
}

/** Keeps the address shareable without filling the history. */
function syncUrl() {
  const params = new URLSearchParams();
  if (input.value.trim()) params.set('q', input.value);
  for (const p of Object.keys(FILTERS)) {
    if (form.elements[p].value) params.set(p, form.elements[p].value);
  }
  const query = params.toString();
  history.replaceState(null, '', query ? `?${query}` : location.pathname);
}

async function run({ append = false } = {}) {
  const id = ++latest;
  // "Xem thêm" belongs to the results on screen: hidden while a new query
  // replaces them or the next ones load (no double loads, no mixed lists).
  more.hidden = true;
  syncUrl();
  if (!hasInput()) {
    show(id, null);
    return;
  }
  status.textContent = 'Đang tìm…';
  try {
    const search = await opening();
    const results = await search.search(request(append ? shown : 0));
    show(id, results, append);
  } catch (e) {
    if (id !== latest) return;
    engine = null; // the next attempt starts afresh (e.g. after going offline)
    status.textContent = `Không tìm được: ${e.message}. Hãy thử lại.`;
    more.hidden = !append; // the results shown are still there to extend
  }
}

function show(id, results, append = false) {
  if (id !== latest) return; // an older query finished after a newer one
  if (!append) {
    list.replaceChildren();
    shown = 0;
  }
  none.hidden = true;
  more.hidden = true;
  if (!append) offerAccented(results?.accented);
  if (!results) {
    status.textContent = '';
    return;
  }
  for (const hit of results.hits) list.append(item(hit));
  shown += results.hits.length;
  if (results.total === 0) {
    status.textContent = 'Không tìm thấy kết luận nào.';
    noResults(results.suggestion);
    return;
  }
  if (results.estimated) {
    // A count of several words' documents, estimated (see the pack's
    // tiers): said as such, to two figures; more pages while pages fill.
    const about = Math.max(roughly(results.total), shown);
    status.textContent = `Tìm thấy khoảng ${vi(about)} kết luận, hiện ${vi(shown)}.`;
    more.hidden = results.hits.length < PAGE;
    return;
  }
  status.textContent = `Tìm thấy ${vi(results.total)} kết luận${shown < results.total ? `, hiện ${vi(shown)}` : ''}.`;
  more.hidden = shown >= results.total;
}

/** `n` to two significant figures: 51,234 → 51,000. */
function roughly(n) {
  if (n < 100) return n;
  const unit = 10 ** (Math.floor(Math.log10(n)) - 1);
  return Math.round(n / unit) * unit;
}

function item(hit) {
  const li = element('li', 'card');
  const h = element('h2', 'card-title');
  const a = element('a');
  a.href = root + hit.url;
  a.textContent = hit.title;
  h.append(a);
  const meta = element('p', 'card-meta');
  const parts = [];
  if (hit.number) parts.push(`Số ${hit.number}`);
  parts.push(viDate(hit.date));
  if (hit.issuer) parts.push(hit.issuer);
  meta.textContent = parts.join(' · ');
  li.append(h, meta);
  if (hit.snippet) {
    const p = element('p', 'card-snippet');
    p.innerHTML = hit.snippet; // escaped by the index, only <mark> added
    li.append(p);
  }
  return li;
}

/** A link that puts `query` in the box and searches it. */
function queryLink(query, content) {
  const a = element('a');
  a.href = `?q=${encodeURIComponent(query)}`;
  a.append(content);
  a.addEventListener('click', (e) => {
    e.preventDefault();
    input.value = query;
    run();
    input.focus();
  });
  return a;
}

/** "Did you mean": the accented reading of a query typed without
 * diacritics, offered above the results (never searched instead). */
function offerAccented(query) {
  accented.replaceChildren();
  accented.hidden = !query;
  if (!query) return;
  accented.append('Có phải bạn muốn tìm: ', queryLink(query, element('strong', null, query)), '?');
}

function noResults(suggestion) {
  none.replaceChildren();
  const tips = element('ul');
  if (suggestion) {
    const li = element('li');
    li.append('Tìm không dấu: ', queryLink(suggestion, suggestion), ' (khớp mọi cách bỏ dấu)');
    tips.append(li);
  }
  for (const text of [
    'Bớt từ: mọi từ đều phải có trong kết luận.',
    'Bỏ dấu ngoặc kép nếu không cần đúng nguyên cụm.',
    'Bỏ bộ lọc năm, quý, cơ quan hoặc khóa.',
  ]) {
    tips.append(element('li', null, text));
  }
  none.append(element('p', null, 'Gợi ý:'), tips);
  none.hidden = false;
}

function element(tag, className, text) {
  const e = document.createElement(tag);
  if (className) e.className = className;
  if (text) e.textContent = text;
  return e;
}

function vi(n) {
  return n.toLocaleString('vi-VN');
}

function viDate(iso) {
  const [y, m, d] = iso.split('-');
  return `${d}/${m}/${y}`;
}

function debounce(f, ms) {
  let timer;
  return () => {
    clearTimeout(timer);
    timer = setTimeout(f, ms);
  };
}

// Fill the form from the address, so shared links show their results.
const params = new URLSearchParams(location.search);
input.value = params.get('q') ?? '';
for (const p of Object.keys(FILTERS)) {
  if (params.has(p)) form.elements[p].value = params.get(p);
}
// Filters fold behind their button, unless the address sets one.
if (Object.keys(FILTERS).some((p) => form.elements[p].value)) filtersBox.open = true;
const header = document.getElementById('o_tim_kiem');
if (header) header.value = input.value;

const typed = debounce(run, 150);
input.addEventListener('input', typed);
form.addEventListener('change', () => run());
form.addEventListener('submit', (e) => {
  e.preventDefault();
  run();
});
more.addEventListener('click', () => run({ append: true }));
run();
if (!input.value) input.focus();
// On this page the reader has reached for search: get the index ready
// while they type.
opening().catch(() => {
  engine = null;
});
