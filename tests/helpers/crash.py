"""Crash rounds for the FIFO queue: a child (crash_child.py) pushes and pops
until SIGKILLed at a random moment, many times on the same queue; then every
acknowledged push not acknowledged as popped must still be there, in order,
once, and no acknowledged pop may come back.  Used by
tests/test_reliability_crash.py and tools/crash_soak.py."""

import os
import signal
import subprocess
import sys
import time

from rocksq import StartPosition, blocking

from .fifo import HELPERS

MAX_POP = 16  # crash_child pops at most this many items at once
ROUND_BASE = 10**7  # round r numbers its items from r * ROUND_BASE


def read_lines(path):
    """Complete lines only: a line cut by the kill counts as not written."""
    try:
        with open(path) as f:
            text = f.read()
    except FileNotFoundError:
        return []
    lines = text.split("\n")
    return lines[:-1]  # the part after the last newline is incomplete


def kill_at_a_random_moment(script, args, log, started, rng, latest=0.15):
    """Runs helpers/<script> with args (it prints "ready" once it has opened
    its queue), waits until started(lines of log) holds, then SIGKILLs it at
    a random moment up to latest seconds later."""
    child = subprocess.Popen([sys.executable, os.path.join(HELPERS, script), *args],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        line = child.stdout.readline()
        assert line.strip() == "ready", child.stderr.read()
        deadline = time.monotonic() + 60
        while not started(read_lines(log)):
            assert child.poll() is None, child.stderr.read()
            assert time.monotonic() < deadline, f"{script} did not get going in 60 s"
            time.sleep(0.005)
        time.sleep(rng.uniform(0, latest))  # a random moment, not synchronisation
    finally:
        child.send_signal(signal.SIGKILL)
        child.wait()


def run_round(path, workdir, round_no, rng, durable=False, kind="fifo"):
    """Runs one child until a random moment after it acknowledged something,
    SIGKILLs it; returns (acked pushes, popped list, pop_uncertain)."""
    producer = os.path.join(workdir, f"push-{round_no}.log")
    consumer = os.path.join(workdir, f"pop-{round_no}.log")
    kill_at_a_random_moment(
        "crash_child.py", [path, str(round_no * ROUND_BASE), producer, consumer,
                           "1" if durable else "0", kind],
        producer, bool, rng)
    acked = set()
    for line in read_lines(producer):
        _, lo, hi = line.split()
        acked.update(range(int(lo), int(hi) + 1))
    popped = []
    uncertain = False
    for line in read_lines(consumer):
        if line == "P":
            uncertain = True
        else:
            popped.extend(int(n) for n in line.split()[1:])
            uncertain = False
    return acked, popped, uncertain


def check_round_len(path, acked, popped, uncertain_rounds, kind):
    """After a kill the queue reopens and holds at least what must be there."""
    if kind == "mpmc":  # reading removes nothing
        with blocking.MpmcQueue(path, 3600) as q:
            held = q.len
        assert held >= len(acked), f"the log holds {held} elements, {len(acked)} were acknowledged"
        return
    with blocking.PersistentQueueWithCapacity(path) as q:
        held = q.len
    must_hold = len(acked - set(popped)) - MAX_POP * uncertain_rounds
    assert held >= must_hold, f"the queue holds {held} items, at least {must_hold} expected"


def crash_rounds(path, workdir, rounds, rng, durable_every=0, kind="fifo"):
    """Runs the rounds, then drains the queue (for mpmc: reads the rest under
    the consumer's label) and checks everything.
    Returns (rounds, acknowledged pushes, acknowledged pop items)."""
    acked, popped, uncertain_rounds = set(), [], 0
    for r in range(1, rounds + 1):
        durable = bool(durable_every) and r % durable_every == 0
        a, p, u = run_round(path, workdir, r, rng, durable, kind)
        acked |= a
        popped += p
        uncertain_rounds += u
        check_round_len(path, acked, popped, uncertain_rounds, kind)
    if kind == "mpmc":
        with blocking.MpmcQueue(path, 3600) as q:
            items, expired = q.next("reader", StartPosition.Oldest, 10**9)
            assert not expired
            remaining = [int(x[:12]) for x in items]
    else:
        with blocking.PersistentQueueWithCapacity(path) as q:
            remaining = [int(x[:12]) for x in q.pop(10**9)]
            assert q.len == 0 and q.payload_size == 0
    served = popped + remaining
    # FIFO order across every crash: strictly increasing, so no duplicates and
    # no acknowledged pop served again.
    bad = [(a, b) for a, b in zip(served, served[1:]) if a >= b]
    assert not bad, f"order broken or item served twice: {bad[:5]}"
    missing = sorted(acked - set(served))
    # Only the items of a pop cut by the kill (done, not yet recorded) may be gone.
    assert len(missing) <= MAX_POP * uncertain_rounds, (
        f"{len(missing)} acknowledged items lost: {missing[:10]}")
    return rounds, len(acked), len(popped)
