// ketluan's search engine in the browser: the tantivy index reader compiled
// to wasm (ketluan-search.wasm), fed with HTTP range requests.
//
// Opening fetches the manifest and the wasm in parallel, then the hot cache
// (what opening the index and its term dictionaries reads). Each query then
// takes at most two dependent rounds of parallel range requests: the posting
// lists (and positions, norms) of its words, then the stored documents of
// the hits. On a host that ignores Range (200 instead of 206), whole files
// are fetched once each instead.
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
  const get = fetchImpl || globalThis.fetch.bind(globalThis);
  const baseUrl = new URL(base, globalThis.location?.href);
  const [manifestBytes, exports] = await Promise.all([
    fetchBytes(get, new URL('manifest.json', baseUrl), { cache: 'no-cache' }),
    instantiate(get, wasm),
  ]);
  const manifest = JSON.parse(decoder.decode(manifestBytes));
  const [hot, ranges] = await Promise.all([
    fetchBytes(get, new URL(manifest.hot.url, baseUrl)),
    probeRanges(get, baseUrl, manifest),
  ]);
  const engine = new Engine(exports, get, baseUrl, manifest, ranges);
  engine.call('open', [manifestBytes, hot]);
  engine.stats.bytes += manifestBytes.length + hot.length;
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

/** Whether the host answers Range requests with 206 (one tiny request). */
async function probeRanges(get, baseUrl, manifest) {
  const file = manifest.files.find((f) => f.len > 1);
  if (!file) return false;
  try {
    const response = await get(new URL(file.url, baseUrl), { headers: { Range: 'bytes=0-0' } });
    await response.arrayBuffer();
    return response.status === 206;
  } catch {
    return false;
  }
}

class Engine {
  constructor(exports, get, baseUrl, manifest, ranges) {
    this.x = exports;
    this.get = get;
    this.baseUrl = baseUrl;
    this.manifest = manifest;
    this.ranges = ranges;
    /** file index → promise of the whole file having been added */
    this.wholeFiles = new Map();
    this.stats = { requests: 3, bytes: 0 };
  }

  /** The filter choices the index was built with. */
  get filters() {
    return this.manifest.filters;
  }

  /** Calls an exported function with byte buffers (handed to wasm) and numbers. */
  call(name, buffers, numbers = []) {
    const args = [...numbers];
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
      // Two rounds suffice for every query; more means a bug, not a slow net.
      if (rounds >= 4) throw new SearchError('the index keeps asking for more data');
      await Promise.all(result.need.map((n) => this.fetchRange(n)));
    }
  }

  async fetchRange({ file, start, end }) {
    if (!this.ranges) return this.fetchWhole(file);
    const url = new URL(this.manifest.files[file].url, this.baseUrl);
    const response = await this.get(url, { headers: { Range: `bytes=${start}-${end - 1}` } });
    const bytes = new Uint8Array(await response.arrayBuffer());
    this.stats.requests += 1;
    this.stats.bytes += bytes.length;
    if (response.status === 206 && bytes.length === end - start) {
      this.call('add', [bytes], [file, start]);
    } else if (response.status === 200 && bytes.length === this.manifest.files[file].len) {
      this.ranges = false;
      this.call('add', [bytes], [file, 0]);
      this.wholeFiles.set(file, Promise.resolve());
    } else {
      throw new SearchError(`HTTP ${response.status} for bytes ${start}-${end - 1} of ${url}`);
    }
  }

  /** Once per file, however many ranges of it a round needs. */
  fetchWhole(file) {
    if (!this.wholeFiles.has(file)) {
      const url = new URL(this.manifest.files[file].url, this.baseUrl);
      const loaded = fetchBytes(this.get, url).then((bytes) => {
        this.stats.requests += 1;
        this.stats.bytes += bytes.length;
        this.call('add', [bytes], [file, 0]);
      });
      loaded.catch(() => this.wholeFiles.delete(file));
      this.wholeFiles.set(file, loaded);
    }
    return this.wholeFiles.get(file);
  }
}
