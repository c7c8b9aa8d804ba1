// Static server with HTTP Range support that counts what it sends.
//   node bench/search/serve.mjs DIR PORT [--no-range] [--h2]
// --h2: HTTPS with HTTP/2 (a throwaway self-signed certificate), as most
// static hosts serve today; browsers speak HTTP/2 only over TLS.
// GET /__bench/stats → {"requests","bytes","log","dir"}; /__bench/reset zeroes them.
import http from "node:http";
import http2 from "node:http2";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import zlib from "node:zlib";
import { execFileSync } from "node:child_process";

const [dir, port, ...flags] = process.argv.slice(2);
const noRange = flags.includes("--no-range");
const h2 = flags.includes("--h2");
const TYPES = { ".html": "text/html; charset=utf-8", ".js": "text/javascript", ".css": "text/css",
  ".json": "application/json", ".wasm": "application/wasm", ".xml": "application/xml" };
let stats = { requests: 0, bytes: 0, log: [] };
// Names the folder served, so that a bench finds out when an older server
// still holds its port.
const served = path.resolve(dir);
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

function handle(req, res) {
  const url = new URL(req.url, "http://x");
  if (url.pathname.startsWith("/__bench/")) {
    const body = JSON.stringify({ ...stats, dir: served });
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
}

if (h2) {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "bench-tls-"));
  const [key, cert] = [path.join(tmp, "key.pem"), path.join(tmp, "cert.pem")];
  execFileSync("openssl", ["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
    "-nodes", "-keyout", key, "-out", cert, "-days", "1", "-subj", "/CN=127.0.0.1"], { stdio: "ignore" });
  http2.createSecureServer({ key: fs.readFileSync(key), cert: fs.readFileSync(cert), allowHTTP1: true }, handle)
    .listen(+port, "127.0.0.1");
} else {
  http.createServer(handle).listen(+port, "127.0.0.1");
}

// Go when the bench that started this server is gone (killed, or its
// output cut short), not hold the port for the next run.
const parent = process.ppid;
setInterval(() => { if (process.ppid !== parent) process.exit(0); }, 1000).unref();
