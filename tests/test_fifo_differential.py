"""Long random FIFO traces (tests/helpers/traces.py: both flavours on one
queue, reopening with other max_elements, empty pushes and items, items of a
few bytes to 55 KiB around the memory budget, pipelined requests resolved out
of order) must give, operation by operation, the results of a pure-Python
model: ours with the state (len, payload_size) checked after every
operation, and the reference, PyPI's rocksq 0.3.0 (interpreter named by
ROCKSQ_REFERENCE_PYTHON; tools/test.sh provides it), except where the
reference is wrong: its non-blocking push over capacity silently drops the
items and reports success (ours raises QueueFullError; both store nothing,
which the following results check).

tools/trace_soak.py runs the same traces for many more seeds and operations.
"""

import os
import sys

import pytest

from helpers import traces

REFERENCE = os.environ.get("ROCKSQ_REFERENCE_PYTHON")
SEEDS = range(24)
OPS = 1000
CHUNKS = 4  # one driver process per chunk of seeds


@pytest.mark.parametrize("chunk", range(CHUNKS))
def test_long_traces_match_the_model(tmp_path, chunk):
    assert traces.check_traces("fifo", sys.executable, tmp_path, SEEDS[chunk::CHUNKS], OPS,
                               ours=True) == []


@pytest.mark.skipif(not REFERENCE, reason="ROCKSQ_REFERENCE_PYTHON is unset: no reference "
                    "rocksq 0.3.0 to compare with (tools/test.sh sets it up)")
@pytest.mark.parametrize("chunk", range(CHUNKS))
def test_the_reference_gives_the_same_results(tmp_path, chunk):
    assert traces.check_traces("fifo", REFERENCE, tmp_path, SEEDS[chunk::CHUNKS], OPS,
                               ours=False) == []


def test_the_traces_hold_what_hid_bugs_before(tmp_path):
    """The generator, not the queue: these traces contain every ingredient of
    the 'segment N is missing' failure (issue 16), so that a change to
    traces.py cannot quietly drop one."""
    seen = traces.ingredients("fifo", traces.make_traces("fifo", tmp_path, SEEDS, OPS, True))
    assert all(seen.values()), seen
