#!/usr/bin/env python3
"""Times `ketluan build` and Hugo + Pagefind on the same generated corpora.

Each size gets RUNS rounds; a round runs ketluan, then hugo, then pagefind,
so the tools share the machine's noise. Reported: median wall time, median
CPU time (user + sys), median peak RSS, output size and file count, and the
ratios ketluan / (Hugo + Pagefind). Also: a rebuild after touching one file,
and one with nothing changed.
"""

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SHARED = os.path.join(ROOT, "..", "shared")
KETLUAN = os.path.join(ROOT, "target", "release", "ketluan")


def measure(cmd, cwd=None):
    """Runs cmd under GNU time: (wall s, cpu s, peak RSS MiB)."""
    # The previous run's output is written to disk first, untimed: otherwise
    # the kernel flushes it (4 GB after a 100k build) while this run is timed.
    os.sync()
    with tempfile.NamedTemporaryFile("r") as t:
        subprocess.run(["/usr/bin/time", "-o", t.name, "-f", "%e %U %S %M"] + cmd,
                       cwd=cwd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wall, user, sys_, rss = t.read().split()[-4:]
    return float(wall), float(user) + float(sys_), int(rss) / 1024


def corpus(work, n):
    path = os.path.join(work, f"corpus-{n}")
    if not os.path.isdir(os.path.join(path, "content")):
        subprocess.run([sys.executable, os.path.join(SHARED, "corpus", "gen_corpus.py"),
                        "--count", str(n), "--out", path, "--seed-doc"], check=True,
                       stdout=subprocess.DEVNULL)
        shutil.copy(os.path.join(ROOT, "site.toml"), path)
    return path


def size_of(path):
    total, files = 0, 0
    for dirpath, _, names in os.walk(path):
        for name in names:
            total += os.path.getsize(os.path.join(dirpath, name))
            files += 1
    return total, files


TRASH = []


def clean(path):
    """Moves an output folder, and what ketluan keeps beside it (the search
    cache and the spare copy of the site), out of the way so the next build
    is a clean one. They are deleted only when the benchmark ends: on an ext4
    without a journal (this VM's disk) the kernel skips inodes freed in the
    last 60 s when it allocates new ones, which made any build that followed
    a large deletion pay for it (about a third of a 100,000-document build,
    seen with perf in ext4's find_inode_bit / recently_deleted), whichever
    tool ran."""
    parent, name = os.path.split(path)
    for p in (path, os.path.join(parent, f".{name}.ketluan-cache"), os.path.join(parent, f".{name}.ketluan-spare")):
        if os.path.exists(p):
            trash = os.path.join(parent, "trash", f"{os.getpid()}-{len(TRASH)}")
            os.makedirs(os.path.dirname(trash), exist_ok=True)
            os.rename(p, trash)
            TRASH.append(trash)
    os.sync()


def empty_trash():
    for p in TRASH:
        shutil.rmtree(p, ignore_errors=True)


def anchors(work):
    pagefind = os.path.join(work, "node_modules", "@pagefind", "linux-x64", "bin", "pagefind_extended")
    if shutil.which("hugo") and os.path.exists(pagefind):
        site = os.path.join(work, "hugo-site")
        shutil.rmtree(site, ignore_errors=True)
        shutil.copytree(os.path.join(SHARED, "notes", "hugo-pagefind", "site"), site)
        return site, pagefind
    return None


def bench_size(work, n, runs, anchor, baseline=None, rebuilds=3):
    src = corpus(work, n)
    out, hugo_out = os.path.join(work, f"out-{n}"), os.path.join(work, f"hugo-{n}")
    base_out = os.path.join(work, f"base-{n}")
    k, b, h, p = [], [], [], []
    for i in range(runs):
        # With a baseline binary the two builds swap places every round, so
        # neither always runs on the cache the other warmed.
        order = [(KETLUAN, out, k), (baseline, base_out, b)] if baseline else [(KETLUAN, out, k)]
        for binary, dest, samples in (order if i % 2 == 0 else order[::-1]):
            clean(dest)
            samples.append(measure([binary, "build", "--root", src, "--output", dest]))
        if anchor:
            site, pagefind = anchor
            clean(hugo_out)
            h.append(measure(["hugo", "--quiet", "--source", site, "--contentDir",
                              os.path.join(src, "content"), "--destination", hugo_out]))
            clean(os.path.join(hugo_out, "pagefind"))
            p.append(measure([pagefind, "--site", hugo_out, "--silent"]))
    row = {"n": n, "ketluan": med(k), "k_walls": [w for w, _, _ in k], "k_size": size_of(out)}
    if b:
        row.update(baseline=med(b), b_walls=[w for w, _, _ in b], b_size=size_of(base_out))
    if h:
        row.update(hugo=med(h), pagefind=med(p), h_size=size_of(hugo_out),
                   h_walls=[w for w, _, _ in h], p_walls=[w for w, _, _ in p])
    if rebuilds:
        row["rebuild"] = rebuild(src, out, rebuilds)
        row["unchanged"] = rebuild_unchanged(src, out, rebuilds)
    return row


def rebuild(src, out, times=3):
    """Median wall time of builds after one document changed, output present
    (the first of them has no spare copy of the site yet)."""
    content = os.path.join(src, "content")
    first = sorted(os.path.join(d, f) for d, _, fs in os.walk(content) for f in fs if f.endswith(".md"))[0]
    with open(first, encoding="utf-8") as f:
        text = f.read()
    walls = []
    try:
        for i in range(times):
            with open(first, "w", encoding="utf-8") as f:
                f.write(text + f"\nThêm dòng thứ {i + 1}.\n")
            walls.append(measure([KETLUAN, "build", "--root", src, "--output", out])[0])
        return statistics.median(walls)
    finally:
        with open(first, "w", encoding="utf-8") as f:
            f.write(text)


def rebuild_unchanged(src, out, times=3):
    """Median wall time of builds with nothing changed since the last one.
    The document that rebuild() edited and restored is built first, untimed,
    then once more after 2 s: a build records its inputs for the next one
    only when none of them changed in the 2 s before it started (an edit in
    the same clock tick would go unseen)."""
    cmd = [KETLUAN, "build", "--root", src, "--output", out]
    measure(cmd)
    time.sleep(2.1)
    measure(cmd)
    return statistics.median(measure(cmd)[0] for _ in range(times))


def med(samples):
    return tuple(statistics.median(s[i] for s in samples) for i in range(3))


def table(rows):
    lines = [
        "| docs | tool | wall s | CPU s | peak RSS MiB | output MB | files |",
        "|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        kw, kc, km = r["ketluan"]
        lines.append(f"| {r['n']:,} | ketluan | {kw:.2f} | {kc:.2f} | {km:.0f} | {r['k_size'][0] / 1e6:.0f} | {r['k_size'][1]:,} |")
        if "baseline" in r:
            bw, bc, bm = r["baseline"]
            lines.append(f"| {r['n']:,} | baseline ketluan | {bw:.2f} | {bc:.2f} | {bm:.0f} | {r['b_size'][0] / 1e6:.0f} | {r['b_size'][1]:,} |")
            lines.append(f"| {r['n']:,} | **ratio** ketluan / baseline | **{kw / bw:.2f}** | {kc / bc:.2f} | {km / bm:.2f} | | |")
        if "hugo" in r:
            (hw, hc, hm), (pw, pc, pm) = r["hugo"], r["pagefind"]
            lines.append(f"| {r['n']:,} | Hugo | {hw:.2f} | {hc:.2f} | {hm:.0f} | | |")
            lines.append(f"| {r['n']:,} | Pagefind | {pw:.2f} | {pc:.2f} | {pm:.0f} | | |")
            lines.append(f"| {r['n']:,} | Hugo + Pagefind | {hw + pw:.2f} | {hc + pc:.2f} | {max(hm, pm):.0f} | {r['h_size'][0] / 1e6:.0f} | {r['h_size'][1]:,} |")
            lines.append(f"| {r['n']:,} | **ratio** ketluan / (Hugo + Pagefind) | **{kw / (hw + pw):.2f}** | {kc / (hc + pc):.2f} | **{km / pm:.2f}** (vs Pagefind) | | |")
    lines.append("")
    for r in rows:
        walls = f"- {r['n']:,} documents, every run (wall s): ketluan {' / '.join(f'{w:.2f}' for w in r['k_walls'])}"
        if "h_walls" in r:
            walls += (f"; Hugo {' / '.join(f'{w:.2f}' for w in r['h_walls'])}"
                      f"; Pagefind {' / '.join(f'{w:.2f}' for w in r['p_walls'])}")
        lines.append(walls)
    lines.append("")
    lines.append("| docs | rebuild after touching one document, wall s (median of 3) | rebuild, nothing changed |")
    lines.append("|---|---|---|")
    for r in rows:
        if "rebuild" in r:
            lines.append(f"| {r['n']:,} | {r['rebuild']:.2f} | {r['unchanged']:.2f} |")
    for r in rows:
        if "baseline" in r:
            lines.append("")
            lines.append(f"- {r['n']:,} documents, every run: ketluan {' / '.join(f'{w:.2f}' for w in r['k_walls'])} s; "
                         f"baseline {' / '.join(f'{w:.2f}' for w in r['b_walls'])} s")
    if len(rows) > 1:
        lines.append("")
        # Each size against the one before it (issue 8: 100,000 documents in
        # under ten times the 10,000-document time).
        for base, r in zip(rows, rows[1:]):
            lines.append(f"- {r['n']:,} vs {base['n']:,} documents: wall × {r['ketluan'][0] / base['ketluan'][0]:.2f}, "
                         f"CPU × {r['ketluan'][1] / base['ketluan'][1]:.1f}, "
                         f"peak RSS × {r['ketluan'][2] / base['ketluan'][2]:.1f} "
                         f"(ketluan's runs: {' / '.join(f'{w:.2f}' for w in base['k_walls'])} s and "
                         f"{' / '.join(f'{w:.2f}' for w in r['k_walls'])} s)")
    return "\n".join(lines)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default="1000,10000,100000")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--work", default=os.environ.get("WORK", "/tmp/ketluan-bench"))
    ap.add_argument("--anchor-max", type=int, default=10000,
                    help="largest size to run Hugo + Pagefind on (Pagefind needs ~4 GiB per 10k documents)")
    ap.add_argument("--ketluan", metavar="BIN",
                    help="the ketluan binary to time (default: this checkout's release build)")
    ap.add_argument("--baseline", metavar="BIN",
                    help="another ketluan binary (e.g. a release build of an earlier commit), timed in the same rounds")
    ap.add_argument("--rebuilds", type=int, default=3,
                    help="rebuilds after one edit, and with nothing changed, per size (0: none)")
    args = ap.parse_args()
    global KETLUAN
    KETLUAN = os.path.abspath(args.ketluan or KETLUAN)
    os.makedirs(args.work, exist_ok=True)
    anchor = anchors(args.work)
    if not anchor:
        print("Hugo or Pagefind not installed (bench/setup.sh): measuring ketluan alone", file=sys.stderr)
    rows = []
    for n in (int(s) for s in args.sizes.split(",")):
        # Every size gets the same number of runs: a ratio between a median
        # and one sample is as noisy as that sample (±10% on this VM).
        rows.append(bench_size(args.work, n, args.runs, anchor if n <= args.anchor_max else None,
                               args.baseline and os.path.abspath(args.baseline), args.rebuilds))
        print(f"done {n}", file=sys.stderr)
    print(f"machine: {os.cpu_count()} cores, {os.sysconf('SC_PAGE_SIZE') * os.sysconf('SC_PHYS_PAGES') / 2**30:.0f} GiB; "
          f"{subprocess.run(['uname', '-sr'], capture_output=True, text=True).stdout.strip()}\n")
    print(table(rows))
    empty_trash()


if __name__ == "__main__":
    main()
