"""Issue 14, item 4: a path holding a NUL byte is refused with a ValueError
naming the argument (as os.open does) by every call taking a path, instead of
reaching RocksDB (whose logger spun forever on it).

Each call runs in a child process with a timeout: before the fix it hung."""

import json
import os
import subprocess
import sys

import pytest

CALLS = {
    "nonblocking fifo": "nonblocking.PersistentQueueWithCapacity(p)",
    "blocking fifo": "blocking.PersistentQueueWithCapacity(p)",
    "nonblocking mpmc": "nonblocking.MpmcQueue(p, 60)",
    "blocking mpmc": "blocking.MpmcQueue(p, 60)",
    "remove_queue": "rocksq.remove_queue(p)",
    "remove_mpmc_queue": "rocksq.remove_mpmc_queue(p)",
    "inspect": "rocksq._rocksq._inspect(p)",
    "peek": "rocksq._rocksq._peek(p, 1, None)",
}

CHILD = r"""
import json, pathlib, sys
import rocksq
from rocksq import blocking, nonblocking
p = sys.argv[1] + "\0tail"
if sys.argv[3] == "pathlike":
    p = pathlib.PurePosixPath(sys.argv[1]) / "a\0b"
try:
    eval(sys.argv[2])
    print(json.dumps(["no error", ""]))
except Exception as e:
    print(json.dumps([type(e).__name__, str(e)]))
"""


@pytest.mark.parametrize("form", ["str", "pathlike"])
@pytest.mark.parametrize("name", sorted(CALLS))
def test_nul_byte_in_path_raises_value_error(tmp_path, name, form):
    base = str(tmp_path / "q")
    try:
        done = subprocess.run([sys.executable, "-c", CHILD, base, CALLS[name], form],
                              capture_output=True, text=True, timeout=30)
    except subprocess.TimeoutExpired:
        pytest.fail(f"{name} hung on a path holding a NUL byte")
    assert done.returncode == 0, done.stderr[-3000:]
    kind, message = json.loads(done.stdout)
    assert kind == "ValueError", (kind, message)
    assert "path" in message and "NUL" in message, message
    # Nothing was created, neither the directory before the NUL nor its parent.
    assert not os.path.exists(base)
    assert os.listdir(tmp_path) == []
