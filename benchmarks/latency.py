"""Latency distributions, ours and the reference (rocksq 0.3.0) side by side.

    python3 benchmarks/latency.py [--seconds 10] [--python PY]...

For each interpreter (default: ours in .venv, the reference in
build/ref-venv), in a process of its own:

1. round trip alone: push([item]).get() then pop().get(), timed one by one;
2. the same with 4 other threads pushing and popping one item at a time;
3. push -> consumer: a consumer thread takes each item as soon as it can
   (ours: a waiting pop, pop(timeout=None); the reference has none, so it
   polls pop() as its users do) and the time from push() returning to the
   consumer having the item is recorded.

Prints p50, p99, p99.9 and the largest (in microseconds) for each, and the
ratio reference/ours of p99.  Every figure is for one run on a shared
machine: compare within a run, and repeat.
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

CHILD = r'''
import json, os, sys, threading, time
from rocksq import nonblocking
path, seconds = sys.argv[1], float(sys.argv[2])
ITEM = b"x" * 128

def percentiles(samples):
    s = sorted(samples)
    pick = lambda q: s[min(len(s) - 1, int(q * len(s)))] * 1e6
    return {"n": len(s), "p50": pick(0.5), "p99": pick(0.99), "p99.9": pick(0.999),
            "max": s[-1] * 1e6}

def round_trips(q, seconds):
    samples = []
    end = time.perf_counter() + seconds
    while time.perf_counter() < end:
        t0 = time.perf_counter()
        q.push([ITEM]).get()
        q.pop().get()
        samples.append(time.perf_counter() - t0)
    return samples

out = {}
q = nonblocking.PersistentQueueWithCapacity(path + "/a")
round_trips(q, 0.2)  # warm up
out["round trip alone"] = percentiles(round_trips(q, seconds))

stop = threading.Event()
def churn():
    while not stop.is_set():
        q.push([ITEM]).get()
        q.pop().get()
others = [threading.Thread(target=churn) for _ in range(4)]
for t in others:
    t.start()
out["round trip, 4 other threads"] = percentiles(round_trips(q, seconds))
stop.set()
for t in others:
    t.join()
q.close() if hasattr(q, "close") else None

q = nonblocking.PersistentQueueWithCapacity(path + "/b")
waits = "timeout" in (q.pop.__doc__ or "")
got = threading.Semaphore(0)
taken = []
def consumer():
    while True:
        if waits:
            items = q.pop(1, timeout=None).get().data
        else:
            items = q.pop(1).get().data
            if not items:
                continue
        if items == [b"stop"]:
            return
        taken.append(time.perf_counter())
        got.release()
t = threading.Thread(target=consumer)
t.start()
samples = []
end = time.perf_counter() + seconds
while time.perf_counter() < end:
    q.push([ITEM]).get()
    pushed = time.perf_counter()
    got.acquire()
    samples.append(max(0.0, taken[-1] - pushed))  # 0: taken before push() returned
q.push([b"stop"]).get()
t.join()
out["push -> consumer" + (" (waiting pop)" if waits else " (polling pop)")] = percentiles(samples)
print(json.dumps(out))
'''


def run(python, seconds):
    with tempfile.TemporaryDirectory() as tmp:
        done = subprocess.run([python, "-c", CHILD, tmp, str(seconds)], capture_output=True,
                              text=True, timeout=600 + 10 * seconds)
    if done.returncode != 0:
        raise RuntimeError(done.stderr[-2000:])
    return json.loads(done.stdout)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=float, default=10.0, help="per figure")
    parser.add_argument("--python", action="append", help="interpreters to compare")
    args = parser.parse_args()
    pythons = args.python or [os.path.join(ROOT, ".venv/bin/python"),
                              os.path.join(ROOT, "build/ref-venv/bin/python")]
    results = [run(p, args.seconds) for p in pythons]
    for name in results[0]:
        print(name)
        for python, result in zip(pythons, results):
            key = next((k for k in result if k.split(" (")[0] == name.split(" (")[0]), None)
            r = result[key]
            print(f"  {key:42} n={r['n']:7}  p50 {r['p50']:8.0f}  p99 {r['p99']:8.0f}  "
                  f"p99.9 {r['p99.9']:8.0f}  max {r['max']:8.0f} us   ({python})")
        if len(results) == 2:
            a = results[0][name]
            b = results[1][next(k for k in results[1] if k.split(" (")[0] == name.split(" (")[0])]
            print(f"  p99 ratio (second / first): {b['p99'] / a['p99']:.2f}x")


if __name__ == "__main__":
    main()
