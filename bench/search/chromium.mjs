// Search latency and bytes in Chromium under throttled mobile network
// emulation (150 ms RTT, 1.6 Mbps down, 750 kbps up): ketluan (its pack
// reader in wasm, whole small files) beside Pagefind on the same corpus.
//
//   node bench/search/chromium.mjs --ketluan SITE [--pagefind SITE] [--modules DIR] [--runs 3] [--h2 1]
//
// --h2 1   serve over HTTPS with HTTP/2 (default: HTTP/1.1, 6 connections)
// --cold 1 each query alone, in a fresh browser whose engine is loaded
//          (untimed) but has fetched nothing else
// --log 1  print each query's requests (path, status, bytes) to stderr
// --timeline 1  print each query's requests (file, start and end ms after the query began, bytes) to stderr
// SITE     a built site (`ketluan build` output; Hugo + `pagefind --site` output)
// DIR      a folder whose node_modules has playwright-core (default: cwd)
// Per run: a fresh browser profile; open the page; time from the first query
// (engine not loaded) to results, then each following query (a different
// one, same page). Both engines return 10 results with their text snippet
// (Pagefind: search() + data() of the top 10). Bytes are counted by the
// server (serve.mjs), per phase.
import { spawn } from "node:child_process";
import { createRequire } from "node:module";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

const HERE = path.dirname(new URL(import.meta.url).pathname);
const args = { runs: 3, modules: process.cwd() };
const argv = process.argv.slice(2);
for (let i = 0; i < argv.length; i += 2) args[argv[i].replace(/^--/, "")] = argv[i + 1];
const require = createRequire(path.join(path.resolve(args.modules), "package.json"));
const { chromium } = require("playwright-core");

const QUERIES = ["ngân sách", "giải phóng mặt bằng", "ngan sach", '"giải phóng mặt bằng"', "706-KL/TU", "hòa", "thủy lợi", "đất đai"];
const FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
  "--disable-component-update", "--disable-quic", "--no-first-run", "--disable-sync",
  ...(args.h2 ? ["--ignore-certificate-errors"] : [])];
// The bench's own requests to its server accept the throwaway certificate.
if (args.h2) process.env.NODE_TLS_REJECT_UNAUTHORIZED = "0";
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function server(dir, port) {
  const extra = args.h2 ? ["--h2"] : [];
  const proc = spawn("node", [path.join(HERE, "serve.mjs"), dir, String(port), ...extra], { stdio: "ignore" });
  const base = `${args.h2 ? "https" : "http"}://127.0.0.1:${port}`;
  for (let i = 0; i < 50; i++) {
    try {
      const r = await fetch(base + "/__bench/stats");
      if (r.ok && (await r.json()).dir === dir) return { proc, base };
    } catch {}
    await sleep(100);
  }
  proc.kill();
  throw new Error(`no server of ${dir} on port ${port} (is an older one still running?)`);
}
const stats = async (base) => (await fetch(base + "/__bench/reset")).json();

const engines = {
  ketluan: {
    // A page that loads nothing for search until asked, like Pagefind's.
    page: "/",
    init: async () => {
      const { openSearch } = await import("/static/search/engine.js");
      window.__kl = await openSearch({ base: "/search/", wasm: "/static/search/ketluan-search.wasm" });
    },
    query: async (q) => {
      const r = await window.__kl.search({ query: q, limit: 10, offset: 0 });
      return { total: r.total, top: r.hits.map((h) => h.title) };
    },
  },
  pagefind: {
    page: "/",
    init: async () => { window.__pf = await import("/pagefind/pagefind.js"); await window.__pf.init(); },
    query: async (q) => {
      const s = await window.__pf.search(q);
      const d = await Promise.all(s.results.slice(0, 10).map((r) => r.data()));
      return { total: s.results.length, top: d.map((x) => x.meta.title) };
    },
  },
};

