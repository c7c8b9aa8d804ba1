#!/usr/bin/env python3
"""Static file server on 127.0.0.1 with HTTP Range support, counting bytes.

    python3 serve.py DIR PORT [--no-range]

The notes' serve.py (../shared/notes/hugo-pagefind/serve.py: threaded, no
compression, /__bench/stats and /__bench/reset) plus single-range requests
(206 Partial Content), as most static hosts answer them. --no-range answers
every request whole (200), like a host that ignores Range.
"""

import functools
import http.server
import json
import os
import re
import sys
import threading

LOCK = threading.Lock()
STATS = {"requests": 0, "bytes": 0, "log": []}
RANGES = "--no-range" not in sys.argv


class CountingWriter:
    def __init__(self, raw):
        self.raw, self.count = raw, 0

    def write(self, data):
        self.count += len(data)
        return self.raw.write(data)

    def __getattr__(self, name):
        return getattr(self.raw, name)


class Handler(http.server.SimpleHTTPRequestHandler):
    extensions_map = {**http.server.SimpleHTTPRequestHandler.extensions_map,
                      ".wasm": "application/wasm", ".mjs": "text/javascript",
                      ".js": "text/javascript"}

    def setup(self):
        super().setup()
        self.wfile = CountingWriter(self.wfile)

    def log_message(self, *args):
        pass

    def send_response(self, code, message=None):
        self.last_status = code
        super().send_response(code, message)

    def do_GET(self):
        if self.path.startswith("/__bench/"):
            return self.bench()
        before = self.wfile.count
        match = re.fullmatch(r"bytes=(\d+)-(\d+)", self.headers.get("Range", ""))
        path = self.translate_path(self.path)
        if RANGES and match and os.path.isfile(path):
            self.partial(path, int(match[1]), int(match[2]))
        else:
            super().do_GET()
        self.record(before)

    def partial(self, path, start, end):
        size = os.path.getsize(path)
        end = min(end, size - 1)
        if start > end:
            self.send_error(416)
            return
        with open(path, "rb") as f:
            f.seek(start)
            body = f.read(end - start + 1)
        self.send_response(206)
        self.send_header("Content-Type", self.guess_type(path))
        self.send_header("Content-Range", f"bytes {start}-{end}/{size}")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Accept-Ranges", "bytes")
        self.end_headers()
        self.wfile.write(body)

    def record(self, before):
        sent = self.wfile.count - before
        with LOCK:
            STATS["requests"] += 1
            STATS["bytes"] += sent
            STATS["log"].append([self.path, getattr(self, "last_status", 0), sent])

    def bench(self):
        with LOCK:
            body = json.dumps(STATS).encode()
            if self.path == "/__bench/reset":
                STATS.update(requests=0, bytes=0, log=[])
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.raw.write(body)


def main():
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    if len(args) != 2:
        sys.exit(__doc__)
    handler = functools.partial(Handler, directory=args[0])
    server = http.server.ThreadingHTTPServer(("127.0.0.1", int(args[1])), handler)
    print(f"serving {args[0]} on http://127.0.0.1:{args[1]}/", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
