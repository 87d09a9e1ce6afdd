"""Guarantee 1, crash safety: SIGKILL at random moments, many times in a row on
the same queue, loses no acknowledged push and serves no acknowledged pop again
(see tests/helpers/crash.py for the checks)."""

import random

import pytest

from helpers.crash import crash_rounds


@pytest.mark.parametrize("durable_every", [0, 2], ids=["default", "durable-every-2nd-round"])
def test_fifo_survives_repeated_kill_9(tmp_path, durable_every):
    rng = random.Random(1234 + durable_every)
    rounds, pushed, popped = crash_rounds(str(tmp_path / "queue"), str(tmp_path), 20, rng,
                                          durable_every=durable_every)
    assert pushed > rounds  # each round acknowledged pushes
    print(f"{rounds} kill -9 rounds, {pushed} acknowledged pushes, {popped} acknowledged pops")


def test_mpmc_survives_repeated_kill_9(tmp_path):
    """The label's cursor: an element whose next() was acknowledged is never
    read again, and every acknowledged add is read eventually, in order."""
    rng = random.Random(99)
    rounds, added, read = crash_rounds(str(tmp_path / "log"), str(tmp_path), 15, rng,
                                       durable_every=3, kind="mpmc")
    assert added > rounds and read > 0
    print(f"{rounds} kill -9 rounds, {added} acknowledged adds, {read} acknowledged reads")
