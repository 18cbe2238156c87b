#!/usr/bin/env python3
"""How each CLI command's time grows with the store: the same small commands on
stores of 1,000, 10,000 and 100,000 items (tools/fill.h: one change each).

Usage: bench/cli_slope.py BUILD_DIR [N,N,...]

Each command runs 5 times on each store; the median wall time is printed, one
row per command, one column per N, then the ratio of the largest store's figure
to the smallest's. A command whose output does not grow with the store should
show a flat row. `add 5000` stages 5,000 new definitions (its output lists them,
so it grows with that, not with the store).
"""
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time


def timed(cmd, runs=5, setup=None):
    times = []
    for _ in range(runs):
        if setup:
            setup()
        t0 = time.perf_counter()
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def main():
    build = sys.argv[1]
    sizes = [int(s) for s in (sys.argv[2] if len(sys.argv) > 2 else "1000,10000,100000").split(",")]
    weft = os.path.join(build, "weft")
    fill = os.path.join(build, "weft_fill_store")
    rows = {}
    with tempfile.TemporaryDirectory(prefix="weft-slope-") as tmp:
        defs = os.path.join(tmp, "defs.weft")
        with open(defs, "w") as f:
            for i in range(5000):
                f.write(f"fn Added.M.f{i} x = x + {i}\n")
        for n in sizes:
            store = os.path.join(tmp, f"s{n}")
            subprocess.run([weft, "--store", store, "init", "--name", "s"], check=True,
                           stdout=subprocess.DEVNULL)
            subprocess.run([fill, store, str(n)], check=True)
            w = [weft, "--store", store]
            clear = lambda: subprocess.run(w + ["discard"], stdout=subprocess.DEVNULL,
                                           stderr=subprocess.DEVNULL)
            cases = {
                "status": (w + ["status"], None),
                "ls Bench.Data.v1": (w + ["ls", "Bench.Data.v1"], None),
                "show Bench.Data.v1": (w + ["show", "Bench.Data.v1"], None),
                "eval Bench.Data.v1": (w + ["eval", "Bench.Data.v1"], None),
                "log -n 10": (w + ["log", "-n", "10"], None),
                "add 1 definition": (w + ["add", "fn Added.One.f x = x"], clear),
                "add 5000 definitions": (w + ["add", defs], clear),
            }
            for name, (cmd, setup) in cases.items():
                rows.setdefault(name, {})[n] = timed(cmd, setup=setup)
            shutil.rmtree(store)
    head = "| command | " + " | ".join(f"N = {n:,}" for n in sizes) + " | largest / smallest |"
    print(head)
    print("|---" * (len(sizes) + 2) + "|")
    for name, by_n in rows.items():
        cells = " | ".join(f"{by_n[n] * 1000:.0f} ms" for n in sizes)
        print(f"| `weft {name}` | {cells} | {by_n[sizes[-1]] / by_n[sizes[0]]:.2f} |")
    json.dump(rows, open(os.path.join(build, "cli_slope.json"), "w"), indent=1)


if __name__ == "__main__":
    main()
