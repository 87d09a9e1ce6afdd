"""A longer crash soak than the test suite's: kill -9 a pushing and popping
child N times on one queue, then check every acknowledged item (see
tests/helpers/crash.py).  Prints figures.

    .venv/bin/python tools/crash_soak.py --rounds 500 [--kind mpmc]
"""

import argparse
import os
import random
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests"))
from helpers.crash import crash_rounds  # noqa: E402


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=200)
    parser.add_argument("--seed", type=int, default=int(time.time()))
    parser.add_argument("--kind", choices=["fifo", "mpmc"], default="fifo")
    parser.add_argument("--durable-every", type=int, default=5,
                        help="open with durable=True every Nth round (0: never)")
    args = parser.parse_args()
    start = time.monotonic()
    with tempfile.TemporaryDirectory() as tmp:
        rounds, pushed, popped = crash_rounds(os.path.join(tmp, "queue"), tmp, args.rounds,
                                              random.Random(args.seed), args.durable_every, args.kind)
    print(f"{args.kind} seed {args.seed}: {rounds} kill -9 rounds, {pushed} acknowledged pushes and "
          f"{popped} acknowledged pops checked, in {time.monotonic() - start:.0f} s: OK")


if __name__ == "__main__":
    main()
