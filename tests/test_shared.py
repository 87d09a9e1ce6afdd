"""Several processes on one queue (shared=True): every operation from a
client process behaves as in the owner, errors cross as the same
exceptions, and the queue survives its owner closing (handover: nothing
lost) or being killed (takeover: only operations in flight are unknown)."""

import os
import random
import signal
import stat
import subprocess
import sys
import time

import pytest

import rocksq
from rocksq import StartPosition, blocking, nonblocking

from helpers import traces
from helpers.crash import read_lines

HELPERS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "helpers")
TTL = 3600


def spawn(role, kind, path, log, stop, first_id=0):
    child = subprocess.Popen(
        [sys.executable, os.path.join(HELPERS, "shared_child.py"), role, kind, path, log, stop,
         str(first_id)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    line = child.stdout.readline()
    assert line.strip() == "ready", child.stderr.read()
    return child


class Owner:
    """Another process that opened the queue first: this one is a client."""

    def __init__(self, kind, path, tmp_path):
        self.stop = str(tmp_path / ("stop-owner-%d" % random.getrandbits(32)))
        self.child = spawn("owner", kind, path, os.devnull, self.stop)

    def close(self):
        open(self.stop, "w").close()
        assert self.child.wait(timeout=60) == 0, self.child.stderr.read()

    def kill(self):
        self.child.send_signal(signal.SIGKILL)
        self.child.wait(timeout=60)


@pytest.fixture
def fifo_owner(qpath, tmp_path):
    owner = Owner("fifo", qpath, tmp_path)
    yield owner
    if owner.child.poll() is None:
        owner.close()


@pytest.fixture
def mpmc_owner(qpath, tmp_path):
    owner = Owner("mpmc", qpath, tmp_path)
    yield owner
    if owner.child.poll() is None:
        owner.close()


# ---- Every operation from a client.

def test_a_client_runs_every_fifo_operation(qpath, fifo_owner):
    q = blocking.PersistentQueueWithCapacity(qpath, shared=True)
    assert q.len == 0 and q.is_empty
    q.push([b"a", b"b", b""])
    assert (q.len, q.payload_size) == (3, 2)
    assert q.peek(2) == [b"a", b"b"]
    r = q.reserve(2, lease_seconds=30)
    assert (r.data, r.deliveries, q.reserved) == ([b"a", b"b"], 1, 2)
    assert q.pop(5) == [b""]
    q.release(r.lease)
    assert q.pop(1) == [b"a"]
    r = q.reserve(1)
    q.ack(r.lease)
    with pytest.raises(rocksq.LeaseError):
        q.ack(r.lease)
    assert q.len == 0 and q.disk_size > 0
    q.close()


def test_a_client_runs_every_mpmc_operation(qpath, mpmc_owner):
    log = blocking.MpmcQueue(qpath, TTL, shared=True)
    log.add([b"1", b"2", b"3"])
    assert log.len == 3 and log.payload_size == 3 and not log.is_empty
    assert log.next("a", StartPosition.Oldest, 2) == ([b"1", b"2"], False)
    assert log.peek("b", StartPosition.Oldest, 5) == ([b"1", b"2", b"3"], False)
    assert log.next("b", StartPosition.Oldest, 1, commit=False) == ([b"1"], False)
    log.commit("b")
    assert log.labels == ["a", "b"]
    assert log.remove_label("a") is True and log.remove_label("a") is False
    assert log.disk_size > 0
    log.close()


def test_labels_and_items_are_shared_between_processes(qpath, tmp_path):
    owner = blocking.MpmcQueue(qpath, TTL, shared=True)
    owner.add([b"x", b"y"])
    assert owner.next("l", StartPosition.Oldest, 1) == ([b"x"], False)
    # A client process reads label l on from where the owner left it.
    code = ("import rocksq, sys; q = rocksq.blocking.MpmcQueue(sys.argv[1], 3600, shared=True); "
            "print(q.next('l', rocksq.StartPosition.Oldest, 5)[0], q.labels); q.close()")
    out = subprocess.run([sys.executable, "-c", code, qpath], capture_output=True, text=True,
                         timeout=60)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "[b'y'] ['l']"
    assert owner.next("l", StartPosition.Oldest, 5) == ([], False)
    owner.close()


def test_a_client_waits_for_an_item_pushed_by_the_owner(qpath, tmp_path):
    owner = nonblocking.PersistentQueueWithCapacity(qpath, shared=True)
    code = ("import rocksq, sys; q = rocksq.blocking.PersistentQueueWithCapacity(sys.argv[1], "
            "shared=True); print('ready', flush=True); print(q.pop(1, timeout=None)); q.close()")
    child = subprocess.Popen([sys.executable, "-c", code, qpath], stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True)
    assert child.stdout.readline().strip() == "ready"
    # The client's pop waits in the owner, parked: it shows there.
    deadline = time.monotonic() + 60
    while owner.inflight_ops == 0:
        assert time.monotonic() < deadline and child.poll() is None, child.stderr.read()
        time.sleep(0.001)
    owner.push([b"late"]).get()
    out, err = child.communicate(timeout=60)
    assert out.strip() == "[b'late']", err
    owner.close()


def test_nonblocking_clients_pipeline_in_order(qpath, fifo_owner):
    q = nonblocking.PersistentQueueWithCapacity(qpath, max_inflight_ops=8, shared=True)
    pushes = [q.push([str(i).encode()]) for i in range(500)]
    pops = [q.pop(1) for _ in range(500)]
    for p in pushes:
        p.get()
    assert [p.get().data[0] for p in pops] == [str(i).encode() for i in range(500)]
    assert q.inflight_ops == 0
    q.close()


def test_errors_cross_as_the_same_exceptions(qpath, tmp_path):
    owner = blocking.PersistentQueueWithCapacity(qpath, max_elements=2, shared=True)
    code = r"""
import rocksq, sys
q = rocksq.blocking.PersistentQueueWithCapacity(sys.argv[1], max_elements=2, shared=True)
q.push([b"1", b"2"])
for call in (lambda: q.push([b"3"]), lambda: q.ack(12345), lambda: q.release(7)):
    try:
        call()
    except Exception as e:
        print(type(e).__name__)
print(q.len)
q.close()
"""
    out = subprocess.run([sys.executable, "-c", code, qpath], capture_output=True, text=True,
                         timeout=60)
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == ["QueueFullError", "LeaseError", "LeaseError", "2"]
    assert owner.pop(5) == [b"1", b"2"]
    owner.close()


# ---- Who may open, and with what.

def test_an_unshared_queue_refuses_a_second_process_at_once(qpath, tmp_path):
    q = blocking.PersistentQueueWithCapacity(qpath)
    code = ("import rocksq, sys, time; t = time.monotonic()\n"
            "try:\n  rocksq.blocking.PersistentQueueWithCapacity(sys.argv[1], shared=True)\n"
            "except rocksq.AlreadyOpenError as e:\n  print('refused', time.monotonic() - t, e)")
    out = subprocess.run([sys.executable, "-c", code, qpath], capture_output=True, text=True,
                         timeout=60)
    assert out.stdout.startswith("refused"), out.stderr
    assert "shared=False" in out.stdout
    q.close()


def test_shared_false_still_gets_already_open(qpath, fifo_owner):
    with pytest.raises(rocksq.AlreadyOpenError):
        blocking.PersistentQueueWithCapacity(qpath)


def test_a_second_open_in_one_process_raises_already_open(qpath, fifo_owner):
    q = blocking.PersistentQueueWithCapacity(qpath, shared=True)  # a client
    with pytest.raises(rocksq.AlreadyOpenError):
        nonblocking.PersistentQueueWithCapacity(qpath, shared=True)
    with pytest.raises(rocksq.AlreadyOpenError):
        blocking.PersistentQueueWithCapacity(qpath)
    q.close()
    owner = blocking.PersistentQueueWithCapacity(str(qpath) + "-2", shared=True)
    with pytest.raises(rocksq.AlreadyOpenError):
        blocking.PersistentQueueWithCapacity(str(qpath) + "-2", shared=True)
    owner.close()


def test_a_client_must_agree_with_the_owner(qpath, fifo_owner):
    with pytest.raises(ValueError, match="max_elements"):
        blocking.PersistentQueueWithCapacity(qpath, max_elements=5, shared=True)
    with pytest.raises(ValueError, match="durable"):
        blocking.PersistentQueueWithCapacity(qpath, durable=True, shared=True)
    with pytest.raises(rocksq.RocksqError, match="another kind"):
        blocking.MpmcQueue(qpath, TTL, shared=True)


def test_the_socket_is_private(qpath, tmp_path):
    q = blocking.PersistentQueueWithCapacity(qpath, shared=True)
    mode = os.stat(os.path.join(qpath, "rocksq.sock")).st_mode
    assert stat.S_ISSOCK(mode) and stat.S_IMODE(mode) == 0o600
    q.close()
    assert not os.path.exists(os.path.join(qpath, "rocksq.sock"))


def test_a_world_writable_directory_is_refused(qpath):
    os.makedirs(qpath)
    os.chmod(qpath, 0o777)
    with pytest.raises(rocksq.RocksqError, match="writable by every user"):
        blocking.PersistentQueueWithCapacity(qpath, shared=True)


def test_a_long_path_works(tmp_path):
    path = str(tmp_path / ("d" * 120) / "queue")  # longer than a socket address holds
    q = blocking.PersistentQueueWithCapacity(path, shared=True)
    code = ("import rocksq, sys; q = rocksq.blocking.PersistentQueueWithCapacity(sys.argv[1], "
            "shared=True); q.push([b'far']); q.close()")
    out = subprocess.run([sys.executable, "-c", code, path], capture_output=True, text=True,
                         timeout=60)
    assert out.returncode == 0, out.stderr
    assert q.pop() == [b"far"]
    q.close()


# ---- The same random traces, with two processes taking turns.

@pytest.mark.parametrize("kind", ["fifo", "mpmc"])
def test_two_processes_give_the_results_of_one(tmp_path, kind):
    assert traces.check_traces(kind, sys.executable, tmp_path, range(4), 400, ours=True,
                               two_processes=True) == []


# ---- The owner goes away.

def test_a_clean_handover_loses_nothing(qpath, fifo_owner):
    """Requests in flight while the owner closes go to the next owner (this
    process, here): none fails."""
    q = nonblocking.PersistentQueueWithCapacity(qpath, max_inflight_ops=64, shared=True)
    responses = [q.push([str(i).encode()]) for i in range(200)]
    fifo_owner.close()
    responses += [q.push([str(i).encode()]) for i in range(200, 400)]
    for r in responses:
        r.get()
    assert [x.decode() for x in q.pop(1000).get().data] == [str(i) for i in range(400)]
    q.close()


def test_a_client_takes_over_when_the_owner_is_killed(qpath, fifo_owner):
    q = blocking.PersistentQueueWithCapacity(qpath, shared=True)
    q.push([b"before"])
    fifo_owner.kill()
    # The next call finds the owner gone and this process takes over.
    q.push([b"after"])
    assert q.pop(5) == [b"before", b"after"]
    q.close()


def run_crash_round(kind, path, tmp_path, round_no, rng):
    """An owner and a producer and consumer (clients): the owner is killed
    at a random moment; the clients go on through the takeover, then stop.
    Returns the producer's and the consumer's logs."""
    stop = str(tmp_path / ("stop-%d" % round_no))
    produced = str(tmp_path / ("produced-%d" % round_no))
    consumed = str(tmp_path / ("consumed-%d" % round_no))
    owner = spawn("owner", kind, path, os.devnull, stop)
    producer = spawn("producer", kind, path, produced, stop, round_no * 10**6)
    consumer = spawn("consumer", kind, path, consumed, stop)
    try:
        deadline = time.monotonic() + 60
        while not read_lines(produced):
            assert time.monotonic() < deadline, "the producer did not start"
            time.sleep(0.002)
        time.sleep(rng.uniform(0, 0.3))  # a random moment, not synchronisation
        owner.send_signal(signal.SIGKILL)
        owner.wait(timeout=60)
        killed_at = time.monotonic()
        # Both clients go on: each acknowledges something after the kill.
        for log in (produced, consumed):
            while not any(float(line.split()[-1]) > killed_at for line in read_lines(log)
                          if line.startswith(("ack", "got"))):
                assert time.monotonic() < deadline + 60, "no progress after the takeover"
                for child in (producer, consumer):
                    assert child.poll() is None, child.stderr.read()
                time.sleep(0.002)
    finally:
        open(stop, "w").close()
        for child in (producer, consumer):
            assert child.wait(timeout=60) == 0, child.stderr.read()
    return read_lines(produced), read_lines(consumed), killed_at


@pytest.mark.parametrize("kind", ["fifo", "mpmc"])
def test_killing_the_owner_loses_no_acknowledged_item(qpath, tmp_path, kind):
    rng = random.Random(12)
    acked, unknown_pushes, popped, lost_pops = [], set(), [], 0
    for round_no in range(1, 21):
        produced, consumed, _ = run_crash_round(kind, qpath, tmp_path, round_no, rng)
        for line in produced:
            word, n = line.split()[:2]
            (acked.append if word == "ack" else unknown_pushes.add)(int(n))
        for line in consumed:
            if line == "lost":
                lost_pops += 1
            else:
                popped.extend(int(x) for x in line.split()[1:-1])
    if kind == "fifo":
        q = blocking.PersistentQueueWithCapacity(qpath)
        left = [int(x) for x in q.pop(10**6)]
    else:
        q = blocking.MpmcQueue(qpath, TTL)
        left = [int(x) for x in q.next("shared", StartPosition.Oldest, 10**6)[0]]
    q.close()
    served = popped + left
    # Nothing twice, in order (one producer), nothing that was never pushed.
    assert len(set(served)) == len(served)
    assert served == sorted(served)
    assert set(served) <= set(acked) | unknown_pushes
    # Every acknowledged item is served, but those an unknown pop may have
    # taken (BATCH at most each).
    missing = set(acked) - set(served)
    assert len(missing) <= 4 * lost_pops, (len(missing), lost_pops)


def test_closing_a_client_ends_its_waiting_reads(qpath, fifo_owner):
    q = nonblocking.PersistentQueueWithCapacity(qpath, shared=True)
    waiting = [q.pop(1, timeout=None), q.reserve(1, timeout=None)]
    q.close()  # returns: the owner ended both with what there was
    assert waiting[0].get().data == [] and waiting[1].get().data == []
    again = blocking.PersistentQueueWithCapacity(qpath, shared=True)
    again.push([b"kept"])
    assert again.pop(5) == [b"kept"]
    again.close()
