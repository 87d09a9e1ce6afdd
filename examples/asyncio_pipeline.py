"""A producer and consumers running as asyncio tasks over one persistent queue.

The producer awaits each push (it is stored once the await returns); the
consumers await pops and stop when the queue is drained after the producer
is done.  No thread is spent per await.

Usage: python examples/asyncio_pipeline.py [queue-directory]
"""

import asyncio
import sys
import tempfile
from typing import List

from rocksq import nonblocking


async def produce(q: nonblocking.PersistentQueueWithCapacity, jobs: int) -> None:
    for i in range(jobs):
        await q.push([f"job-{i}".encode()])


async def consume(
    name: str,
    q: nonblocking.PersistentQueueWithCapacity,
    producer_done: asyncio.Event,
    done: List[bytes],
) -> None:
    while True:
        items = (await q.pop(max_elements=10)).data
        assert items is not None  # pop always returns a list
        done.extend(items)
        if not items:
            if producer_done.is_set() and (await q.len).len == 0:
                print(f"{name}: finished")
                return
            await asyncio.sleep(0.001)  # idle: let the producer run


async def main(path: str) -> None:
    with nonblocking.PersistentQueueWithCapacity(path, max_inflight_ops=100) as q:
        producer_done = asyncio.Event()
        done: List[bytes] = []
        consumers = [
            asyncio.create_task(consume(f"consumer-{n}", q, producer_done, done))
            for n in range(3)
        ]
        await produce(q, jobs=1000)
        producer_done.set()
        await asyncio.gather(*consumers)
        print(f"processed {len(done)} jobs; queue holds {(await q.len).len}")


if __name__ == "__main__":
    if len(sys.argv) > 1:
        asyncio.run(main(sys.argv[1]))
    else:
        with tempfile.TemporaryDirectory() as directory:
            asyncio.run(main(directory + "/queue"))
