"""Charting: docs/benchmarks.png from the raw results of a run (matplotlib, no display needed)."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

from bench.common import OPS, TARGET_RATIO, expected_requests, request_breakdown, time_rows

__all__ = ["render_chart"]

_COLORS = {"ours": "#d9534f", "dyn": "#2ca25f", "engine": "#5b8def", "api": "#9ecae1"}


def render_chart(results: dict[str, Any], path: Path) -> None:
    """Four panels: wall time at the largest N, ratios against N, requests per number, state bytes."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    sizes = [int(n) for n in results["runs"] if "ours" in results["runs"][n]]
    if not sizes:
        return
    largest = max(sizes)
    all_rows = time_rows(results)
    rows = [r for r in all_rows if r["n"] == largest]
    has_dyn = not any(math.isnan(r["dyn"]) for r in rows)
    fig, axes = plt.subplots(2, 2, figsize=(13, 9))

    ax = axes[0][0]
    x = list(range(len(rows)))
    width = 0.27
    ax.bar([i - width for i in x], [r["ours"] for r in rows], width, label="ours", color=_COLORS["ours"])
    if has_dyn:
        ax.bar(x, [r["dyn"] for r in rows], width, label="dynamic floor", color=_COLORS["dyn"])
    sum_x = [i + width for i in x]
    ax.bar(sum_x, [r["engine"] for r in rows], width, label="engine floor", color=_COLORS["engine"])
    ax.bar(
        sum_x,
        [r["api"] for r in rows],
        width,
        bottom=[r["engine"] for r in rows],
        label="API floor (stacked)",
        color=_COLORS["api"],
    )
    for i, r in enumerate(rows):
        ax.hlines(
            r["floor"] * TARGET_RATIO, i - 1.6 * width, i + 0.5 * width, colors="black", linestyles="dashed"
        )
        top = max(r["ours"], r["floor"] * TARGET_RATIO)
        ax.annotate(
            f"{r['ratio']:.2f}×",
            (i - width, top),
            xytext=(0, 3),
            textcoords="offset points",
            ha="center",
            va="bottom",
            fontsize=8,
        )
    floor_name = "dynamic floor" if has_dyn else "floor sum"
    ax.plot([], [], "k--", label=f"target {TARGET_RATIO:.2f} × {floor_name}")
    ax.set_xticks(x, [r["op"] for r in rows])
    ax.set_ylabel("wall time (s)")
    ax.set_title(f"Wall time per operation, N = {largest} (label: ours / {floor_name})")
    ax.set_ylim(0, ax.get_ylim()[1] * 1.3)
    ax.legend(fontsize=8, loc="upper left", ncol=2)

    ax = axes[0][1]
    for j, op in enumerate(OPS):
        color = f"C{j}"
        points = [(r["n"], r["ratio"]) for r in all_rows if r["op"] == op]
        ax.plot([p[0] for p in points], [p[1] for p in points], marker="o", color=color, label=op)
        if has_dyn:
            points = [(r["n"], r["ratio_sum"]) for r in all_rows if r["op"] == op]
            ax.plot(
                [p[0] for p in points], [p[1] for p in points], marker=".", color=color, alpha=0.35, ls=":"
            )
    ax.axhline(TARGET_RATIO, color="black", linestyle="--", label=f"target at N = {largest}")
    if has_dyn:
        ax.plot([], [], color="grey", alpha=0.5, ls=":", marker=".", label="ours / (engine + API floor)")
    ax.set_xscale("log")
    ax.set_xticks(sizes, [str(n) for n in sizes])
    ax.set_xlabel("N (numbers)")
    ax.set_ylabel(f"ours / {floor_name}")
    ax.set_title(f"Time ratio vs N (solid: ours / {floor_name})")
    ax.legend(fontsize=8)

    ax = axes[1][0]
    run = results["runs"][str(largest)]["ours"]["ops"]
    counted, polls, other = [], [], []
    for op in OPS:
        main, poll, extra = request_breakdown(op, run[op]["requests"])
        counted.append(main / largest)
        polls.append(poll / largest)
        other.append(extra / largest)
    ax.bar(OPS, counted, label="per-number request (POST/GET/PATCH/DELETE)", color="#d9534f")
    ax.bar(OPS, polls, bottom=counted, label="status polls (activating numbers)", color="#f0ad4e")
    ax.bar(
        OPS,
        other,
        bottom=[a + b for a, b in zip(counted, polls, strict=True)],
        label="other requests",
        color="#777777",
    )
    targets = [expected_requests(op, largest) / largest for op in OPS]
    for i, t in enumerate(targets):
        ax.hlines(t, i - 0.4, i + 0.4, colors="black", linestyles="dashed")
    ax.plot([], [], "k--", label="target")
    ax.set_ylabel("API requests per number")
    ax.set_title(f"Our API requests per number, N = {largest}")
    ax.set_ylim(0, ax.get_ylim()[1] * 1.3)
    ax.legend(fontsize=8, loc="upper right")

    ax = axes[1][1]
    labels, stacks = [], []
    parts = ("provider_in", "provider_out", "inputs", "outputs", "engine")
    names = (
        "pickled provider (inputs)",
        "pickled provider (outputs)",
        "inputs",
        "outputs",
        "engine fields",
    )
    for key, label in (("ours", "ours"), ("dyn", "dynamic floor"), ("engine", "engine floor")):
        state = results["runs"][str(largest)].get(key, {}).get("state")
        if state:
            labels.append(label)
            stacks.append([state["per_resource"][p] for p in parts])
    bottoms = [0.0] * len(labels)
    colors = ("#6a51a3", "#9e9ac8", "#d9534f", "#f4a582", "#bdbdbd")
    for j, (name, color) in enumerate(zip(names, colors, strict=True)):
        values = [s[j] for s in stacks]
        ax.barh(labels, values, left=bottoms, label=name, color=color)
        bottoms = [b + v for b, v in zip(bottoms, values, strict=True)]
    for i, total in enumerate(bottoms):
        ax.annotate(f"{total:.0f} B", (total, i), va="center", ha="left", fontsize=9)
    ax.set_xlabel("bytes per resource (compact JSON of `pulumi stack export`)")
    ax.set_title("Where the state bytes go")
    ax.set_xlim(0, max(bottoms) * 1.18 if bottoms else 1)
    ax.legend(fontsize=8, loc="upper center", bbox_to_anchor=(0.5, -0.14), ncol=3)

    meta, settings = results["meta"], results["settings"]
    fig.suptitle(
        f"Vapi dynamic provider vs floors — {settings['latency_s'] * 1000:.0f} ms API latency, "
        f"{meta['pulumi_cli']}, {meta['nproc']} cores, {meta['date']}",
        fontsize=11,
    )
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=110)
    plt.close(fig)
