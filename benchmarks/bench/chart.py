"""Charting: docs/benchmarks.png from the raw results of a run (matplotlib, no display needed)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from bench.common import (
    COMPARISONS,
    LABELS,
    OPS,
    TARGET_RATIO,
    expected_requests,
    request_breakdown,
    time_rows,
)

__all__ = ["render_chart"]

_COLORS = {
    "native": "#d9534f",
    "nat": "#f4a582",
    "dynamic": "#2166ac",
    "dyn": "#92c5de",
    "engine": "#bdbdbd",
    "api": "#9e9ac8",
}
_BARS = ("native", "nat", "dynamic", "dyn", "api")


def render_chart(results: dict[str, Any], path: Path) -> None:
    """Four panels: wall time at the largest N, ratios against N, requests per number, state bytes."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    sizes = sorted(int(n) for n in results["runs"])
    if not sizes:
        return
    largest = max(sizes)
    all_rows = time_rows(results)
    rows = [r for r in all_rows if r["n"] == largest]
    run = results["runs"][str(largest)]
    fig, axes = plt.subplots(2, 2, figsize=(14, 9.5))

    ax = axes[0][0]
    kinds = [k for k in _BARS if k in run]
    width = 0.8 / len(kinds)
    for j, kind in enumerate(kinds):
        xs = [i - 0.4 + width * (j + 0.5) for i in range(len(rows))]
        ax.bar(xs, [r["t"][kind] for r in rows], width, label=LABELS[kind], color=_COLORS[kind])
    for cmp in COMPARISONS:
        if not cmp.target or cmp.ours not in kinds or cmp.floor not in kinds:
            continue
        j, f = kinds.index(cmp.ours), kinds.index(cmp.floor)
        for i, r in enumerate(rows):
            left = i - 0.4 + width * min(j, f)
            ax.hlines(
                r["t"][cmp.floor] * TARGET_RATIO, left, left + 2 * width, colors="black", linestyles="dashed"
            )
            top = max(r["t"][cmp.ours], r["t"][cmp.floor] * TARGET_RATIO)
            ax.annotate(
                f"{r['r'][cmp.key]:.2f}×",
                (i - 0.4 + width * (j + 0.5), top),
                xytext=(0, 3),
                textcoords="offset points",
                ha="center",
                va="bottom",
                fontsize=7,
            )
    ax.plot([], [], "k--", label=f"target: {TARGET_RATIO:.2f} × own floor")
    ax.set_xticks(range(len(rows)), [r["op"] for r in rows])
    ax.set_ylabel("wall time (s)")
    ax.set_title(f"Wall time per operation, N = {largest} (labels: provider / its own floor)")
    ax.set_ylim(0, ax.get_ylim()[1] * 1.25)
    ax.legend(fontsize=8, loc="upper left", ncol=3)

    ax = axes[0][1]
    styles = {"native/nat": ("o", "-", 1.0), "dynamic/dyn": (".", ":", 0.45)}
    for j, op in enumerate(OPS):
        for key, (marker, line, alpha) in styles.items():
            points = [(r["n"], r["r"][key]) for r in all_rows if r["op"] == op and key in r["r"]]
            if points:
                ax.plot(
                    [p[0] for p in points],
                    [p[1] for p in points],
                    marker=marker,
                    ls=line,
                    alpha=alpha,
                    color=f"C{j}",
                    label=op if key == "native/nat" else None,
                )
    ax.axhline(TARGET_RATIO, color="black", linestyle="--", label=f"target at N = {largest}")
    ax.plot([], [], color="grey", alpha=0.45, ls=":", marker=".", label="dynamic / dynamic floor")
    ax.set_xscale("log")
    ax.set_xticks(sizes, [str(n) for n in sizes])
    ax.set_xlabel("N (numbers)")
    ax.set_ylabel("provider / its own floor")
    ax.set_title("Time ratio vs N (solid: native / native floor)")
    ax.legend(fontsize=8)

    ax = axes[1][0]
    providers = [k for k in ("native", "dynamic") if k in run]
    width = 0.8 / max(len(providers), 1)
    for j, kind in enumerate(providers):
        counted, polls, other = [], [], []
        for op in OPS:
            main, poll, extra = request_breakdown(op, run[kind]["ops"][op]["requests"])
            counted.append(main / largest)
            polls.append(poll / largest)
            other.append(extra / largest)
        xs = [i - 0.4 + width * (j + 0.5) for i in range(len(OPS))]
        first = j == 0
        ax.bar(xs, counted, width, color=_COLORS[kind], label=f"{LABELS[kind]}: per-number request")
        ax.bar(xs, polls, width, bottom=counted, color="#f0ad4e", label="status polls" if first else None)
        ax.bar(
            xs,
            other,
            width,
            bottom=[a + b for a, b in zip(counted, polls, strict=True)],
            color="#777777",
            label="other requests" if first else None,
        )
    for i, op in enumerate(OPS):
        ax.hlines(
            expected_requests(op, largest) / largest, i - 0.4, i + 0.4, colors="black", linestyles="dashed"
        )
    ax.plot([], [], "k--", label="target")
    ax.set_xticks(range(len(OPS)), list(OPS))
    ax.set_ylabel("API requests per number")
    ax.set_title(f"API requests per number, N = {largest}")
    ax.set_ylim(0, ax.get_ylim()[1] * 1.35)
    ax.legend(fontsize=8, loc="upper right", ncol=2)

    ax = axes[1][1]
    labels, stacks = [], []
    parts = ("provider_in", "provider_out", "inputs", "outputs", "engine")
    names = ("pickled provider (inputs)", "pickled provider (outputs)", "inputs", "outputs", "engine fields")
    for key in ("native", "nat", "dynamic", "dyn", "engine"):
        state = run.get(key, {}).get("state")
        if state:
            labels.append(LABELS[key])
            stacks.append([state["per_resource"][p] for p in parts])
    bottoms = [0.0] * len(labels)
    colors = ("#6a51a3", "#9e9ac8", "#d9534f", "#f4a582", "#bdbdbd")
    for j, (name, color) in enumerate(zip(names, colors, strict=True)):
        values = [s[j] for s in stacks]
        ax.barh(labels, values, left=bottoms, label=name, color=color)
        bottoms = [b + v for b, v in zip(bottoms, values, strict=True)]
    for i, total in enumerate(bottoms):
        ax.annotate(f"{total:.0f} B", (total, i), va="center", ha="left", fontsize=9)
    ax.invert_yaxis()
    ax.set_xlabel("bytes per resource (compact JSON of `pulumi stack export`)")
    ax.set_title("Where the state bytes go")
    ax.set_xlim(0, max(bottoms) * 1.18 if bottoms else 1)
    ax.legend(fontsize=8, loc="upper center", bbox_to_anchor=(0.5, -0.14), ncol=3)

    meta, settings = results["meta"], results["settings"]
    fig.suptitle(
        f"Vapi native and dynamic providers vs their floors — {settings['latency_s'] * 1000:.0f} ms API "
        f"latency, {meta['pulumi_cli']}, {meta['nproc']} cores, {meta['date']}",
        fontsize=11,
    )
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=110)
    plt.close(fig)
