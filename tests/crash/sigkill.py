#!/usr/bin/env python3
"""Real weft processes killed with SIGKILL at random moments during commits and
syncs. After each run: both stores pass `weft fsck`, and every change a `weft
commit` reported ("committed <hash>") before it died is in its store.

  sigkill.py WEFT RUNS [SEED]
Prints its seed; every process is bounded in time and killed before it returns.
"""
import os
import random
import re
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time

weft, runs = sys.argv[1], int(sys.argv[2])
seed = int(sys.argv[3]) if len(sys.argv) > 3 else random.randrange(1 << 30)
print(f"random seed {seed} (replay with: sigkill.py WEFT {runs} {seed})", flush=True)
rng = random.Random(seed)
tmp = tempfile.mkdtemp(prefix="weft-sigkill-")
laptop, desktop = os.path.join(tmp, "laptop"), os.path.join(tmp, "desktop")
failures = 0
live = []


def run(store, *args, timeout=60):
    return subprocess.run([weft, "--store", store, *args], capture_output=True, text=True,
                          timeout=timeout)


def spawn(script):
    # One shell loop of weft commands; its own process group, so a kill takes
    # the weft process it is running too.
    p = subprocess.Popen(["bash", "-c", script], stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                         text=True, start_new_session=True)
    live.append(p)
    return p


def kill(p):
    try:
        os.killpg(p.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass


def fail(what):
    global failures
    failures += 1
    print("FAIL " + what, flush=True)


def present(store, prefix):
    db = sqlite3.connect(f"file:{store}/weft.db?mode=ro", uri=True)
    try:
        (n,) = db.execute("SELECT count(*) FROM changes WHERE lower(hex(hash)) LIKE ?",
                          (prefix + "%",)).fetchone()
        return n > 0
    finally:
        db.close()


try:
    for store, name in ((laptop, "laptop"), (desktop, "desktop")):
        r = run(store, "init", "--name", name)
        assert r.returncode == 0, r.stdout + r.stderr
    assert run(laptop, "peer", "add", "desktop", desktop).returncode == 0
    assert run(desktop, "peer", "add", "laptop", laptop).returncode == 0
    committed = {laptop: set(), desktop: set()}
    kills = 0
    for i in range(runs):
        procs = []
        for store, tag in ((laptop, "L"), (desktop, "D")):
            script = "".join(
                f"{weft} --store {store} add 'val Kill.{tag}.v{i}x{k} = {k}' >/dev/null 2>&1; "
                f"{weft} --store {store} commit -m r{i}k{k}; "
                for k in range(20))
            procs.append((store, spawn(script)))
        procs.append((None, spawn(f"for k in $(seq 20); do {weft} --store {laptop} sync desktop; done")))
        procs.append((None, spawn(f"for k in $(seq 20); do {weft} --store {desktop} sync laptop --pull; done")))
        time.sleep(rng.uniform(0.02, 0.6))
        for _, p in procs:
            kill(p)
            kills += 1
        for store, p in procs:
            out, _ = p.communicate(timeout=30)
            live.remove(p)
            if store:
                committed[store].update(re.findall(r"^committed ([0-9a-f]{8}) ", out, re.M))
        for store in (laptop, desktop):
            r = run(store, "fsck")
            if r.returncode != 0 or "no problems" not in r.stdout:
                fail(f"run {i}: fsck of {store}: exit {r.returncode}: {r.stdout}{r.stderr}")
            for h in committed[store]:
                if not present(store, h):
                    fail(f"run {i}: change {h} was reported committed in {store} and is gone")
    # Both stores still work and converge.
    r = run(laptop, "sync", "desktop", "--confirm")
    if r.returncode != 0:
        fail(f"the final sync: exit {r.returncode}: {r.stdout}{r.stderr}")
    total = len(committed[laptop]) + len(committed[desktop])
    print(f"{runs} runs, {kills} processes killed, {total} reported commits checked, "
          f"{failures} failures", flush=True)
finally:
    for p in live:
        kill(p)
    subprocess.run(["rm", "-rf", tmp])
sys.exit(1 if failures else 0)
