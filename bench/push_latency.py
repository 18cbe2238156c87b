#!/usr/bin/env python3
"""Push latency: a commit on A is visible in `weft ls` on B, with both daemons idle.

Two daemons on loopback (plain HTTP, as two instances on one machine), each with
the other registered by URL. For each sample: wait so both are idle, `weft add`
and `weft commit` on A, then run `weft ls` on B until the new name shows; the
latency is from `weft commit` returning to the first `weft ls` that shows it.
One `weft ls` takes a few milliseconds: that is the resolution (reported).

Usage: push_latency.py PATH/TO/weft [SAMPLES] [IDLE_SECONDS] [tls]
(tls: the daemons serve mutual TLS, as two devices would; default plain loopback)
Prints one JSON document (also the input of docs/benchmarks.md).
"""
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def main():
    weft = os.path.abspath(sys.argv[1])
    samples = int(sys.argv[2]) if len(sys.argv) > 2 else 40
    idle = float(sys.argv[3]) if len(sys.argv) > 3 else 1.5
    tls = len(sys.argv) > 4 and sys.argv[4] == "tls"
    scheme = "https" if tls else "http"
    tmp = tempfile.mkdtemp(prefix="weft-push-")
    homes = {n: os.path.join(tmp, n) for n in ("a", "b")}

    def weft_on(home, *args, check=True):
        return subprocess.run([weft, "--store", homes[home], *args], check=check,
                              capture_output=True, text=True, timeout=60)

    ports = {"a": free_port(), "b": free_port()}
    try:
        for n in homes:
            weft_on(n, "init", "--name", n)
        ids = {n: weft_on(n, "id").stdout.strip() for n in homes}
        weft_on("a", "peer", "add", "b", f"{scheme}://127.0.0.1:{ports['b']}", "--id", ids["b"])
        weft_on("b", "peer", "add", "a", f"{scheme}://127.0.0.1:{ports['a']}", "--id", ids["a"])
        for n in homes:
            weft_on(n, "daemon", "start", "--listen", f"127.0.0.1:{ports[n]}", "--quiet",
                    *(["--tls"] if tls else []))
        time.sleep(idle)
        latencies, resolutions = [], []
        first_poll_saw_it = 0
        for i in range(samples):
            name = f"Bench.Push.f{i}"
            weft_on("a", "add", f"fn {name} x = x + {i}")
            time.sleep(idle)  # both daemons idle before the commit
            weft_on("a", "commit", "-m", f"f{i}")
            committed = time.perf_counter()
            deadline = committed + 10
            seen = None
            polls = 0
            while time.perf_counter() < deadline:
                polls += 1
                before = time.perf_counter()
                out = weft_on("b", "ls", name, check=False).stdout
                resolutions.append(time.perf_counter() - before)
                if name in out:
                    seen = time.perf_counter()
                    first_poll_saw_it += polls == 1
                    break
            if seen is None:
                print(f"sample {i}: not visible on B after 10 s", file=sys.stderr)
                latencies.append(float("inf"))
            else:
                latencies.append(seen - committed)
        ordered = sorted(latencies)
        p99 = ordered[min(len(ordered) - 1, int(round(0.99 * (len(ordered) - 1))))]
        result = {
            "benchmark": "push_latency",
            "samples": samples,
            "idle_s": idle,
            "median_ms": round(statistics.median(latencies) * 1000, 1),
            "p99_ms": round(p99 * 1000, 1),
            "max_ms": round(ordered[-1] * 1000, 1),
            "min_ms": round(ordered[0] * 1000, 1),
            "ls_resolution_ms": round(statistics.median(resolutions) * 1000, 1),
            # Samples where the first `weft ls`, started as `weft commit` returned,
            # already showed the name: the push beat the reader.
            "first_ls_saw_it": first_poll_saw_it,
            "transport": "https (mutual TLS)" if tls else "http (loopback)",
            "target": "median <= 500 ms, p99 <= 1000 ms",
        }
        print(json.dumps(result, indent=2))
    finally:
        for n in homes:
            try:
                subprocess.run([weft, "--store", homes[n], "daemon", "stop"],
                               capture_output=True, timeout=60)
            except OSError:
                pass
            try:  # whatever happened above, no daemon outlives the benchmark
                with open(os.path.join(homes[n], "daemon.pid")) as f:
                    os.kill(json.load(f)["pid"], 9)
            except (OSError, ValueError, KeyError):
                pass
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
