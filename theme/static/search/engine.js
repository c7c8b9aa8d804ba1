// ketluan's search engine in the browser: ketluan-search.wasm (the pack
// reader, see search-core/src/pack/mod.rs) fed with the records it asks for.
//
// Opening fetches the manifest and the wasm in parallel. A query then takes
// dependent rounds of parallel HTTP Range requests into a few large files:
// the chunks holding its words; the parts of their long lists' tails, one
// part a round, while the heads cannot rank its first results (none for
// most queries, at most two); the tables of document offsets of the groups
// its results are in (in a large archive, the first time a group is shown;
// a small one's come with the first chunks); then the records of the
// documents shown. Each record is one gzip member,
// inflated here with DecompressionStream. Neighbouring ranges of a file go
// in one request. A host that ignores Range answers 200 with the whole
// file: it is kept and sliced, so search still works, only with more bytes.
// Records are kept for the page's lifetime, so a repeated or refined query
// fetches little or nothing.
//
// Works in browsers and in Node (tests/wasm/), with no dependencies.

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** A search that went wrong in a way the page should explain. */
export class SearchError extends Error {}

/**
 * @param {object} o
 * @param {string|URL} o.base  URL of the site's search/ folder, ending in /
 * @param {string|URL|BufferSource} o.wasm  URL or bytes of ketluan-search.wasm
 * @param {typeof fetch} [o.fetch]
 */
export async function openSearch({ base, wasm, fetch: fetchImpl }) {
  if (typeof DecompressionStream === 'undefined') {
    // Chrome 80, Firefox 113, Safari 16.4 and later have it.
    throw new SearchError('trình duyệt này quá cũ để tìm kiếm, hãy cập nhật trình duyệt');
  }
  const get = fetchImpl || globalThis.fetch.bind(globalThis);
  const baseUrl = new URL(base, globalThis.location?.href);
  const [manifestBytes, exports] = await Promise.all([
    fetchBytes(get, new URL('manifest.json', baseUrl), { cache: 'no-cache' }),
    instantiate(get, wasm),
  ]);
  const manifest = JSON.parse(decoder.decode(manifestBytes));
  const engine = new Engine(exports, get, baseUrl, manifest);
  engine.call('open', [manifestBytes]);
  engine.stats.bytes += manifestBytes.length;
  return engine;
}

async function fetchBytes(get, url, init) {
  const response = await get(url, init);
  if (!response.ok) throw new SearchError(`HTTP ${response.status}: ${url}`);
  return new Uint8Array(await response.arrayBuffer());
}

async function instantiate(get, wasm) {
  if (wasm instanceof ArrayBuffer || ArrayBuffer.isView(wasm)) {
    return (await WebAssembly.instantiate(wasm, {})).instance.exports;
  }
  const url = new URL(wasm, globalThis.location?.href);
  if (WebAssembly.instantiateStreaming) {
    try {
      return (await WebAssembly.instantiateStreaming(get(url), {})).instance.exports;
    } catch {
      // Hosts that do not serve application/wasm: compile from bytes below.
    }
  }
  const bytes = await fetchBytes(get, url);
  return (await WebAssembly.instantiate(bytes, {})).instance.exports;
}

/** Ranges this close in one file are fetched in one request: a request's
 * latency costs more than a few KB on a slow line. */
const GAP = 4096;

/** Records are gzip-compressed one by one (hosts do not compress ranges). */
async function inflate(bytes) {
  const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream('gzip'));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

class Engine {
  constructor(exports, get, baseUrl, manifest) {
    this.x = exports;
    this.get = get;
    this.baseUrl = baseUrl;
    this.manifest = manifest;
    this.stats = { requests: 1, bytes: 0 };
    // Whole files sent by a host that ignored Range: url → Promise<bytes>.
    this.whole = new Map();
    // Requests under way, per file: url → Set<AbortController>.
    this.inflight = new Map();
  }

  /** The filter choices the index was built with. */
  get filters() {
    return this.manifest.filters;
  }

  /** Calls an exported function with byte buffers (handed to wasm). */
  call(name, buffers) {
    const args = [];
    for (const bytes of buffers) {
      const ptr = this.x.alloc(bytes.length);
      new Uint8Array(this.x.memory.buffer, ptr, bytes.length).set(bytes);
      args.push(ptr, bytes.length);
    }
    const code = this.x[name](...args);
    const out = new Uint8Array(this.x.memory.buffer, this.x.out_ptr(), this.x.out_len());
    const text = decoder.decode(out);
    if (code !== 0) throw new SearchError(text);
    return text;
  }

