"""The ``rocksq`` command: inspect a queue's directory without changing it.

    rocksq info PATH [--json]
    rocksq peek PATH [-n N] [--label LABEL] [--json]

Both read a snapshot of the queue and work while another process has it
open; neither removes an item nor moves a consumer's cursor.
"""

from __future__ import annotations

import argparse
import base64
import json
import sys
from typing import Any, Dict, List, Optional, Sequence

from . import RocksqError, __version__
from ._rocksq import _inspect, _peek


def _human_bytes(n: int) -> str:
    size = float(n)
    for unit in ("B", "KiB", "MiB", "GiB", "TiB"):
        if size < 1024 or unit == "TiB":
            return f"{n} B" if unit == "B" else f"{size:.1f} {unit} ({n} B)"
        size /= 1024
    raise AssertionError("unreachable")


def _human_seconds(seconds: float) -> str:
    if seconds < 120:
        return f"{seconds:.1f} s"
    minutes, secs = divmod(int(seconds), 60)
    hours, minutes = divmod(minutes, 60)
    days, hours = divmod(hours, 24)
    parts = [f"{days}d"] if days else []
    return " ".join(parts + [f"{hours}h", f"{minutes:02d}m", f"{secs:02d}s"])


def _print_info(info: Dict[str, Any]) -> None:
    print(f"kind:         {info['kind']}")
    print(f"len:          {info['len']}")
    print(f"payload_size: {_human_bytes(info['payload_size'])}")
    print(f"disk_size:    {_human_bytes(info['disk_size'])}")
    if info["kind"] != "mpmc":
        return
    ttl = info["ttl"]
    print(f"ttl:          {'unknown' if ttl is None else _human_seconds(ttl)}")
    age = info["oldest_age"]
    print(f"oldest_age:   {'-' if age is None else _human_seconds(age)}")
    labels = info["labels"]
    if not labels:
        print("labels:       none")
        return
    print("labels:       (lag: elements added that the label has not read yet)")
    width = max(len(label) for label in [*labels, "LABEL"])
    lag_width = max(len(str(lag)) for lag in [*labels.values(), "LAG"])
    print(f"  {'LABEL':<{width}}  {'LAG':>{lag_width}}")
    for label, lag in labels.items():
        print(f"  {label:<{width}}  {lag:>{lag_width}}")


# Longer items are cut in human-readable output (--json shows them whole).
_SHOWN_BYTES = 64


def _item_json(item: bytes) -> Dict[str, Any]:
    entry: Dict[str, Any] = {"size": len(item), "base64": base64.b64encode(item).decode("ascii")}
    try:
        entry["text"] = item.decode("utf-8")
    except UnicodeDecodeError:
        entry["text"] = None
    return entry


def _print_items(items: List[bytes]) -> None:
    if not items:
        print("(no items)")
    width = len(str(len(items) - 1)) if items else 1
    for i, item in enumerate(items):
        if len(item) > _SHOWN_BYTES:
            print(f"{i:>{width}}  {item[:_SHOWN_BYTES]!r}... ({len(item)} bytes)")
        else:
            print(f"{i:>{width}}  {item!r}")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="rocksq",
        description="Inspect a rocksq queue without changing it; works while another "
        "process has the queue open.",
    )
    parser.add_argument("--version", action="version", version=f"rocksq {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    info = commands.add_parser(
        "info",
        help="kind, length, sizes; for an MPMC log also TTL, oldest age and label lags",
        description="Print the queue's kind, len, payload_size and disk_size; for an MPMC "
        "log also its TTL, the oldest element's age and every label with its lag "
        "(elements added that the label has not read yet).",
    )
    info.add_argument("path", metavar="PATH", help="the queue's directory")
    info.add_argument("--json", action="store_true", help="print one JSON object")

    peek = commands.add_parser(
        "peek",
        help="show the next items without consuming them",
        description="Print the next items a pop (FIFO) or a label's next() (MPMC) would "
        "return, without removing them or moving any cursor.",
    )
    peek.add_argument("path", metavar="PATH", help="the queue's directory")
    peek.add_argument("-n", type=int, default=10, metavar="N", help="how many (default 10)")
    peek.add_argument(
        "--label", default=None, help="MPMC log: read from this label's cursor (default: oldest)"
    )
    peek.add_argument("--json", action="store_true", help="print one JSON object")
    return parser


def main(argv: Optional[Sequence[str]] = None) -> int:
    """Runs the command line; returns the exit status (0 ok, 1 error, 2 usage)."""
    parser = _parser()
    args = parser.parse_args(argv)
    try:
        if args.command == "info":
            info = _inspect(args.path)
            if args.json:
                print(json.dumps({"path": args.path, **info}))
            else:
                _print_info(info)
        else:
            if args.n < 0:
                parser.error("-n must not be negative")
            items = _peek(args.path, args.n, args.label)
            if args.json:
                print(json.dumps({"path": args.path, "items": [_item_json(i) for i in items]}))
            else:
                _print_items(items)
    except (RocksqError, ValueError) as e:
        message = str(e)
        if not message.startswith("rocksq"):
            message = f"rocksq {args.command}: {message}"
        print(message, file=sys.stderr)
        return 1
    except BrokenPipeError:  # e.g. piped into head
        return 0
    return 0


if __name__ == "__main__":
    sys.exit(main())
