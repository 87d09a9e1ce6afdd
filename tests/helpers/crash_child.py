"""The victim of the crash test: opens a non-blocking FIFO queue and, until it
is killed, pushes numbered items from one thread and pops from another,
recording each step in append-only files (one os.write per line: a line
written before SIGKILL survives it, the page cache outlives the process).

argv: path first_number producer_record consumer_record durable(0|1) kind(fifo|mpmc)

For mpmc the producer add()s and the consumer reads with next() under the
label "reader" (the log keeps what was read; TTL one hour).

Producer record: "A first last\\n" once push([first..last]).get() returned.
Consumer record: "P\\n" before each pop, then "D n1 n2 ...\\n" once its get()
returned ("D\\n" for an empty pop).
"""

import os
import random
import sys
import threading

from rocksq import StartPosition
from rocksq.nonblocking import MpmcQueue, PersistentQueueWithCapacity

path, first, producer_record, consumer_record, durable, kind = sys.argv[1:7]
if kind == "mpmc":
    q = MpmcQueue(path, 3600, max_inflight_ops=16, durable=durable == "1")
    push = q.add

    def pop(n):
        return q.next("reader", StartPosition.Oldest, n).get().data[0]
else:
    q = PersistentQueueWithCapacity(path, max_inflight_ops=16, durable=durable == "1")
    push = q.push

    def pop(n):
        return q.pop(n).get().data


def item(n):
    # Variable lengths, so that payload sizes are exercised too.
    return b"%012d" % n + b"x" * (n % 37)


def record(fd, line):
    os.write(fd, line.encode())


def produce():
    fd = os.open(producer_record, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
    rng = random.Random(first)
    n = int(first)
    window = []  # several pushes in flight: group commit is exercised
    while True:
        size = rng.randint(1, 20)
        window.append((n, n + size - 1, push([item(i) for i in range(n, n + size)])))
        n += size
        if len(window) >= 4:
            lo, hi, response = window.pop(0)
            response.get()
            record(fd, f"A {lo} {hi}\n")


def consume():
    fd = os.open(consumer_record, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
    rng = random.Random(first + "c")
    while True:
        record(fd, "P\n")
        items = pop(rng.randint(1, 16))
        numbers = [int(x[:12]) for x in items]
        record(fd, "D" + "".join(f" {n}" for n in numbers) + "\n")


threads = [threading.Thread(target=produce, daemon=True),
           threading.Thread(target=consume, daemon=True)]
for t in threads:
    t.start()
print("ready", flush=True)
for t in threads:
    t.join()
