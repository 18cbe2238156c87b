#!/usr/bin/env python3
"""weft against Automerge on the same sync workloads, side by side in one run.

Usage: bench/vs_automerge.py BUILD_DIR [--runs K] [--sizes N,N,...] [--big N,...]

For each run and each size, alternating, it runs weft's driver
(bench/sync_bench.cc: fresh, one_new, reconnect, concurrent, open, store size)
and the Automerge driver (bench/anchors/automerge_sync.mjs, one process per
scenario so every peak RSS is that process's own). `--big` sizes run once, weft
first; Automerge runs there too and its failure (out of memory, a timeout) is
reported as such. It prints a table of medians and ratios, writes it into
docs/benchmarks.md between the vs-automerge markers, writes every figure to
bench/results/vs_automerge.json, and plots time, bytes and peak RSS of the fresh
sync against N (log axes, both systems on each panel) to
docs/bench-vs-automerge.png.
"""
import argparse
import datetime
import json
import os
import statistics
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ANCHORS = os.path.join(ROOT, "bench", "anchors")
AM_TIMEOUT = 1800


def weft_run(build, n):
    out = subprocess.run(
        [os.path.join(build, "bench", "weft_bench_sync"), os.path.join(build, "weft"), str(n)],
        check=True, capture_output=True, text=True).stdout
    r = json.loads(out)[0]
    return {
        "fresh": r["fresh"], "one_new": r["one_new"], "one_new_push": r.get("one_new_push"),
        "reconnect": r["reconnect"],
        "concurrent": r["concurrent"], "open": r["open"], "store_bytes": r["store_bytes"],
    }


def am_scenario(scenario, n, d):
    try:
        p = subprocess.run(["node", os.path.join(ANCHORS, "automerge_sync.mjs"), scenario, str(n), d],
                           capture_output=True, text=True, timeout=AM_TIMEOUT, cwd=ANCHORS)
    except subprocess.TimeoutExpired:
        return {"failed": f"timed out after {AM_TIMEOUT} s"}
    if p.returncode != 0:
        lines = p.stderr.strip().splitlines()
        errors = [l.strip() for l in lines if "Error" in l or "memory" in l.lower()]
        what = errors[0] if errors else (lines[-1] if lines else "exit %d" % p.returncode)
        # WASM has 4 GiB: Automerge's allocator aborts ("unreachable") when it is full.
        if "unreachable" in what or "memory" in what.lower():
            what = f"failed: out of memory ({what[:80]})"
        return {"failed": what[:120]}
    return json.loads(p.stdout.strip().splitlines()[-1])


def am_run(n):
    with tempfile.TemporaryDirectory(prefix="weft-am-") as d:
        prep = am_scenario("prepare", n, d)
        if "failed" in prep:
            return {"failed": prep["failed"]}
        out = {s: am_scenario(s, n, d) for s in ("fresh", "one_new", "reconnect", "concurrent")}
        opened = am_scenario("open", n, d)
        out["open"] = opened
        out["store_bytes"] = opened.get("store_bytes")
        return out


def median(values):
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None


def pick(runs, scenario, field):
    vals = []
    for r in runs:
        if "failed" in r:
            continue
        v = r.get(scenario)
        if isinstance(v, dict):
            if "failed" in v:
                continue
            v = v.get(field)
        if v is not None:
            vals.append(v)
    return median(vals)


def failure(runs, scenario=None):
    for r in runs:
        if "failed" in r:
            return r["failed"]
        if scenario and isinstance(r.get(scenario), dict) and "failed" in r[scenario]:
            return r[scenario]["failed"]
    return None


def fmt_secs(s):
    return "–" if s is None else (f"{s * 1000:.0f} ms" if s < 1 else f"{s:.2f} s")


def fmt_bytes(b):
    if b is None:
        return "–"
    for unit, div in (("MB", 1e6), ("kB", 1e3)):
        if b >= div:
            return f"{b / div:.1f} {unit}"
    return f"{b:.0f} B"


def ratio(a, b):
    return "–" if a is None or b in (None, 0) else f"{a / b:.2f}"


