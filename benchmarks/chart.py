"""Draws the chart of a benchmarks/run.py result: python chart.py RESULT.json OUT.png

One horizontal bar per measured figure: ours relative to the reference rocksq
0.3.0 (log scale, > 1 means ours is faster or smaller), labelled with both
medians.
"""

import json
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

sys.path.insert(0, __file__.rsplit("/", 1)[0])
from run import fmt  # noqa: E402


def main(result_path, out_path):
    with open(result_path) as f:
        report = json.load(f)
    rows = [r for r in report["rows"] if r["ratio"] is not None]
    rows.reverse()  # top to bottom in table order
    names = [r["name"] + (" (size)" if r["better"] == "lower" else "") for r in rows]
    ratios = [r["ratio"] for r in rows]
    colors = ["#2a7ab9" if x >= 1 else "#d9822b" for x in ratios]

    fig, ax = plt.subplots(figsize=(10, 0.42 * len(rows) + 1.6))
    ax.barh(names, ratios, color=colors)
    ax.set_xscale("log")
    ax.axvline(1, color="black", linewidth=1)
    ax.set_xlabel("ours vs reference rocksq 0.3.0 (x, log scale; > 1: ours faster or smaller)")
    ax.set_xlim(min(0.1, min(ratios) / 2), max(ratios) * 12)
    for y, r in enumerate(rows):
        ax.text(r["ratio"] * 1.08, y,
                f"{r['ratio']:.2f}x  ({fmt(r['ours'], r['unit'])} vs "
                f"{fmt(r['reference'], r['unit'])})",
                va="center", fontsize=8)
    ax.set_title(f"rocksq benchmarks, {report['date']}\n{report['machine']}", fontsize=10)
    ax.tick_params(axis="y", labelsize=8)
    fig.tight_layout()
    fig.savefig(out_path, dpi=110)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
