"""Smoke test of an installed rocksq wheel: run by tools/wheels.sh with the
interpreter the wheel was installed for (a virtualenv's, or Debian's python3
in the arm64 root), from a scratch directory.

    python wheel_smoke.py EXPECTED_PREFIX

Asserts that rocksq is imported from EXPECTED_PREFIX (the installed wheel, not
the source tree), that the extension carries its stubs, and pushes and pops
through both queue kinds, across a reopen.
"""

import os
import platform
import sys
import tempfile

import rocksq
from rocksq import StartPosition
from rocksq.blocking import MpmcQueue, PersistentQueueWithCapacity

expected = os.path.realpath(sys.argv[1])
where = os.path.realpath(os.path.dirname(rocksq.__file__))
assert where.startswith(expected), f"rocksq imported from {where}, not from {expected}"
stubs = os.path.join(where, "_rocksq", "__init__.pyi")
assert os.path.exists(stubs), f"no stubs at {stubs}"

with tempfile.TemporaryDirectory() as tmp:
    path = os.path.join(tmp, "q")
    with PersistentQueueWithCapacity(path, max_elements=10) as q:
        q.push([b"a", b"b", b"c"])
        assert q.pop(max_elements=2) == [b"a", b"b"]
    with PersistentQueueWithCapacity(path) as q:
        assert q.pop(max_elements=5) == [b"c"]
    with MpmcQueue(os.path.join(tmp, "m"), 60) as m:
        m.add([b"x", b"y"])
        got = m.next("smoke", StartPosition.Oldest, 5)
        assert got == ([b"x", b"y"], False), got

print(f"smoke: ok, rocksq {rocksq.__version__} on Python {platform.python_version()} "
      f"{platform.machine()} from {where}")
