"""Measures how promptly MpmcQueue removes elements once their TTL has run out.

Adds one element every `--spacing` seconds to a log with a 1 s TTL, then polls
`len` every millisecond and records, for each element, when it stopped being
counted.  Lateness = that time - (time its add returned + ttl); a negative
value means it went before its TTL ran out (by at most the millisecond
resolution of the stored insertion time).

    python benchmarks/mpmc_ttl_precision.py [--runs 5] [--per-run 20]
"""

import argparse
import statistics
import tempfile
import time

from rocksq import nonblocking


def one_run(path, per_run, spacing):
    added = []  # (monotonic time before add, after add) per element
    with nonblocking.MpmcQueue(path, 1) as q:
        for _ in range(per_run):
            before = time.monotonic()
            q.add([b"x"]).get()
            added.append((before, time.monotonic()))
            target = before + spacing
            while time.monotonic() < target:
                pass
        gone = []
        held = q.len.get().len
        deadline = time.monotonic() + 5.0
        while held > 0 and time.monotonic() < deadline:
            time.sleep(0.001)
            now_held = q.len.get().len
            seen = time.monotonic()
            gone.extend([seen] * (held - now_held))
            held = now_held
    early = [g - (b + 1.0) for (b, _), g in zip(added, gone)]
    late = [g - (a + 1.0) for (_, a), g in zip(added, gone)]
    return early, late


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--per-run", type=int, default=20)
    parser.add_argument("--spacing", type=float, default=0.037)
    args = parser.parse_args()
    early_all, late_all = [], []
    with tempfile.TemporaryDirectory() as tmp:
        for run in range(args.runs):
            early, late = one_run("%s/log-%d" % (tmp, run), args.per_run, args.spacing)
            early_all += early
            late_all += late
    ms = lambda s: "%.1f ms" % (s * 1000)
    print("elements measured: %d (ttl 1 s, polled every ~1 ms)" % len(late_all))
    print("lateness after TTL (from add returned): median %s, p99 %s, max %s" % (
        ms(statistics.median(late_all)),
        ms(sorted(late_all)[int(0.99 * (len(late_all) - 1))]), ms(max(late_all))))
    print("earliest removal relative to add called + TTL: %s" % ms(min(early_all)))


if __name__ == "__main__":
    main()
