"""Opens the queue at argv[1] (argv[2]: blocking|nonblocking), prints 'ready'
and holds it until stdin closes."""

import sys

from rocksq import blocking, nonblocking

kind = blocking if sys.argv[2] == "blocking" else nonblocking
q = kind.PersistentQueueWithCapacity(sys.argv[1])
print("ready", flush=True)
sys.stdin.read()
q.close()
