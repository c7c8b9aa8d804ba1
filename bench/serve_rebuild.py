#!/usr/bin/env python3
"""Measures `ketluan serve`: time from saving one document of a generated
site to the served page showing the change (debounce + full rebuild + swap).

    python3 bench/serve_rebuild.py [--count 1000] [--edits 10] [--bin target/release/ketluan]

Needs ../shared/corpus/gen_corpus.py beside the repository.
"""
import argparse, json, os, re, shutil, statistics, subprocess, sys, tempfile, threading, time
import urllib.request

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--count", type=int, default=1000)
    ap.add_argument("--edits", type=int, default=10)
    ap.add_argument("--bin", default=os.path.join(
        os.environ.get("CARGO_TARGET_DIR", os.path.join(REPO, "target")), "release", "ketluan"))
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as site:
        gen = os.path.join(REPO, "..", "shared", "corpus", "gen_corpus.py")
        subprocess.run([sys.executable, gen, "--count", str(args.count), "--out", site],
                       check=True, stdout=subprocess.DEVNULL)
        shutil.copy(os.path.join(REPO, "site.toml"), site)
        with open(os.path.join(site, "manifest.jsonl")) as f:
            rel = json.loads(f.readline())["path"]
        doc = os.path.join(site, rel)
        slug = rel[len("content/"):-len(".md")].replace("/", "-")
        # The script reads the server's English lines ("serving http://…").
        server = subprocess.Popen([args.bin, "serve", "--port", "0", "--root", site],
                                  stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
                                  env={**os.environ, "KETLUAN_LANG": "en"})
        lines = []
        try:
            url = None
            for line in server.stdout:
                lines.append(line.strip())
                m = re.match(r"serving (http://\S+)", line)
                if m:
                    url = m.group(1)
                    break
            threading.Thread(target=lambda: [lines.append(l.strip()) for l in server.stdout],
                             daemon=True).start()
            page = f"{url}ket-luan/{slug}/"
            original = open(doc, encoding="utf-8").read()
            times = []
            for i in range(args.edits):
                marker = f"ĐO-{i}-{time.time_ns()}"
                text = re.sub(r'^title = "', f'title = "{marker} ', original, count=1, flags=re.M)
                started = time.perf_counter()
                with open(doc, "w", encoding="utf-8") as f:
                    f.write(text)
                while marker not in urllib.request.urlopen(page).read().decode():
                    time.sleep(0.005)
                times.append(time.perf_counter() - started)
                time.sleep(0.3)
            builds = [l for l in lines if l.startswith("built ")]
            print(f"{args.count} documents; initial: {builds[0]}")
            print("save → page shows it, ms: " + " ".join(f"{t * 1000:.0f}" for t in times))
            print(f"median {statistics.median(times) * 1000:.0f} ms, max {max(times) * 1000:.0f} ms")
            print("rebuilds as printed by the server: " +
                  "; ".join(re.sub(r".* in ", "", l).replace(" ms", "ms") for l in builds[1:]))
        finally:
            server.terminate()
            server.wait()


if __name__ == "__main__":
    main()
