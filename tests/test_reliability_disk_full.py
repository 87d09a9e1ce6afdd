"""Issue 14, item 1: a full disk.  A push that does not fit raises
rocksq.DiskFullError (a RocksqError) and writes nothing; pops and reads go on
while the disk is full; pushes succeed again by themselves (no reopen) once
there is room; a full queue reopens and drains; nothing acknowledged is lost.

Each test mounts a tmpfs of a few MiB (root only; skipped otherwise)."""

import errno
import os
import subprocess

import pytest

import rocksq
from rocksq import blocking, nonblocking

DISK_BYTES = 8 << 20
ITEM_BYTES = 64 << 10


@pytest.fixture
def small_disk(tmp_path):
    """A directory on a tmpfs of DISK_BYTES, unmounted afterwards."""
    if os.geteuid() != 0:
        pytest.skip("mounting a small tmpfs needs root")
    mount = tmp_path / "disk"
    mount.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={DISK_BYTES}", "tmpfs",
                           str(mount)], capture_output=True, text=True)
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs (a container without CAP_SYS_ADMIN?): {done.stderr}")
    yield mount
    subprocess.run(["umount", "-l", str(mount)], check=True)


def _item(i):
    return b"%08d" % i + bytes([i % 251]) * (ITEM_BYTES - 8)


def _fill(q, path, limit=1000):
    """Pushes items until the disk is full; returns the acknowledged ones."""
    acked = []
    for i in range(limit):
        try:
            q.push([_item(i)])
        except rocksq.DiskFullError as e:
            assert path in str(e), str(e)
            return acked
        acked.append(_item(i))
    pytest.fail(f"{limit} items of {ITEM_BYTES} bytes fit on a disk of {DISK_BYTES}")


def _fill_disk(path):
    """Fills the file system with one file; returns its path."""
    ballast = path / "ballast"
    with open(ballast, "wb", buffering=0) as f:
        for chunk in (b"\0" * (64 << 10), b"\0" * 4096):  # to the last page
            try:
                while True:
                    f.write(chunk)
            except OSError as e:
                assert e.errno == errno.ENOSPC
    return ballast


def test_full_disk_refuses_pushes_serves_pops_and_resumes(small_disk):
    path = str(small_disk / "q")
    q = blocking.PersistentQueueWithCapacity(path)
    acked = _fill(q, path)
    assert len(acked) >= 8  # most of the disk went to items
    assert issubclass(rocksq.DiskFullError, rocksq.RocksqError)
    # Reads and pops go on while the disk is full.
    assert q.len == len(acked) and q.payload_size == len(acked) * ITEM_BYTES
    with pytest.raises(rocksq.DiskFullError):
        q.push([b"still full"])
    popped = q.pop(1)
    for _ in range(len(acked)):
        popped += q.pop(1)
    assert popped == acked
    # Popping freed the space: pushes succeed again, without a reopen.
    q.push([b"after"])
    assert q.pop(10) == [b"after"]
    q.close()


def test_full_queue_reopens_and_drains(small_disk):
    path = str(small_disk / "q")
    q = nonblocking.PersistentQueueWithCapacity(path)
    acked = []
    for i in range(1000):
        try:
            q.push([_item(i)]).get()
        except rocksq.DiskFullError:
            break
        acked.append(_item(i))
    assert len(acked) >= 8
    q.close()
    q = blocking.PersistentQueueWithCapacity(path)
    assert q.len == len(acked)
    assert q.pop(len(acked) + 1) == acked
    q.push([b"after"])
    q.close()


def test_disk_filled_by_others_resumes_once_freed(small_disk):
    """The disk fills up to the last byte behind the queue's back: even its
    pops may fail then (RocksDB has no room for their log), but once space
    is freed the same queue object works again, and lost nothing."""
    q = blocking.PersistentQueueWithCapacity(str(small_disk / "q"))
    acked = [_item(i) for i in range(4)]
    q.push(acked)
    ballast = _fill_disk(small_disk)
    with pytest.raises(rocksq.DiskFullError):
        q.push([_item(99)])
    assert q.len == 4  # reads go on
    popped = []
    try:
        popped = q.pop(1)
    except rocksq.DiskFullError:
        pass  # RocksDB could not write its log: nothing popped
    assert q.len == 4 - len(popped)
    os.remove(ballast)
    q.push([b"after"])
    assert popped + q.pop(10) == acked + [b"after"]
    q.close()
