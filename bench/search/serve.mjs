// Static server with HTTP Range support that counts what it sends.
//   node bench/search/serve.mjs DIR PORT [--no-range]
// GET /__bench/stats → {"requests","bytes","log"}; /__bench/reset zeroes them.
import http from "node:http";
import fs from "node:fs";
import path from "node:path";
import zlib from "node:zlib";

const [dir, port, flag] = process.argv.slice(2);
const noRange = flag === "--no-range";
const TYPES = { ".html": "text/html; charset=utf-8", ".js": "text/javascript", ".css": "text/css",
  ".json": "application/json", ".wasm": "application/wasm", ".xml": "application/xml" };
let stats = { requests: 0, bytes: 0, log: [] };
// Whole responses of text and wasm go out brotli-compressed, as a real static
// host sends them; ranges go out as they are.
const COMPRESS = new Set([".html", ".js", ".css", ".json", ".wasm", ".xml"]);
const brotli = new Map();
function compressed(file, bytes) {
  if (!brotli.has(file)) {
    brotli.set(file, zlib.brotliCompressSync(bytes, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11 } }));
  }
  return brotli.get(file);
}

http.createServer((req, res) => {
  const url = new URL(req.url, "http://x");
  if (url.pathname.startsWith("/__bench/")) {
    const body = JSON.stringify(stats);
    if (url.pathname === "/__bench/reset") stats = { requests: 0, bytes: 0, log: [] };
    res.writeHead(200, { "content-type": "application/json" });
    return res.end(body);
  }
  let file = path.join(dir, decodeURIComponent(url.pathname));
  if (!file.startsWith(path.resolve(dir))) { res.writeHead(403); return res.end(); }
  if (fs.existsSync(file) && fs.statSync(file).isDirectory()) file = path.join(file, "index.html");
  if (!fs.existsSync(file)) { res.writeHead(404); return res.end("not found"); }
  const bytes = fs.readFileSync(file);
  const type = TYPES[path.extname(file)] || "application/octet-stream";
  const m = !noRange && /^bytes=(\d+)-(\d*)$/.exec(req.headers.range || "");
  let status = 200, body = bytes;
  const headers = { "content-type": type, "accept-ranges": noRange ? "none" : "bytes", "cache-control": "no-cache" };
  if (m) {
    const start = +m[1], end = m[2] === "" ? bytes.length - 1 : Math.min(+m[2], bytes.length - 1);
    status = 206; body = bytes.subarray(start, end + 1);
    headers["content-range"] = `bytes ${start}-${end}/${bytes.length}`;
  }
  if (!m && COMPRESS.has(path.extname(file)) && /\bbr\b/.test(req.headers["accept-encoding"] || "")) {
    body = compressed(file, bytes);
    headers["content-encoding"] = "br";
  }
  headers["content-length"] = body.length;
  stats.requests++; stats.bytes += body.length;
  stats.log.push([url.pathname, status, body.length]);
  res.writeHead(status, headers);
  res.end(body);
}).listen(+port, "127.0.0.1");
