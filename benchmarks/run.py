#!/usr/bin/env python3
"""Runs rocksq's benchmarks side by side with the reference rocksq 0.3.0.

    python3 benchmarks/run.py            # full run: 3 repetitions
    python3 benchmarks/run.py --quick    # 1 repetition, smaller sizes

Builds ours into .venv (tools/setup.sh), installs the reference, persist-queue
and matplotlib into a cached virtualenv (build/bench-ref-venv), then runs each
workload of benchmarks/workloads.py in a fresh process per implementation,
alternating which goes first.  Prints the medians as a table, writes them as
JSON to benchmarks/results/ and draws a chart (docs/benchmarks.png for a full
run).  Needs only the standard library.
"""

import argparse
import datetime
import json
import os
import platform
import statistics
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BENCH = os.path.join(ROOT, "benchmarks")
OURS_PYTHON = os.path.join(ROOT, ".venv", "bin", "python")
REF_VENV = os.path.join(ROOT, "build", "bench-ref-venv")
REF_PYTHON = os.path.join(REF_VENV, "bin", "python")
REF_PACKAGES = ["rocksq==0.3.0", "persist-queue", "matplotlib"]
SCRATCH = os.path.join(ROOT, "build", "bench-tmp")
RESULTS = os.path.join(BENCH, "results")

# In table order.
WORKLOADS = [
    "fifo_roundtrip",
    "fifo_batch",
    "fifo_threads",
    "mpmc_batch",
    "mpmc_roundtrip",
    "fifo_shallow",
    "fifo_depth",
    "fifo_churn",
    "fifo_item_sizes",
    "fifo_blocking",
    "call_overhead",
    "fifo_leases",
    "fifo_processes",
]
PERSISTQUEUE_WORKLOADS = {"fifo_roundtrip"}
# Latency-bound workloads of about a second: the most sensitive to other load
# on the machine, so they run three times as often (still alternating).
SHORT_WORKLOADS = {"fifo_roundtrip", "fifo_threads", "mpmc_roundtrip", "fifo_blocking",
                   "call_overhead", "fifo_leases"}
IMPLS = ("ours", "reference", "persist-queue")


def log(message):
    print(message, file=sys.stderr, flush=True)


def ensure_reference_venv():
    marker = os.path.join(REF_VENV, ".installed")
    wanted = " ".join(REF_PACKAGES)
    if os.path.exists(marker) and open(marker).read() == wanted:
        return
    log(f"bench: creating {REF_VENV} with {wanted}")
    if not os.path.exists(REF_PYTHON):
        subprocess.run([sys.executable, "-m", "venv", REF_VENV], check=True)
    subprocess.run([REF_PYTHON, "-m", "pip", "install", "-q", *REF_PACKAGES], check=True)
    with open(marker, "w") as f:
        f.write(wanted)


def ensure_ours(build):
    if build or not os.path.exists(OURS_PYTHON):
        log("bench: building rocksq into .venv (tools/setup.sh)")
        subprocess.run(["bash", os.path.join(ROOT, "tools", "setup.sh")], check=True)


def run_workload(python, workload, impl, quick, timeout):
    cmd = [python, os.path.join(BENCH, "workloads.py"), "--workload", workload,
           "--dir", SCRATCH]
    if impl == "persist-queue":
        cmd += ["--impl", "persistqueue"]
    if quick:
        cmd.append("--quick")
    # cwd=benchmarks: nothing in the repository root shadows the installed package.
    proc = subprocess.run(cmd, cwd=BENCH, capture_output=True, text=True, timeout=timeout)
    if proc.returncode != 0:
        log(f"bench: {workload} ({impl}) failed:\n{proc.stderr.strip()}")
        return None
    return json.loads(proc.stdout.strip().splitlines()[-1])


def machine():
    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    mem_gib = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / (1 << 30)
    return f"{os.cpu_count()} cores, {cpu}, {mem_gib:.0f} GiB RAM, Linux {platform.release()}"


def fmt(value, unit):
    if value is None:
        return "-"
    if unit == "MiB":
        return f"{value:,.1f} MiB"
    if unit == "ns":
        return f"{value:,.0f} ns"
    if value >= 1e6:
        return f"{value / 1e6:,.2f} M/s"
    if value >= 1e3:
        return f"{value / 1e3:,.1f} k/s"
    return f"{value:,.0f} /s"


def ratio(ours, ref, better):
    if not ours or not ref:
        return None
    return ours / ref if better == "higher" else ref / ours


def table(rows):
    """Markdown table; ratio > 1 means ours is better (faster or smaller)."""
    header = ["figure", "ours (median)", "reference (median)", "ratio", "persist-queue"]
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    for r in rows:
        rt = "-" if r["ratio"] is None else f"{r['ratio']:.2f}x"
        lines.append("| " + " | ".join([
            r["name"] + (" (lower is better)" if r["better"] == "lower" else ""),
            fmt(r["ours"], r["unit"]), fmt(r["reference"], r["unit"]), rt,
            fmt(r["persist-queue"], r["unit"]),
        ]) + " |")
    return "\n".join(lines)


