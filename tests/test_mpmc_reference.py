"""Long random MPMC traces (tests/helpers/traces.py: add/next/labels/
remove_label/len, both flavours on one log, reopening, empty adds and items,
items of a few bytes to 55 KiB around the memory budget, pipelined requests
resolved out of order) must give, operation by operation, the results of a
pure-Python model: ours with the state (len, payload_size, labels) checked
after every operation, and the reference, rocksq 0.3.0 from PyPI
(ROCKSQ_REFERENCE_PYTHON).  The TTL is long: nothing expires, so `expired`
is always False (the reference never sets it; test_mpmc_ttl.py checks ours).

tools/trace_soak.py runs the same traces for many more seeds and operations.
"""

import os
import sys

import pytest

from helpers import traces

REFERENCE = os.environ.get("ROCKSQ_REFERENCE_PYTHON")
SEEDS = range(24)
OPS = 1000
CHUNKS = 2


@pytest.mark.parametrize("chunk", range(CHUNKS))
def test_long_traces_match_the_model(tmp_path, chunk):
    assert traces.check_traces("mpmc", sys.executable, tmp_path, SEEDS[chunk::CHUNKS], OPS,
                               ours=True) == []


@pytest.mark.skipif(not REFERENCE, reason="ROCKSQ_REFERENCE_PYTHON is unset: no reference "
                    "rocksq 0.3.0 to compare with (tools/test.sh sets it up)")
@pytest.mark.parametrize("chunk", range(CHUNKS))
def test_the_reference_gives_the_same_results(tmp_path, chunk):
    assert traces.check_traces("mpmc", REFERENCE, tmp_path, SEEDS[chunk::CHUNKS], OPS,
                               ours=False) == []


def test_the_traces_hold_what_hid_bugs_before(tmp_path):
    seen = traces.ingredients("mpmc", traces.make_traces("mpmc", tmp_path, SEEDS, OPS, True))
    assert all(seen.values()), seen
