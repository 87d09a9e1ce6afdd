"""Runs MpmcQueue scenarios with whichever rocksq the interpreter imports.

Used by test_mpmc_reference.py to run the same operations on this package and
on the reference one (rocksq 0.3.0 from PyPI), each in its own process.

    python mpmc_driver.py SCENARIOS.json RESULTS.json

A scenario is {"path": str, "flavour": "nonblocking" | "blocking", "ttl": int,
"ops": [[name, args...], ...]}; the result of each is a list with one JSON
value per operation.
"""

import gc
import json
import sys

import rocksq
from rocksq import StartPosition, blocking, nonblocking


def run(scenario):
    flavour = scenario["flavour"]
    cls = nonblocking.MpmcQueue if flavour == "nonblocking" else blocking.MpmcQueue

    def wait(value):
        return value.get() if flavour == "nonblocking" else value

    q = cls(scenario["path"], scenario["ttl"])
    out = []
    for op, *args in scenario["ops"]:
        if op == "add":
            wait(q.add([bytes.fromhex(x) for x in args[0]]))
            out.append(None)
        elif op == "next":
            label, start, max_elements = args
            position = StartPosition.Oldest if start == "oldest" else StartPosition.Newest
            result = wait(q.next(label, position, max_elements))
            items, expired = result.data if flavour == "nonblocking" else result
            out.append([[x.hex() for x in items], bool(expired)])
        elif op == "labels":
            labels = wait(q.labels)
            labels = labels.labels if flavour == "nonblocking" else labels
            out.append(sorted(labels))
        elif op == "remove_label":
            removed = wait(q.remove_label(args[0]))
            out.append(removed.removed_label if flavour == "nonblocking" else removed)
        elif op == "len":
            n = wait(q.len)
            out.append(n.len if flavour == "nonblocking" else n)
        elif op == "reopen":
            close = getattr(q, "close", None)
            if close is not None:
                close()
            del q
            gc.collect()
            q = cls(scenario["path"], scenario["ttl"])
            out.append(None)
        else:
            raise ValueError("unknown operation " + op)
    close = getattr(q, "close", None)
    if close is not None:
        close()
    del q
    gc.collect()
    return out


def main():
    with open(sys.argv[1]) as f:
        scenarios = json.load(f)
    results = [run(s) for s in scenarios]
    with open(sys.argv[2], "w") as f:
        json.dump({"version": rocksq.version(), "results": results}, f)


if __name__ == "__main__":
    main()
