"""inspect.signature() works for every public class, method and function of
rocksq, rocksq.nonblocking and rocksq.blocking, and where rocksq 0.3.0 (the
reference, ROCKSQ_REFERENCE_PYTHON) has the same name, the parameters it
shares with ours have the same names, kinds and defaults, in order: ours may
add parameters after them (e.g. keyword-only options), never change one."""

import json
import os
import subprocess
import sys

import pytest

from helpers.fifo import HELPERS

REFERENCE = os.environ.get("ROCKSQ_REFERENCE_PYTHON")


def signatures(python):
    done = subprocess.run([python, os.path.join(HELPERS, "signatures.py")],
                          capture_output=True, text=True, timeout=120, cwd=HELPERS)
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout)


OURS = signatures(sys.executable)


def test_every_public_callable_has_a_signature():
    failures = {name: sig for name, sig in OURS.items() if isinstance(sig, str)}
    assert not failures
    # The names the API is made of are all there (a facade that dropped a
    # class would leave nothing to fail above).
    for name in ["rocksq.version", "rocksq.remove_queue", "rocksq.remove_mpmc_queue",
                 "nonblocking.PersistentQueueWithCapacity.push",
                 "nonblocking.MpmcQueue.next", "nonblocking.Response.get",
                 "nonblocking.MpmcResponse.try_get", "blocking.MpmcQueue.remove_label",
                 "blocking.PersistentQueueWithCapacity"]:
        assert name in OURS, name


def test_the_next_signature_is_that_of_rocksq_0_3_0():
    # 0.3.0's parameters first, in order; then the waiting read's timeout and
    # commit, whose defaults are today's behaviour (0.3.0 calls bind as before).
    assert OURS["nonblocking.MpmcQueue.next"] == [
        ["self", "POSITIONAL_ONLY", None], ["label", "POSITIONAL_OR_KEYWORD", None],
        ["start_position", "POSITIONAL_OR_KEYWORD", None],
        ["max_elements", "POSITIONAL_OR_KEYWORD", "1"],
        ["no_gil", "POSITIONAL_OR_KEYWORD", "True"],
        ["timeout", "POSITIONAL_OR_KEYWORD", "0.0"],
        ["commit", "POSITIONAL_OR_KEYWORD", "True"]]


@pytest.mark.skipif(not REFERENCE, reason="ROCKSQ_REFERENCE_PYTHON is unset (tools/test.sh "
                    "sets it up)")
def test_shared_names_have_the_reference_parameters():
    theirs = signatures(REFERENCE)
    compared = 0
    for name, sig in theirs.items():
        if isinstance(sig, str):
            continue  # the reference has no signature there either
        assert name in OURS, "%s is missing" % name
        assert OURS[name][:len(sig)] == sig, name
        compared += 1
    assert compared >= 15, compared
