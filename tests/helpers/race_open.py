"""One of two processes racing to open the same queues (issue 14, item 2).

argv: kind (fifo|mpmc), then the paths, one per round.  For each path: prints
"ready", waits for a line "go" on stdin (the parent's barrier, released for
both processes at once), opens the queue, prints a JSON line ["opened", ""]
or [exception type, message], then waits for a line "close" (so that the
winner holds the queue while the loser tries) and closes it."""

import json
import sys

from rocksq import blocking

kind = sys.argv[1]
for path in sys.argv[2:]:
    print("ready", flush=True)
    assert sys.stdin.readline() == "go\n"
    q = None
    try:
        if kind == "fifo":
            q = blocking.PersistentQueueWithCapacity(path)
        else:
            q = blocking.MpmcQueue(path, 3600)
        result = ["opened", ""]
    except Exception as e:  # reported to the parent, which judges it
        result = [type(e).__name__, str(e)]
    print(json.dumps(result), flush=True)
    assert sys.stdin.readline() == "close\n"
    if q is not None:
        q.close()
