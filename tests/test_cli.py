"""The rocksq command line tool (rocksq info / rocksq peek), run in subprocesses."""

import base64
import json
import os
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

import rocksq
from rocksq import blocking


def run_cli(*args, check=True):
    """Runs `python -m rocksq ARGS`; returns the CompletedProcess."""
    result = subprocess.run(
        [sys.executable, "-m", "rocksq", *map(str, args)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    if check:
        assert result.returncode == 0, result.stderr
    return result


def cli_json(*args):
    return json.loads(run_cli(*args, "--json").stdout)


def make_fifo(path, pushes, pops=0):
    with blocking.PersistentQueueWithCapacity(path) as q:
        for items in pushes:
            q.push(items)
        if pops:
            q.pop(pops)


def test_info_fifo_text_and_json(qpath):
    make_fifo(qpath, [[b"a", b"bb", b"ccc"]], pops=1)
    text = run_cli("info", qpath).stdout
    assert "kind:         fifo" in text
    assert "len:          2" in text
    assert "payload_size: 5 B" in text
    info = cli_json("info", qpath)
    assert info["kind"] == "fifo"
    assert info["len"] == 2
    assert info["payload_size"] == 5
    assert info["disk_size"] > 0
    assert info["path"] == qpath
    assert "labels" not in info


def test_peek_does_not_consume_and_crosses_segments(qpath):
    # Three pushes make three segments; popping 2 leaves the head mid-segment.
    make_fifo(qpath, [[b"1", b"2", b"3"], [b"4"], [b"5", b"6"]], pops=2)
    items = cli_json("peek", qpath, "-n", 3)["items"]
    assert [i["text"] for i in items] == ["3", "4", "5"]
    assert [i["size"] for i in items] == [1, 1, 1]
    assert [i["text"] for i in cli_json("peek", qpath, "-n", 100)["items"]] == ["3", "4", "5", "6"]
    assert cli_json("peek", qpath, "-n", 0)["items"] == []
    assert run_cli("peek", qpath, "-n", 1).stdout.splitlines() == ["0  b'3'"]
    with blocking.PersistentQueueWithCapacity(qpath) as q:
        assert q.pop(10) == [b"3", b"4", b"5", b"6"]


def test_peek_binary_and_long_items(qpath):
    long_item = bytes(range(256)) * 4
    make_fifo(qpath, [[b"\xff\x00", long_item]])
    items = cli_json("peek", qpath)["items"]
    assert items[0]["text"] is None
    assert [base64.b64decode(i["base64"]) for i in items] == [b"\xff\x00", long_item]
    text = run_cli("peek", qpath).stdout
    assert "(1024 bytes)" in text and len(text) < 600


def test_empty_queue(qpath):
    make_fifo(qpath, [])
    assert cli_json("info", qpath)["len"] == 0
    assert cli_json("peek", qpath)["items"] == []
    assert "(no items)" in run_cli("peek", qpath).stdout


HOLDER = textwrap.dedent(
    """
    import sys
    from rocksq.blocking import PersistentQueueWithCapacity
    q = PersistentQueueWithCapacity(sys.argv[1])
    for line in sys.stdin:
        command, _, arg = line.strip().partition(" ")
        if command == "push":
            q.push([x.encode() for x in arg.split(",")])
        elif command == "pop":
            q.pop(int(arg))
        print("done", flush=True)
    q.close()
    """
)


@pytest.fixture
def holder(qpath):
    """A process that keeps the queue at qpath open and runs commands sent to it."""
    proc = subprocess.Popen(
        [sys.executable, "-c", HOLDER, qpath],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )

    def send(command):
        proc.stdin.write(command + "\n")
        proc.stdin.flush()
        assert proc.stdout.readline().strip() == "done"

    yield send
    proc.stdin.close()
    assert proc.wait(timeout=30) == 0


def test_works_while_another_process_has_the_queue_open(qpath, holder):
    holder("push a,b,c,d")
    # The queue really is held: opening it for writing here fails.
    with pytest.raises(rocksq.AlreadyOpenError):
        blocking.PersistentQueueWithCapacity(qpath)
    assert cli_json("info", qpath)["len"] == 4
    assert [i["text"] for i in cli_json("peek", qpath, "-n", 2)["items"]] == ["a", "b"]
    holder("pop 3")
    holder("push e")
    # Each run sees every write acknowledged before it started.
    info = cli_json("info", qpath)
    assert (info["len"], info["payload_size"]) == (2, 2)
    assert [i["text"] for i in cli_json("peek", qpath)["items"]] == ["d", "e"]
    # Inspection took no lock and changed nothing: the holder goes on.
    holder("pop 1")
    assert [i["text"] for i in cli_json("peek", qpath)["items"]] == ["e"]


CHURNER = textwrap.dedent(
    """
    import sys
    from rocksq.blocking import PersistentQueueWithCapacity
    q = PersistentQueueWithCapacity(sys.argv[1])
    q.push([b"first"])
    print("ready", flush=True)
    while True:  # fills memtables fast, so RocksDB flushes and deletes files
        q.push([b"x" * 4096] * 64)
        q.pop(64)
    """
)


def test_info_and_peek_beside_a_busy_writer(qpath):
    proc = subprocess.Popen([sys.executable, "-c", CHURNER, qpath], stdout=subprocess.PIPE,
                            text=True)
    try:
        assert proc.stdout.readline().strip() == "ready"
        for _ in range(10):
            info = cli_json("info", qpath)
            # Pushes and pops of 64 commit one at a time: 1 to 65 items held.
            assert 1 <= info["len"] <= 65 and info["payload_size"] >= 4096 * (info["len"] - 1)
            assert cli_json("peek", qpath, "-n", 1)["items"][0]["size"] in (5, 4096)
    finally:
        proc.kill()
        proc.wait(timeout=30)


def test_errors_exit_nonzero_with_a_message(qpath, tmp_path):
    missing = run_cli("info", tmp_path / "missing", check=False)
    assert missing.returncode == 1
    assert "missing" in missing.stderr and "no queue there" in missing.stderr
    make_fifo(qpath, [[b"x"]])
    labelled = run_cli("peek", qpath, "--label", "reader", check=False)
    assert labelled.returncode == 1 and "no labels" in labelled.stderr
    negative = run_cli("peek", qpath, "-n", -1, check=False)
    assert negative.returncode == 2 and "-n" in negative.stderr
    usage = run_cli(check=False)
    assert usage.returncode == 2


def test_console_script(qpath):
    script = Path(sys.executable).parent / "rocksq"
    if not script.exists():
        pytest.skip("rocksq is not installed as a console script beside this interpreter")
    make_fifo(qpath, [[b"x"]])
    result = subprocess.run(
        [str(script), "info", qpath, "--json"], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["len"] == 1
    version = subprocess.run([str(script), "--version"], capture_output=True, text=True)
    assert version.stdout.strip() == f"rocksq {rocksq.__version__}"


def test_inspect_functions(qpath):
    make_fifo(qpath, [[b"a", b"b"]])
    from rocksq._rocksq import _inspect, _peek

    assert _inspect(os.fspath(Path(qpath)))["len"] == 2
    assert _peek(Path(qpath), 1) == [b"a"]
    with pytest.raises(TypeError):
        _peek(qpath, "1")
    with pytest.raises(ValueError):
        _peek(qpath, -1)


# ---- MPMC logs

HOUR = 3600


def make_mpmc(path, ttl, adds, reads=()):
    """Adds each batch, then reads (label, n) pairs from the oldest element."""
    with blocking.MpmcQueue(path, ttl) as log:
        for items in adds:
            log.add(items)
        for label, n in reads:
            log.next(label, rocksq.StartPosition.Oldest, n)


def test_info_mpmc_reports_ttl_age_and_label_lags(qpath):
    make_mpmc(qpath, HOUR, [[b"a", b"bb"], [b"ccc"], [b"dddd"]],
              reads=[("billing", 3), ("audit", 1), ("done", 4)])
    info = cli_json("info", qpath)
    assert info["kind"] == "mpmc"
    assert (info["len"], info["payload_size"]) == (4, 10)
    assert info["ttl"] == HOUR
    assert 0 <= info["oldest_age"] < 60
    assert info["labels"] == {"audit": 3, "billing": 1, "done": 0}
    assert list(info["labels"]) == ["audit", "billing", "done"]
    text = run_cli("info", qpath).stdout
    assert "kind:         mpmc" in text and "ttl:          1h 00m 00s" in text
    assert any(line.split() == ["billing", "1"] for line in text.splitlines())


def test_info_mpmc_ttl_is_that_of_the_last_open(qpath):
    make_mpmc(qpath, HOUR, [])
    assert cli_json("info", qpath)["ttl"] == HOUR
    make_mpmc(qpath, 90, [])
    info = cli_json("info", qpath)
    assert (info["ttl"], info["len"], info["oldest_age"], info["labels"]) == (90, 0, None, {})


def test_peek_mpmc_from_oldest_or_a_label_without_moving_it(qpath):
    make_mpmc(qpath, HOUR, [[b"1", b"2", b"3"], [b"4", b"5"]], reads=[("r", 2)])
    texts = lambda *args: [i["text"] for i in cli_json("peek", qpath, *args)["items"]]
    assert texts("-n", 4) == ["1", "2", "3", "4"]
    assert texts("--label", "r", "-n", 2) == ["3", "4"]
    assert texts("--label", "r") == ["3", "4", "5"]
    unknown = run_cli("peek", qpath, "--label", "nobody", check=False)
    assert unknown.returncode == 1 and "no label 'nobody'" in unknown.stderr
    assert "labels: r" in unknown.stderr
    with blocking.MpmcQueue(qpath, HOUR) as log:
        assert log.next("r", rocksq.StartPosition.Oldest, 10) == ([b"3", b"4", b"5"], False)


def test_mpmc_expired_elements_are_not_counted(qpath):
    make_mpmc(qpath, 1, [[b"old"]], reads=[("r", 0)])
    # The log is closed, so nothing deletes the expired element: inspection
    # itself must leave it out once its second has passed.
    deadline = time.monotonic() + 10
    while cli_json("info", qpath)["len"] != 0:
        assert time.monotonic() < deadline, "the expired element is still counted"
        time.sleep(0.05)
    assert cli_json("peek", qpath)["items"] == []
    assert cli_json("info", qpath)["oldest_age"] is None


MPMC_HOLDER = textwrap.dedent(
    """
    import sys
    from rocksq import StartPosition
    from rocksq.blocking import MpmcQueue
    log = MpmcQueue(sys.argv[1], 3600)
    for line in sys.stdin:
        command, _, arg = line.strip().partition(" ")
        if command == "add":
            log.add([x.encode() for x in arg.split(",")])
        elif command == "next":
            label, n = arg.split()
            log.next(label, StartPosition.Oldest, int(n))
        print("done", flush=True)
    log.close()
    """
)


def test_mpmc_while_another_process_has_the_log_open(qpath):
    proc = subprocess.Popen([sys.executable, "-c", MPMC_HOLDER, qpath],
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)

    def send(command):
        proc.stdin.write(command + "\n")
        proc.stdin.flush()
        assert proc.stdout.readline().strip() == "done"

    try:
        send("add a,b,c")
        send("next r 1")
        info = cli_json("info", qpath)
        assert (info["len"], info["ttl"], info["labels"]) == (3, HOUR, {"r": 2})
        send("add d")
        send("next r 2")
        assert cli_json("info", qpath)["labels"] == {"r": 1}
        assert [i["text"] for i in cli_json("peek", qpath, "--label", "r")["items"]] == ["d"]
    finally:
        proc.stdin.close()
        assert proc.wait(timeout=30) == 0
