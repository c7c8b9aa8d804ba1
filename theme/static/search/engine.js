// ketluan's search engine in the browser: ketluan-search.wasm (the pack
// reader, see search-core/src/pack.rs) fed with the files it asks for.
//
// Opening fetches the manifest and the wasm in parallel. A query then takes
// at most two dependent rounds of parallel requests for whole files (no
// Range needed, so any static host works): the chunks holding its words
// (gzip, inflated here with DecompressionStream), then the files of the
// documents shown. Files are kept for the page's lifetime, so a repeated or
// refined query fetches little or nothing.
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

/** Chunks are stored gzip-compressed (hosts do not compress binary files). */
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
      // Two rounds suffice for every query; more means a bug, not a slow net.
      if (rounds >= 3) throw new SearchError('the index keeps asking for more data');
      const files = await Promise.all(result.need.map((url) => this.fetchFile(url)));
      result.need.forEach((url, i) => this.call('add', [encoder.encode(url), files[i]]));
    }
  }

  async fetchFile(url) {
    const bytes = await fetchBytes(this.get, new URL(url, this.baseUrl));
    this.stats.requests += 1;
    this.stats.bytes += bytes.length;
    return url.endsWith('.json') ? bytes : inflate(bytes);
  }
}
