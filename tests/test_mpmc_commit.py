"""MPMC reads that commit later: next(..., commit=False) moves a label's
cursor in memory only, commit(label) makes it durable; after a reopen or
kill -9 the label resumes after its last committed read."""

import random

import pytest

from rocksq import StartPosition, blocking, nonblocking

from helpers.crash import kill_at_a_random_moment, read_lines

OLDEST = StartPosition.Oldest


def test_reads_not_committed_are_delivered_again(qpath):
    log = nonblocking.MpmcQueue(qpath, 3600)
    log.add([b"a", b"b", b"c"]).get()
    assert log.next("x", OLDEST, 2, commit=False).get().data == ([b"a", b"b"], False)
    assert log.next("x", OLDEST, 2, commit=False).get().data == ([b"c"], False)
    assert log.labels.get().labels == []  # never committed
    assert log.peek("x", OLDEST, 5).get().data == ([b"a", b"b", b"c"], False)
    log.close()
    log = blocking.MpmcQueue(qpath, 3600)
    assert log.next("x", OLDEST, 5) == ([b"a", b"b", b"c"], False)
    log.close()


def test_commit_makes_the_position_durable(qpath):
    log = blocking.MpmcQueue(qpath, 3600)
    log.add([b"a", b"b", b"c", b"d"])
    assert log.next("x", OLDEST, 2, commit=False) == ([b"a", b"b"], False)
    assert log.commit("x") is None
    assert log.labels == ["x"]
    assert log.next("x", OLDEST, 1, commit=False) == ([b"c"], False)
    assert log.peek("x", OLDEST, 5) == ([b"c", b"d"], False)  # the committed position
    log.close()
    log = nonblocking.MpmcQueue(qpath, 3600)
    assert log.next("x", OLDEST, 5).get().data == ([b"c", b"d"], False)
    log.close()


@pytest.mark.parametrize("cls", [blocking.MpmcQueue, nonblocking.MpmcQueue])
def test_bad_commits_raise(qpath, cls):
    log = cls(qpath, 3600)

    def call(response):
        return response.get() if cls is nonblocking.MpmcQueue else response

    with pytest.raises(ValueError, match="there is no label 'nobody'"):
        call(log.commit("nobody"))
    with pytest.raises(TypeError, match="label must be a str"):
        log.commit(b"x")
    with pytest.raises(TypeError, match="commit must be True or False"):
        log.next("x", OLDEST, 1, commit=1)
    with pytest.raises(TypeError, match="commit must be True or False"):
        log.next("x", OLDEST, 1, commit=None)
    labels = log.labels if cls is blocking.MpmcQueue else log.labels.get().labels
    assert labels == []
    log.close()


def test_a_label_resumes_after_its_last_commit_after_kill_9(tmp_path):
    """Rounds on one log: add numbered elements, let a consumer read with
    commit=False and commit now and then until SIGKILLed.  Afterwards the
    label reads on right after its last acknowledged commit (or after the
    commit the kill cut, if that one landed): nothing committed comes back,
    nothing after it is skipped, order kept."""
    path = str(tmp_path / "log")
    rng = random.Random(11)
    added = 0
    for round_no in range(8):
        log = blocking.MpmcQueue(path, 3600)
        log.add([str(n).encode() for n in range(added, added + 300)])
        added += 300
        log.close()
        out = str(tmp_path / ("round-%d.log" % round_no))
        kill_at_a_random_moment(
            "commit_child.py", [path, out, str(round_no)], out,
            lambda lines: any(line.startswith("committed") for line in lines), rng, latest=0.05)

        committed, cut = None, None
        for line in read_lines(out):
            kind, last = line.split()
            if kind == "committing":
                cut = int(last)
            else:
                committed, cut = int(last), None
        log = nonblocking.MpmcQueue(path, 3600)
        resumed = log.peek("worker", OLDEST, 1).get().data[0]
        rest = [int(x) for x in log.next("worker", OLDEST, 10**6).get().data[0]]
        log.close()
        assert [int(x) for x in resumed] == rest[:1]
        starts = {committed + 1} | ({cut + 1} if cut is not None else set())
        start = rest[0] if rest else added
        assert start in starts, "round %d" % round_no
        assert rest == list(range(start, added)), "round %d" % round_no
        # The parent read everything: the next round's consumer starts there.
        log = blocking.MpmcQueue(path, 3600)
        assert log.next("worker", OLDEST, 1) == ([], False)
        log.close()