  /**
   * Runs a request ({query, year, quarter, issuer, term, limit, offset}).
   * Resolves to {total, hits, suggestion, rounds, bytes}.
   */
  async search(request) {
    const json = encoder.encode(JSON.stringify({ limit: 10, offset: 0, ...request }));
    const before = this.stats.bytes;
    for (let rounds = 0; ; rounds++) {
      const result = JSON.parse(this.call('search', [json]));
      if (!result.need) return { ...result, rounds, bytes: this.stats.bytes - before };
      // Six rounds suffice for every query (chunks, a phrase's readings
      // whole, two parts of tails, tables, documents); more means a bug,
      // not a slow net.
      if (rounds >= 6) throw new SearchError('the index keeps asking for more data');
      const records = await this.fetchRanges(result.need);
      result.need.forEach((f, i) => this.call('add', [encoder.encode(JSON.stringify(f)), records[i]]));
    }
  }

  /** The records `need` asks for ({url, start, end}), inflated, in order. */
  async fetchRanges(need) {
    const byUrl = new Map();
    need.forEach((f, i) => {
      if (!byUrl.has(f.url)) byUrl.set(f.url, []);
      byUrl.get(f.url).push(i);
    });
    const raw = new Array(need.length);
    const jobs = [];
    for (const [url, indexes] of byUrl) {
      indexes.sort((a, b) => need[a].start - need[b].start);
      const runs = [];
      for (const i of indexes) {
        const run = runs[runs.length - 1];
        if (run && need[i].start - run.end <= GAP) {
          run.members.push(i);
          run.end = Math.max(run.end, need[i].end);
        } else {
          runs.push({ start: need[i].start, end: need[i].end, members: [i] });
        }
      }
      for (const run of runs) {
        jobs.push(
          this.fetchSpan(url, run.start, run.end).then((bytes) => {
            for (const i of run.members) raw[i] = bytes.subarray(need[i].start - run.start, need[i].end - run.start);
          }),
        );
      }
    }
    await Promise.all(jobs);
    return Promise.all(raw.map(inflate));
  }

  /** Bytes [start, end) of a file of search/. */
  async fetchSpan(url, start, end) {
    const full = new URL(url, this.baseUrl);
    for (;;) {
      if (this.whole.has(url)) return (await this.whole.get(url)).subarray(start, end);
      const controller = new AbortController();
      if (!this.inflight.has(url)) this.inflight.set(url, new Set());
      const flights = this.inflight.get(url);
      flights.add(controller);
      let response;
      try {
        // Past the HTTP cache: Chrome's makes requests for ranges of one file
        // wait for each other (70-120 ms a query at 10,000 documents on the
        // throttled bench), and the page keeps what it fetched anyway.
        const init = { headers: { Range: `bytes=${start}-${end - 1}` }, signal: controller.signal, cache: 'no-store' };
        response = await this.get(full, init);
      } catch (error) {
        // Another request for this file brought all of it.
        if (controller.signal.aborted) continue;
        throw error;
      } finally {
        flights.delete(controller);
      }
      if (!response.ok) throw new SearchError(`HTTP ${response.status}: ${full}`);
      this.stats.requests += 1;
      if (response.status !== 206) {
        // The host ignored Range and sends the whole file: keep it for the
        // file's other records, and stop the other requests for it.
        if (!this.whole.has(url)) {
          this.whole.set(
            url,
            response.arrayBuffer().then((b) => {
              this.stats.bytes += b.byteLength;
              return new Uint8Array(b);
            }),
          );
          for (const other of flights) other.abort();
        }
        continue;
      }
      const bytes = new Uint8Array(await response.arrayBuffer());
      this.stats.bytes += bytes.length;
      const sent = /^bytes (\d+)-/.exec(response.headers.get('content-range') || '');
      const from = sent ? Number(sent[1]) : start;
      if (from > start || from + bytes.length < end) {
        throw new SearchError(`HTTP 206 without the bytes asked for: ${full}`);
      }
      return bytes.subarray(start - from, end - from);
    }
  }
}
