"""Issue 14, item 2: two processes opening the same queue at once, new (its
directory does not exist yet) or existing: exactly one opens it, the other
gets AlreadyOpenError, every round, and the queue is intact afterwards.

Before the fix a new path gave the loser a false CorruptionError (it saw the
winner's half-created database) or an IO error from RocksDB's logger."""

import json
import subprocess
import sys

import pytest

import rocksq
from rocksq import blocking

from helpers.fifo import HELPERS

ROUNDS = 20


def _open(kind, path):
    if kind == "fifo":
        return blocking.PersistentQueueWithCapacity(path)
    return blocking.MpmcQueue(path, 3600)


def _race(kind, paths):
    """Runs the rounds in two helper processes; returns [(result, result)]."""
    children = [
        subprocess.Popen([sys.executable, f"{HELPERS}/race_open.py", kind, *paths],
                         stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        for _ in range(2)]
    rounds = []
    try:
        for _ in paths:
            for child in children:  # both are about to open: release them together
                assert child.stdout.readline() == "ready\n"
            for child in children:
                child.stdin.write("go\n")
                child.stdin.flush()
            results = tuple(json.loads(child.stdout.readline()) for child in children)
            rounds.append(results)
            for child in children:
                child.stdin.write("close\n")
                child.stdin.flush()
        for child in children:
            child.stdin.close()
            assert child.wait(timeout=60) == 0
    finally:
        for child in children:
            if child.poll() is None:
                child.kill()
                child.wait()
    return rounds


def _fill(kind, path):
    q = _open(kind, path)
    if kind == "fifo":
        q.push([b"kept"])
    else:
        q.add([b"kept"])
    q.close()


def _held(kind, path):
    q = _open(kind, path)
    try:
        if kind == "fifo":
            return q.pop(10)
        return q.next("check", rocksq.StartPosition.Oldest, 10)[0]
    finally:
        q.close()


@pytest.mark.parametrize("state", ["new", "existing"])
@pytest.mark.parametrize("kind", ["fifo", "mpmc"])
def test_exactly_one_of_two_racing_opens_wins(tmp_path, kind, state):
    paths = [str(tmp_path / f"q{i}" / "queue") for i in range(ROUNDS)]
    if state == "existing":
        for path in paths:
            _fill(kind, path)
    rounds = _race(kind, paths)
    for path, results in zip(paths, rounds):
        kinds = sorted(r[0] for r in results)
        assert kinds == ["AlreadyOpenError", "opened"], (path, results)
        loser = next(r[1] for r in results if r[0] != "opened")
        assert path in loser, loser
        assert _held(kind, path) == ([b"kept"] if state == "existing" else [])
