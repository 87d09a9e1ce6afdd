"""Long-trace soak: the random traces of tests/helpers/traces.py (the ones
tests/test_fifo_differential.py and tests/test_mpmc_reference.py run), for
many seeds and long sequences, against the model and against the reference
rocksq 0.3.0.

    .venv/bin/python tools/trace_soak.py                       # 100 seeds x 5,000 ops, both kinds
    .venv/bin/python tools/trace_soak.py --kind fifo --seeds 500 --ops 1000 --first-seed 0
    .venv/bin/python tools/trace_soak.py --reference build/ref-venv/bin/python

Each chunk of seeds runs in its own driver process, --jobs at a time.  Prints
one line per kind and implementation and every difference from the model;
exits 1 if there was any.  The reference is build/ref-venv's (tools/ref-venv.sh)
unless --reference names another interpreter or --no-reference skips it.
"""

import argparse
import concurrent.futures
import os
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "tests", "helpers"))

import traces  # noqa: E402


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--kind", choices=["fifo", "mpmc", "both"], default="both")
    parser.add_argument("--seeds", type=int, default=100)
    parser.add_argument("--first-seed", type=int, default=10_000,
                        help="default: seeds the pytest suite does not run")
    parser.add_argument("--ops", type=int, default=5000)
    parser.add_argument("--chunk", type=int, default=4, help="seeds per driver process")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--reference", default=os.path.join(ROOT, "build/ref-venv/bin/python"))
    parser.add_argument("--no-reference", action="store_true")
    args = parser.parse_args()

    implementations = [("ours", sys.executable, True)]
    if not args.no_reference:
        if not os.access(args.reference, os.X_OK):
            sys.exit("trace_soak: no reference interpreter %s (run tools/ref-venv.sh, or pass "
                     "--no-reference)" % args.reference)
        implementations.append(("rocksq 0.3.0", args.reference, False))
    kinds = ["fifo", "mpmc"] if args.kind == "both" else [args.kind]
    seeds = list(range(args.first_seed, args.first_seed + args.seeds))
    chunks = [seeds[i:i + args.chunk] for i in range(0, len(seeds), args.chunk)]

    failed = False
    with tempfile.TemporaryDirectory(prefix="rocksq-soak-") as directory, \
            concurrent.futures.ThreadPoolExecutor(args.jobs) as pool:
        for kind in kinds:
            for name, python, ours in implementations:
                start = time.monotonic()
                jobs = [pool.submit(traces.check_traces, kind, python,
                                    os.path.join(directory, "%s-%s-%d" % (kind, ours, i)),
                                    chunk, args.ops, ours)
                        for i, chunk in enumerate(chunks)]
                problems = [p for job in jobs for p in job.result()]
                print("%s, %s: %d seeds x %d operations (seeds %d-%d): %d differ from the "
                      "model (%.0f s)" % (kind, name, len(seeds), args.ops, seeds[0], seeds[-1],
                                          len(problems), time.monotonic() - start), flush=True)
                for problem in problems:
                    print("  " + problem)
                failed = failed or bool(problems)
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
