"""Differential test: random operation sequences give the same results on this
MpmcQueue and on the reference implementation (rocksq 0.3.0 from PyPI).

The reference runs in its own interpreter: $ROCKSQ_REFERENCE_PYTHON, or
/tmp/refvenv/bin/python if it exists.  The TTL is long, so nothing expires;
the `expired` flag is not compared (the reference never sets it).
"""

import json
import os
import random
import subprocess
import sys

import pytest

DRIVER = os.path.join(os.path.dirname(__file__), "mpmc_driver.py")
LABELS = ["a", "b", "c", "", "é"]


def reference_python():
    python = os.environ.get("ROCKSQ_REFERENCE_PYTHON")
    if python:
        return python
    default = "/tmp/refvenv/bin/python"
    return default if os.access(default, os.X_OK) else None


def random_ops(rng, count):
    ops = []
    written = False
    for _ in range(count):
        r = rng.random()
        if r < 0.3:
            size = rng.choice([0, 1, 1, 2, 3, 7])
            batch = [rng.randbytes(rng.randrange(0, 6)).hex() for _ in range(size)]
            ops.append(["add", batch])
            written = written or size > 0
        elif r < 0.75:
            ops.append(["next", rng.choice(LABELS), rng.choice(["oldest", "newest"]),
                        rng.choice([0, 1, 1, 2, 3, 5, 100])])
        elif r < 0.82:
            ops.append(["labels"])
        elif r < 0.88:
            ops.append(["remove_label", rng.choice(LABELS)])
        elif r < 0.96:
            ops.append(["len"])
        elif written:
            # The reference hangs reading a label after reopening a log that
            # was never written to (test_mpmc.py checks ours).
            ops.append(["reopen"])
        else:
            ops.append(["len"])
    return ops


def run_driver(python, scenarios, tmp_path, name):
    scenarios_file = tmp_path / (name + "-in.json")
    results_file = tmp_path / (name + "-out.json")
    scenarios_file.write_text(json.dumps(scenarios))
    proc = subprocess.run([python, DRIVER, str(scenarios_file), str(results_file)],
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-3000:]
    return json.loads(results_file.read_text())["results"]


def scenarios_for(tmp_path, owner, seeds):
    return [{
        "path": str(tmp_path / owner / ("log-%d" % seed)),
        "flavour": "nonblocking" if seed % 2 == 0 else "blocking",
        "ttl": 3600,
        "ops": random_ops(random.Random(seed), 150),
    } for seed in seeds]


def without_expired_flag(results):
    return [[[r[0]] if isinstance(r, list) and len(r) == 2 and isinstance(r[1], bool) else r
             for r in scenario] for scenario in results]


def test_matches_reference_on_random_sequences(tmp_path):
    python = reference_python()
    if python is None:
        pytest.skip("no reference rocksq: set ROCKSQ_REFERENCE_PYTHON to a Python with "
                    "rocksq 0.3.0 installed (e.g. /tmp/refvenv/bin/python)")
    seeds = list(range(12))
    ours = run_driver(sys.executable, scenarios_for(tmp_path, "ours", seeds), tmp_path, "ours")
    theirs = run_driver(python, scenarios_for(tmp_path, "ref", seeds), tmp_path, "ref")
    # Nothing expires with a one-hour TTL: our flag must be False.
    for scenario in ours:
        for r in scenario:
            if isinstance(r, list) and len(r) == 2 and isinstance(r[1], bool):
                assert r[1] is False
    ours, theirs = without_expired_flag(ours), without_expired_flag(theirs)
    for seed, mine, ref in zip(seeds, ours, theirs):
        ops = random_ops(random.Random(seed), 150)
        for i, (a, b) in enumerate(zip(mine, ref)):
            assert a == b, "seed %d, operation %d %r: ours %r, reference %r" % (
                seed, i, ops[i], a, b)
        assert len(mine) == len(ref)
