"""What each open queue costs a process: threads, file descriptors, memory
and the time to open, for N queues opened in one process, shared or not.

    python benchmarks/many_queues.py [--queues 1000] [--shared]

With --shared a second process opens the same queues as a client after this
one (the owner), and its figures are printed too.
"""

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time

import rocksq


def usage():
    return {"threads": len(os.listdir("/proc/self/task")),
            "fds": len(os.listdir("/proc/self/fd")),
            "rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}


def open_all(directory, n, shared):
    before = usage()
    start = time.perf_counter()
    queues = [rocksq.nonblocking.PersistentQueueWithCapacity(
        os.path.join(directory, "q%d" % i), shared=shared) for i in range(n)]
    elapsed = time.perf_counter() - start
    after = usage()
    for q in queues:
        q.push([b"x"]).get()
    return queues, {k: after[k] - before[k] for k in before}, elapsed


def report(who, n, delta, elapsed):
    print("%-22s %5d queues: %6d threads (%.2f/queue), %6d fds (%.2f/queue), "
          "%.0f MiB more peak RSS, opened in %.1f s"
          % (who, n, delta["threads"], delta["threads"] / n, delta["fds"], delta["fds"] / n,
             delta["rss_mib"], elapsed), flush=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--queues", type=int, default=1000)
    parser.add_argument("--shared", action="store_true")
    parser.add_argument("--client-of", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.client_of:
        queues, delta, elapsed = open_all(args.client_of, args.queues, True)
        report("client (shared)", args.queues, delta, elapsed)
        for q in queues:
            q.close()
        return
    directory = tempfile.mkdtemp(prefix="rocksq-many-")
    queues, delta, elapsed = open_all(directory, args.queues, args.shared)
    report("owner (shared)" if args.shared else "one process", args.queues, delta, elapsed)
    if args.shared:
        subprocess.run([sys.executable, __file__, "--queues", str(args.queues),
                        "--client-of", directory], check=True)
    start = time.perf_counter()
    for q in queues:
        q.close()
    print("closed in %.1f s" % (time.perf_counter() - start))


if __name__ == "__main__":
    main()
