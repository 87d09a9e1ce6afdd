"""Instructions per operation, counted by valgrind's callgrind: a figure that
stays put on a noisy machine, where timings do not.

    python3 benchmarks/instructions.py [--python PY]... [--ops 2000]

For each interpreter given (default: ours in .venv and the reference in
build/ref-venv), runs each scenario twice under callgrind, with n and 2n
operations after the same set-up, and prints (count(2n) - count(n)) / n:
the cost of one more operation, set-up and interpreter start cancelled out.
The worker thread's instructions are counted too (callgrind counts every
thread).  Scenarios: a non-blocking push(...).get() of one 128-byte item, a
pop().get(), a round trip of both, and the blocking push and pop.
"""

import argparse
import os
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

SCENARIOS = {
    "push": ("from rocksq.nonblocking import PersistentQueueWithCapacity as Q\n"
             "q = Q(PATH)\n", "q.push([ITEM]).get()"),
    "pop": ("from rocksq.nonblocking import PersistentQueueWithCapacity as Q\n"
            "q = Q(PATH)\nfor _ in range(2 * N + 10): q.push([ITEM]).get()\n", "q.pop().get()"),
    "round trip": ("from rocksq.nonblocking import PersistentQueueWithCapacity as Q\n"
                   "q = Q(PATH)\n", "q.push([ITEM]).get(); q.pop().get()"),
    "blocking push": ("from rocksq.blocking import PersistentQueueWithCapacity as Q\n"
                      "q = Q(PATH)\n", "q.push([ITEM])"),
    "blocking pop": ("from rocksq.blocking import PersistentQueueWithCapacity as Q\n"
                     "q = Q(PATH)\nfor _ in range(2 * N + 10): q.push([ITEM])\n", "q.pop()"),
}

PROGRAM = """\
import sys
PATH, N, COUNT = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
ITEM = b"x" * 128
{setup}
for _ in range(COUNT):
    {step}
"""


def instructions(python, scenario, n, count, workdir):
    setup, step = SCENARIOS[scenario]
    script = os.path.join(workdir, "scenario.py")
    with open(script, "w") as f:
        f.write(PROGRAM.format(setup=setup, step=step))
    out = os.path.join(workdir, "callgrind.out")
    path = os.path.join(workdir, "q%d" % count)
    subprocess.run(["valgrind", "--tool=callgrind", "--callgrind-out-file=" + out,
                    "--collect-atstart=yes", python, script, path, str(n), str(count)],
                   check=True, capture_output=True)
    with open(out) as f:
        for line in f:
            if line.startswith("summary:") or line.startswith("totals:"):
                return int(line.split()[1])
    raise RuntimeError("no totals in " + out)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--python", action="append",
                        help="an interpreter whose rocksq to count (repeatable)")
    parser.add_argument("--ops", type=int, default=2000)
    args = parser.parse_args()
    pythons = args.python or [os.path.join(ROOT, ".venv/bin/python"),
                              os.path.join(ROOT, "build/ref-venv/bin/python")]
    n = args.ops
    print("%-16s" % "scenario" + "".join("%22s" % os.path.basename(os.path.dirname(
        os.path.dirname(p))) for p in pythons) + "   (instructions per operation)")
    for scenario in SCENARIOS:
        row = []
        for python in pythons:
            with tempfile.TemporaryDirectory(prefix="rocksq-callgrind-") as workdir:
                try:
                    once = instructions(python, scenario, n, n, workdir)
                    twice = instructions(python, scenario, n, 2 * n, workdir)
                    row.append("%22s" % format((twice - once) // n, ","))
                except subprocess.CalledProcessError:
                    row.append("%22s" % "-")  # e.g. the reference's get() twice
        print("%-16s" % scenario + "".join(row), flush=True)


if __name__ == "__main__":
    sys.exit(main())