async function run(name, base, cold) {
  const eng = engines[name];
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bench-profile-"));
  const ctx = await chromium.launchPersistentContext(dir, { executablePath: "/usr/bin/chromium", headless: true, args: FLAGS, ignoreHTTPSErrors: !!args.h2 });
  try {
    const page = ctx.pages()[0] || await ctx.newPage();
    const cdp = await ctx.newCDPSession(page);
    await cdp.send("Network.enable");
    await cdp.send("Network.emulateNetworkConditions", {
      offline: false, latency: 150, downloadThroughput: 1.6e6 / 8, uploadThroughput: 0.75e6 / 8,
    });
    await page.goto(base + eng.page, { waitUntil: "load" });
    if (cold !== undefined) await page.evaluate(async (init) => { await eval("(" + init + ")")(); }, eng.init.toString());
    await stats(base);
    const rows = [];
    for (const [i, q] of QUERIES.entries()) {
      if (cold !== undefined && i !== cold) continue;
      const t = await page.evaluate(async ([init, query, q, first]) => {
        const i = eval("(" + init + ")"), s = eval("(" + query + ")");
        const t0 = performance.now();
        if (first) await i();
        const r = await s(q);
        const ms = performance.now() - t0;
        const timeline = performance.getEntriesByType("resource").filter((e) => e.startTime >= t0)
          .map((e) => [e.name.replace(/^.*\//, "").slice(0, 24), Math.round(e.startTime - t0), Math.round(e.responseEnd - t0), e.encodedBodySize]);
        performance.clearResourceTimings();
        return { ms, timeline, ...r };
      }, [eng.init.toString(), eng.query.toString(), q, i === 0 && cold === undefined]);
      const st = await stats(base);
      if (args.log) console.error(name, q, JSON.stringify(st.log));
      if (args.timeline) console.error(name, q, Math.round(t.ms), JSON.stringify(t.timeline));
      rows.push({ q, ms: t.ms, bytes: st.bytes, requests: st.requests, total: t.total, top: t.top.slice(0, 3) });
    }
    return rows;
  } finally {
    await ctx.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s[s.length >> 1]; };
const results = {};
let port = 18800;
for (const [name, site] of [["ketluan", args.ketluan], ["pagefind", args.pagefind]]) {
  if (!site) continue;
  const { proc, base } = await server(path.resolve(site), port++);
  try {
    // The server compresses on first request: do it before timing.
    for (const f of ["/static/search/ketluan-search.wasm", "/static/search/engine.js", "/search/manifest.json",
      "/pagefind/pagefind.js", "/pagefind/pagefind-entry.json", "/pagefind/pagefind-worker.js", "/", "/tim-kiem/"]) {
      await (await fetch(base + f, { headers: { "accept-encoding": "br" } })).arrayBuffer();
    }
    const runs = [];
    for (let r = 0; r < +args.runs; r++) {
      if (args.cold) {
        const rows = [];
        for (let i = 0; i < QUERIES.length; i++) rows.push(...(await run(name, base, i)));
        runs.push(rows);
      } else {
        runs.push(await run(name, base));
      }
    }
    results[name] = QUERIES.map((q, i) => ({
      q, ms: median(runs.map((x) => x[i].ms)), bytes: median(runs.map((x) => x[i].bytes)),
      requests: median(runs.map((x) => x[i].requests)), total: runs[0][i].total, top: runs[0][i].top,
    }));
  } finally { proc.kill(); }
}
const names = Object.keys(results);
console.log(`| query | ${names.map((n) => `${n} ms | ${n} KB | ${n} req | ${n} hits`).join(" | ")} |`);
console.log(`|---|${names.map(() => "---|---|---|---").join("|")}|`);
QUERIES.forEach((q, i) => {
  const cells = names.map((n) => { const r = results[n][i]; return `${r.ms.toFixed(0)} | ${(r.bytes / 1000).toFixed(1)} | ${r.requests} | ${r.total}`; });
  console.log(`| ${i === 0 && !args.cold ? "first: " : ""}\`${q}\` | ${cells.join(" | ")} |`);
});
if (args.json) fs.writeFileSync(args.json, JSON.stringify(results, null, 1));
