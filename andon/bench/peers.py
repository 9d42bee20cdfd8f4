"""The board against Node-RED (plain and with the FlowFuse dashboard), in one run.

``andon bench --peers DIR`` runs the peer harness in ``DIR`` (``harness.py``,
see its README: Node-RED 4 and ``@flowfuse/node-red-dashboard`` installed from
npm into ``--nr-dir``) with this interpreter and this checkout. The harness
publishes one stream (100 lines × 10 stations, 10 000 events, andon's own bench
payloads) to the same Mosquitto for every subscriber in turn: bare paho, the
board's feed + model, Node-RED, the full board app (Textual headless) and
Node-RED + dashboard. Here its medians become a table whose ratios, and the
targets they are held to, all come from that one run.
"""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import andon

CHECKOUT = Path(andon.__file__).resolve().parents[1]


@dataclass(frozen=True)
class Target:
    """One ratio of the run against its bound: ``figure(kind) / figure(reference)``."""

    name: str
    figure: str
    kind: str
    reference: str
    bound: float
    at_least: bool
    """True: the ratio must be ≥ bound (a rate); False: ≤ bound (a cost)."""


TARGETS = (
    Target("board app ingest vs Node-RED + dashboard", "rate", "andon-app", "nodered+dash",
           1.2, True),
    Target("board app CPU/event vs Node-RED + dashboard", "cpu_ms_per_event", "andon-app",
           "nodered+dash", 1.0, False),
    Target("board app RSS peak vs Node-RED + dashboard", "rss_peak_mb", "andon-app",
           "nodered+dash", 0.5, False),
    Target("feed + model ingest vs bare paho", "rate", "andon", "paho", 0.8, True),
)  # fmt: skip

KINDS = ("paho", "andon", "nodered", "andon-app", "nodered+dash")
LABELS = {
    "paho": "bare paho",
    "andon": "andon feed + model",
    "nodered": "Node-RED 4 flow",
    "andon-app": "andon full board app (Textual headless)",
    "nodered+dash": "Node-RED + FlowFuse dashboard",
}


def run_harness(harness_dir: Path, nr_dir: Path, out: Path, rounds: int) -> dict[str, Any]:
    """Run the harness once (every subscriber, ``rounds`` times); its results."""
    script = harness_dir / "harness.py"
    if not script.is_file():
        raise OSError(f"no peer harness at {script}")
    command = [
        sys.executable, str(script), "--andon", str(CHECKOUT), "--nr-dir", str(nr_dir),
        "--out", str(out), "--rounds", str(rounds),
    ]  # fmt: skip
    subprocess.run(command, cwd=harness_dir, check=True, stdout=subprocess.DEVNULL, timeout=3600)
    results: dict[str, Any] = json.loads((out / "results.json").read_text())
    return results


def median(rows: list[dict[str, Any]], kind: str, figure: str) -> float | None:
    values = [r[figure] for r in rows if r["kind"] == kind and r.get(figure) is not None]
    return statistics.median(values) if values else None


def render(results: dict[str, Any]) -> str:
    """The subscribers' medians and the targets' ratios, as Markdown tables."""
    rows = results["rows"]
    rounds = max((r["round"] for r in rows), default=0)
    out = [
        f"Medians of {rounds} round(s), one stream, one Mosquitto:",
        "",
        "| subscriber | events/s | CPU ms/event | RSS peak MB | event → model p99 ms (at rest) |",
        "|---|---|---|---|---|",
    ]
    for kind in KINDS:
        values = [median(rows, kind, f) for f in ("rate", "cpu_ms_per_event", "rss_peak_mb",
                                                   "lat_p99_ms")]  # fmt: skip
        if all(v is None for v in values):
            continue
        cells = [_cell(values[0], "{:,.0f}"), _cell(values[1], "{:.3f}"),
                 _cell(values[2], "{:.1f}"), _cell(values[3], "{:.2f}")]  # fmt: skip
        out.append(f"| {LABELS[kind]} | " + " | ".join(cells) + " |")
    out += ["", "| target | ratio | bound | met |", "|---|---|---|---|"]
    for target in TARGETS:
        ratio = _ratio(rows, target)
        if ratio is None:
            out.append(f"| {target.name} | – | {_bound(target)} | not measured |")
            continue
        met = ratio >= target.bound if target.at_least else ratio <= target.bound
        out.append(
            f"| {target.name} | {ratio:.2f}× | {_bound(target)} | {'yes' if met else 'no'} |"
        )
    return "\n".join(out)


def _ratio(rows: list[dict[str, Any]], target: Target) -> float | None:
    value = median(rows, target.kind, target.figure)
    reference = median(rows, target.reference, target.figure)
    return value / reference if value is not None and reference else None


def _bound(target: Target) -> str:
    return f"{'≥' if target.at_least else '≤'} {target.bound:g}×"


def _cell(value: float | None, form: str) -> str:
    return "–" if value is None else form.format(value)
