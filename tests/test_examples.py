"""The examples run and check themselves (each exits non-zero on failure)."""

import os
import subprocess
import sys

EXAMPLES = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "examples")


def test_worker_pool_loses_no_job_when_a_worker_is_killed(tmp_path):
    done = subprocess.run([sys.executable, os.path.join(EXAMPLES, "worker_pool.py"),
                           str(tmp_path)], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "2000 of 2000 jobs done" in done.stdout
    assert "dead letters: [b'poison']" in done.stdout


def test_four_producer_and_four_consumer_processes_lose_nothing(tmp_path):
    done = subprocess.run([sys.executable, os.path.join(EXAMPLES, "multiprocess.py"),
                           str(tmp_path)], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "consumed 8000 jobs" in done.stdout and ", 0 left in the queue" in done.stdout
    assert "every job consumed exactly once" in done.stdout