def update_readme(text):
    path = os.path.join(ROOT, "README.md")
    begin, end = "<!-- benchmark-table -->", "<!-- /benchmark-table -->"
    with open(path) as f:
        readme = f.read()
    head, rest = readme.split(begin, 1)
    _, tail = rest.split(end, 1)
    with open(path, "w") as f:
        f.write(f"{head}{begin}\n{text}\n{end}{tail}")


def main():
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="1 repetition, smaller sizes")
    parser.add_argument("--reps", type=int, help="repetitions (default 3, --quick 1)")
    parser.add_argument("--only", help="comma-separated workloads to run")
    parser.add_argument("--no-build", action="store_true",
                        help="use .venv as it is instead of rebuilding rocksq")
    parser.add_argument("--chart", help="chart path (default docs/benchmarks.png for a "
                        "full run, benchmarks/results/quick.png for --quick)")
    parser.add_argument("--timeout", type=float, default=1800, help="seconds per workload run")
    parser.add_argument("--update-readme", action="store_true",
                        help="write the table into README.md's Performance section")
    parser.add_argument("--against", metavar="PYTHON",
                        help="compare with the rocksq this interpreter imports (e.g. another "
                        "build of ours) instead of the reference")
    args = parser.parse_args()
    reps = args.reps or (1 if args.quick else 3)
    workloads = args.only.split(",") if args.only else WORKLOADS
    unknown = set(workloads) - set(WORKLOADS)
    if unknown:
        parser.error(f"unknown workloads: {', '.join(sorted(unknown))}")

    ensure_ours(not args.no_build)
    ensure_reference_venv()
    pythons = {"ours": OURS_PYTHON, "reference": args.against or REF_PYTHON,
               "persist-queue": REF_PYTHON}

    began = time.time()
    samples = {}  # (workload, metric) -> impl -> [values]
    meta = {}  # (workload, metric) -> (unit, better)
    runs = []
    for rep in range(3 * reps):
        for workload in workloads:
            if rep >= reps and workload not in SHORT_WORKLOADS:
                continue
            total = 3 * reps if workload in SHORT_WORKLOADS else reps
            order = ["ours", "reference"] if rep % 2 == 0 else ["reference", "ours"]
            if workload in PERSISTQUEUE_WORKLOADS and rep < reps and not args.against:
                order.append("persist-queue")
            for impl in order:
                t0 = time.time()
                result = run_workload(pythons[impl], workload, impl, args.quick, args.timeout)
                log(f"bench: rep {rep + 1}/{total} {workload:16} {impl:13} "
                    f"{time.time() - t0:6.1f}s")
                if result is None:
                    continue
                result["rep"] = rep
                runs.append(result)
                for name, m in result["metrics"].items():
                    meta[(workload, name)] = (m["unit"], m["better"])
                    samples.setdefault((workload, name), {}).setdefault(impl, []).append(
                        m["value"])
    elapsed = time.time() - began

    rows = []
    for (workload, name), per_impl in samples.items():
        unit, better = meta[(workload, name)]
        med = {impl: statistics.median(per_impl[impl]) if impl in per_impl else None
               for impl in IMPLS}
        rows.append({"workload": workload, "name": name, "unit": unit, "better": better,
                     **med, "ratio": ratio(med["ours"], med["reference"], better),
                     "samples": per_impl})
    rows.sort(key=lambda r: WORKLOADS.index(r["workload"]))

    now = datetime.datetime.now(datetime.timezone.utc)
    report = {
        "date": now.strftime("%Y-%m-%d %H:%M UTC"),
        "machine": machine(),
        "reps": reps,
        "quick": args.quick,
        "seconds": elapsed,
        "rows": rows,
        "runs": runs,
    }
    os.makedirs(RESULTS, exist_ok=True)
    stamp = now.strftime("%Y%m%dT%H%M%SZ")
    for name in (f"{stamp}.json", "latest.json"):
        with open(os.path.join(RESULTS, name), "w") as f:
            json.dump(report, f, indent=1)

    summary = (f"{report['date']}, {report['machine']}.\n"
               f"{reps} repetition(s) ({3 * reps} for round trips and threads)"
               f"{' (quick sizes)' if args.quick else ''}, medians; "
               f"128-byte items unless stated; ratio > 1: ours is better (faster or "
               f"smaller); the run took {elapsed / 60:.1f} min.")
    if args.against:
        summary += f" The reference column is {args.against}."
    print(f"rocksq benchmarks, {summary}\n")
    print(table(rows))
    if args.update_readme and not args.against:
        update_readme(summary + "\n\n" + table(rows))

    chart = args.chart or os.path.join(
        RESULTS if args.quick else os.path.join(ROOT, "docs"),
        "quick.png" if args.quick else "benchmarks.png")
    os.makedirs(os.path.dirname(os.path.abspath(chart)), exist_ok=True)
    subprocess.run([REF_PYTHON, os.path.join(BENCH, "chart.py"),
                    os.path.join(RESULTS, f"{stamp}.json"), chart], check=True)
    print(f"\nresults: benchmarks/results/{stamp}.json, chart: {os.path.relpath(chart, ROOT)}")


if __name__ == "__main__":
    main()
