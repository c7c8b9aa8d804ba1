// A tiny static file server for the browser tests, like a plain static host:
// serves folders under URL prefixes ("mounts", e.g. /luu-tru/ → a site built
// with that sub-path as base_url), index.html for folders, a redirect from
// /folder to /folder/, the mount's 404.html with status 404 for missing files,
// and single byte ranges (HTTP Range, 206/416) as search index reads need.
import http from 'node:http';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import path from 'node:path';

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.json': 'application/json',
  '.xml': 'application/xml; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.wasm': 'application/wasm',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
};

function contentType(file) {
  return TYPES[path.extname(file).toLowerCase()] || 'application/octet-stream';
}

async function fileStat(p) {
  try { return await stat(p); } catch { return null; }
}

// Parses a single "bytes=a-b" / "bytes=a-" / "bytes=-n" range. Returns
// {start, end} (inclusive), 'unsatisfiable', or null (ignore the header).
export function parseRange(header, size) {
  const m = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!m || (m[1] === '' && m[2] === '')) return null;
  let start, end;
  if (m[1] === '') {
    const n = Number(m[2]);
    if (n === 0) return 'unsatisfiable';
    start = Math.max(0, size - n);
    end = size - 1;
  } else {
    start = Number(m[1]);
    end = m[2] === '' ? size - 1 : Math.min(Number(m[2]), size - 1);
    if (m[2] !== '' && Number(m[2]) < start) return null;
  }
  if (start >= size) return 'unsatisfiable';
  return { start, end };
}

/**
 * Starts the server on 127.0.0.1 and a free port.
 * mounts: [{ prefix: '/luu-tru/', dir: '/abs/site' }, { prefix: '/', dir }]
 * (longest prefix wins). Mounts may be added later with server.mount().
 */
export async function startServer(mounts = []) {
  const table = [...mounts];
  const log = [];
  const server = http.createServer(async (req, res) => {
    try {
      await handle(req, res);
    } catch (e) {
      res.statusCode = 500;
      res.end(String(e));
    }
  });

  async function handle(req, res) {
    const url = new URL(req.url, 'http://localhost');
    let pathname;
    try { pathname = decodeURIComponent(url.pathname); } catch { pathname = null; }
    log.push({ method: req.method, path: url.pathname, range: req.headers.range || null });
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { Allow: 'GET, HEAD' });
      return res.end();
    }
    const mount = table
      .filter((m) => pathname && pathname.startsWith(m.prefix))
      .sort((a, b) => b.prefix.length - a.prefix.length)[0];
    if (!mount) {
      res.writeHead(404, { 'Content-Type': 'text/plain' });
      return res.end('no site here');
    }
    const rel = pathname.slice(mount.prefix.length);
    const root = path.resolve(mount.dir);
    let file = path.resolve(root, '.' + path.posix.normalize('/' + rel));
    if (file !== root && !file.startsWith(root + path.sep)) {
      res.writeHead(403);
      return res.end();
    }
    let st = await fileStat(file);
    if (st && st.isDirectory()) {
      if (!pathname.endsWith('/')) {
        res.writeHead(301, { Location: url.pathname + '/' + url.search });
        return res.end();
      }
      file = path.join(file, 'index.html');
      st = await fileStat(file);
    }
    if (!st || !st.isFile()) {
      const notFound = path.join(root, '404.html');
      const nf = await fileStat(notFound);
      if (!nf) {
        res.writeHead(404, { 'Content-Type': 'text/plain' });
        return res.end('not found');
      }
      res.writeHead(404, { 'Content-Type': TYPES['.html'], 'Content-Length': nf.size });
      if (req.method === 'HEAD') return res.end();
      return createReadStream(notFound).pipe(res);
    }
    const headers = {
      'Content-Type': contentType(file),
      'Accept-Ranges': 'bytes',
      'Last-Modified': st.mtime.toUTCString(),
      'Cache-Control': 'no-cache',
    };
    let status = 200;
    let start = 0;
    let end = st.size - 1;
    if (req.headers.range) {
      const r = parseRange(req.headers.range, st.size);
      if (r === 'unsatisfiable') {
        res.writeHead(416, { 'Content-Range': `bytes */${st.size}` });
        return res.end();
      }
      if (r) {
        status = 206;
        ({ start, end } = r);
        headers['Content-Range'] = `bytes ${start}-${end}/${st.size}`;
      }
    }
    headers['Content-Length'] = st.size === 0 ? 0 : end - start + 1;
    res.writeHead(status, headers);
    if (req.method === 'HEAD' || st.size === 0) return res.end();
    createReadStream(file, { start, end }).pipe(res);
  }

  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address();
  return {
    port,
    origin: `http://127.0.0.1:${port}`,
    log,
    mount(prefix, dir) { table.push({ prefix, dir }); },
    close: () => new Promise((resolve) => { server.closeAllConnections?.(); server.close(() => resolve()); }),
  };
}

// `node lib/server.js DIR [PREFIX]` serves one built site by hand.
if (import.meta.url === `file://${process.argv[1]}`) {
  const [dir, prefix = '/'] = process.argv.slice(2);
  const s = await startServer([{ prefix, dir }]);
  console.log(`serving ${dir} at ${s.origin}${prefix}`);
}