def table(results, sizes, big):
    rows = ["| workload | N | weft | Automerge 3.5.0 | weft / Automerge (time) |",
            "|---|---|---|---|---|"]

    def cell(runs, scenario, rt_field):
        fail = failure(runs, scenario)
        if fail and pick(runs, scenario, "seconds") is None:
            return fail
        secs = pick(runs, scenario, "seconds")
        rts = pick(runs, scenario, rt_field)
        byts = pick(runs, scenario, "bytes")
        rss = pick(runs, scenario, "peak_rss_mb")
        parts = [fmt_secs(secs)]
        if rts is not None:
            parts.append(f"{rts:.0f} RT")
        if byts is not None:
            parts.append(fmt_bytes(byts))
        if rss is not None:
            parts.append(f"{rss:.0f} MB RSS")
        counted = sum(1 for r in runs if isinstance(r.get(scenario), dict)
                      and r[scenario].get("seconds") is not None)
        if counted < len(runs):  # a scenario added to an earlier run's figures
            parts.append(f"{counted} run{'s' if counted != 1 else ''} only")
        return ", ".join(parts)

    scenarios = [("fresh", "a fresh peer syncs N changes"),
                 ("one_new", "one new change after a sync, the side without it asks"),
                 ("one_new_push", "one new change after a sync, the side with it speaks first"),
                 ("reconnect", "reconnect, no saved sync state, nothing new"),
                 ("concurrent", "1,000 + 1,000 concurrent changes on a synced N"),
                 ("open", "open the synced store (weft: `status`; Automerge: load)")]
    for key, label in scenarios:
        for n in sizes + big:
            if key == "concurrent" and n < 10_000:
                continue
            w, a = results["weft"][str(n)], results["automerge"][str(n)]
            # Automerge's one new change is always sent by the side that has it.
            a_key = "one_new" if key == "one_new_push" else key
            if key == "one_new":
                a = []
            rows.append(f"| {label} | {n:,} | {cell(w, key, 'exchanges')} | "
                        f"{cell(a, a_key, 'round_trips') if a else '(see the next row)'} | "
                        f"{ratio(pick(w, key, 'seconds'), pick(a, a_key, 'seconds'))} |")
    for n in sizes + big:
        w, a = results["weft"][str(n)], results["automerge"][str(n)]
        ws, as_ = pick(w, "store_bytes", None), pick(a, "store_bytes", None)
        rows.append(f"| store on disk (Automerge: save()) | {n:,} | {fmt_bytes(ws)} | "
                    f"{fmt_bytes(as_) if as_ else failure(a) or '–'} | {ratio(ws, as_)} (size) |")
    return "\n".join(rows)


def plot(results, sizes, path):
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    fig, axes = plt.subplots(1, 3, figsize=(13, 4))
    panels = [("seconds", "fresh sync time (s)"), ("bytes", "bytes on the wire"),
              ("peak_rss_mb", "peak RSS (MB)")]
    for ax, (field, title) in zip(axes, panels):
        for system, style in (("weft", "o-"), ("automerge", "s--")):
            xs, ys = [], []
            for n in sizes:
                v = pick(results[system][str(n)], "fresh", field)
                if v:
                    xs.append(n)
                    ys.append(v)
            ax.plot(xs, ys, style, label="Automerge 3.5.0" if system == "automerge" else "weft")
        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.set_xlabel("changes (N)")
        ax.set_title(title)
        ax.grid(True, which="both", alpha=0.3)
        ax.legend()
    fig.suptitle("A fresh peer syncs N changes (medians)")
    fig.tight_layout()
    fig.savefig(path, dpi=110)


def write_doc(text):
    path = os.path.join(ROOT, "docs", "benchmarks.md")
    doc = open(path).read()
    begin, end = "<!-- vs-automerge:begin -->", "<!-- vs-automerge:end -->"
    block = f"{begin}\n{text}\n{end}"
    if begin in doc:
        doc = doc[:doc.index(begin)] + block + doc[doc.index(end) + len(end):]
    else:
        doc = doc.rstrip("\n") + "\n\n" + block + "\n"
    open(path, "w").write(doc)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("build")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--sizes", default="1000,10000,100000")
    ap.add_argument("--big", default="")
    ap.add_argument("--from-json", help="re-print and re-plot the figures of an earlier run")
    args = ap.parse_args()
    sizes = [int(s) for s in args.sizes.split(",") if s]
    big = [int(s) for s in args.big.split(",") if s]
    results = {"weft": {str(n): [] for n in sizes + big},
               "automerge": {str(n): [] for n in sizes + big}}
    if args.from_json:
        results = json.load(open(args.from_json))
        args.runs = max(len(v) for v in results["weft"].values())
    for run in range(0 if args.from_json else args.runs):
        for n in sizes:
            for system in (("weft", "automerge") if run % 2 == 0 else ("automerge", "weft")):
                print(f"run {run + 1}/{args.runs}, N = {n:,}: {system}", file=sys.stderr)
                r = weft_run(args.build, n) if system == "weft" else am_run(n)
                results[system][str(n)].append(r)
    for n in big if not args.from_json else []:
        print(f"N = {n:,}: weft, then Automerge", file=sys.stderr)
        results["weft"][str(n)].append(weft_run(args.build, n))
        results["automerge"][str(n)].append(am_run(n))
    os.makedirs(os.path.join(ROOT, "bench", "results"), exist_ok=True)
    if not args.from_json:
        with open(os.path.join(ROOT, "bench", "results", "vs_automerge.json"), "w") as f:
            json.dump(results, f, indent=1)
    day = datetime.date.today().isoformat()
    text = (f"Measured {day} by `scripts/bench --vs automerge` on this machine: "
            f"{args.runs} runs of each size, alternating the two systems, medians "
            f"({', '.join(f'{n:,}' for n in big) + ': one run' if big else 'no larger sizes'}). "
            "weft writes durably (`synchronous=FULL`) through the file carrier, both stores "
            "in one process; Automerge syncs two documents in memory in one node process. "
            "RT is round trips: weft's are the exchanges its session made, Automerge's "
            "are its messages / 2, rounded up.\n\n" + table(results, sizes, big))
    print(text)
    write_doc(text)
    plot(results, sizes + big, os.path.join(ROOT, "docs", "bench-vs-automerge.png"))


if __name__ == "__main__":
    main()
