"""Guarantees 4-6 and durable=True: fork(), interpreter exit with work
pending, corruption reported at open."""

import glob
import json
import multiprocessing
import os
import shutil
import subprocess
import sys

import pytest

import rocksq
from rocksq import blocking, nonblocking

from helpers.fifo import HELPERS, run_helper

ITEMS = [b"item-%05d-" % i + b"y" * 100 for i in range(5000)]


# --- 4. fork ----------------------------------------------------------------

def test_queue_used_after_fork_raises_in_child_and_parent_keeps_working(tmp_path):
    done = run_helper("fork_child.py", tmp_path, timeout=120)
    assert done.returncode == 0, done.stderr[-3000:]
    result = json.loads(done.stdout)
    child = result["child"]
    for call in ("push", "pop", "len", "payload_size", "blocking push", "blocking pop",
                 "blocking len", "mpmc next", "mpmc add", "blocking mpmc add",
                 "blocking mpmc labels"):
        assert child[call].startswith("QueueClosedError") and "fork" in child[call], child[call]
    if "pending get" in child:  # a Response whose operation was in flight at fork()
        assert child["pending get"].startswith("QueueClosedError") and "fork" in child["pending get"]
    assert child["child queue"] == "child"  # a queue opened in the child works
    assert result["child_exit"] == 7  # the child exited normally, with its status
    assert result["parent_pending"] and result["parent_pop"] == ["b"]
    assert result["parent_blocking_pop"] == ["x", "y"] and result["parent_len"] == 64
    assert result["parent_mpmc"] == ["e"] and result["parent_blocking_mpmc_len"] == 1


def _use_inherited_queue(q, results):
    try:
        q.push([b"from child"])
        results.put("no error")
    except rocksq.QueueClosedError as e:
        results.put(str(e))


def test_multiprocessing_fork_child_gets_a_clear_error(qpath):
    q = nonblocking.PersistentQueueWithCapacity(qpath)
    q.push([b"a"]).get()
    context = multiprocessing.get_context("fork")
    results = context.Queue()
    child = context.Process(target=_use_inherited_queue, args=(q, results))
    child.start()
    message = results.get(timeout=60)
    child.join(timeout=60)
    assert child.exitcode == 0
    assert "fork" in message and qpath in message
    assert q.pop(5).get().data == [b"a"]


# --- 5. interpreter exit ----------------------------------------------------

@pytest.mark.parametrize("mode", ["pending", "responses-outlive-queue", "blocking-open"])
def test_exit_with_pending_operations_neither_hangs_nor_crashes_nor_leaks(tmp_path, mode):
    done = run_helper("exit_pending.py", tmp_path, mode, timeout=120)
    assert done.returncode == 0, done.stderr[-3000:]
    assert done.stdout.strip() == "exiting"
    assert "leaked" not in done.stderr, done.stderr[-3000:]
    # Operations pending at exit were completed, not dropped.
    with blocking.PersistentQueueWithCapacity(str(tmp_path / "q")) as q:
        assert q.len == (100 if mode == "blocking-open" else 2000)


def test_exit_with_daemon_threads_waiting_does_not_crash(tmp_path):
    """Daemon threads still waiting in get() and in a back-pressured push at
    exit park instead of aborting the process.  (Python never frees what a
    still-running daemon thread references: nanobind may report those objects
    as leaked, which is not ours to fix.)"""
    done = run_helper("exit_pending.py", tmp_path, "thread-waiting", timeout=120)
    assert done.returncode == 0, done.stderr[-3000:]
    assert "terminate called" not in done.stderr and "Abort" not in done.stderr


# --- 6. corruption ----------------------------------------------------------

def make_queue_on_disk(path):
    """A queue whose items are in an SST file (reopening flushes the log)."""
    with blocking.PersistentQueueWithCapacity(path) as q:
        q.push(ITEMS)
    with blocking.PersistentQueueWithCapacity(path) as q:
        assert q.len == len(ITEMS)
    assert glob.glob(os.path.join(path, "*.sst"))


def serves_nothing_wrong(path):
    """Opens and drains the queue: either a RocksqError, or exactly ITEMS.
    Returns the error."""
    try:
        with blocking.PersistentQueueWithCapacity(path) as q:
            got = q.pop(10**9)
    except rocksq.RocksqError as e:
        assert path in str(e), str(e)
        return e
    assert got == ITEMS, "damaged data was served"
    return None


def damage_files(path, pattern, how):
    files = glob.glob(os.path.join(path, pattern))
    assert files, pattern
    for f in files:
        size = os.path.getsize(f)
        if how == "delete":
            os.remove(f)
        elif how == "truncate":
            os.truncate(f, size // 2)
        else:  # overwrite a stretch in the middle
            with open(f, "r+b") as fh:
                fh.seek(size // 3)
                fh.write(b"\xa5" * max(64, size // 10))


@pytest.mark.parametrize("pattern, how", [
    ("*.sst", "delete"), ("*.sst", "truncate"), ("*.sst", "garbage"),
    ("MANIFEST-*", "delete"), ("MANIFEST-*", "truncate"), ("MANIFEST-*", "garbage"),
    ("CURRENT", "delete"),
])
def test_damaged_database_is_reported_not_served(tmp_path, pattern, how):
    path = str(tmp_path / "q")
    make_queue_on_disk(path)
    damage_files(path, pattern, how)
    error = serves_nothing_wrong(path)
    assert error is not None, f"{how} {pattern} went unnoticed"


def test_damaged_write_ahead_log_is_reported_not_skipped(tmp_path):
    path = str(tmp_path / "q")
    with blocking.PersistentQueueWithCapacity(path) as q:
        for item in ITEMS[:200]:
            q.push([item])  # 200 records in the log
    log = max(glob.glob(os.path.join(path, "*.log")), key=os.path.getsize)
    with open(log, "r+b") as f:
        f.seek(os.path.getsize(log) // 2)
        f.write(b"\xff" * 64)
    with pytest.raises(rocksq.CorruptionError, match="Corruption"):
        blocking.PersistentQueueWithCapacity(path)


def test_log_cut_short_by_a_crash_keeps_every_complete_record(tmp_path):
    """What kill -9 can do to the log (cut its last record) is not an error."""
    path = str(tmp_path / "q")
    with blocking.PersistentQueueWithCapacity(path) as q:
        for item in ITEMS[:200]:
            q.push([item])
    log = max(glob.glob(os.path.join(path, "*.log")), key=os.path.getsize)
    os.truncate(log, os.path.getsize(log) - 50)
    with blocking.PersistentQueueWithCapacity(path) as q:
        assert q.pop(1000) == ITEMS[:199]


def test_directory_with_files_but_no_current_is_refused(tmp_path):
    path = tmp_path / "q"
    path.mkdir()
    (path / "precious.txt").write_bytes(b"keep")
    with pytest.raises(rocksq.RocksqError, match="CURRENT"):
        nonblocking.PersistentQueueWithCapacity(str(path))
    assert os.listdir(path) == ["precious.txt"]


# --- durable=True -----------------------------------------------------------

@pytest.mark.parametrize("module", [blocking, nonblocking], ids=["blocking", "nonblocking"])
def test_durable_queue_works_and_persists(module, qpath):
    q = module.PersistentQueueWithCapacity(qpath, durable=True)
    r = q.push([b"a", b"b"])
    if module is nonblocking:
        r.get()
    q.close()
    q = module.PersistentQueueWithCapacity(qpath, durable=False)  # reopening either way
    got = q.pop(5)
    assert (got.get().data if module is nonblocking else got) == [b"a", b"b"]
