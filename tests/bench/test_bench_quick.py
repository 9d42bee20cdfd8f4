"""``andon bench --quick`` runs every measurement and prints the table with every row.

Timings are never asserted (machines are noisy): only that each figure was
measured or says why not, with its reference, target and verdict columns.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

ROWS = (
    "press → lamp output",
    "of which the station's work",
    "then the press's durable append",
    "raw paho publish → receive (reference)",
    "press → event at a plain MQTT subscriber",
    "press → board model updated",
    "press → board repainted",
    "board ingest, 100 lines × 10 stations",
    "CPU per event, board feed + model",
    "event → visible on the board while a stream flows in",
    "CPU per message, paho QoS 1 publisher (reference)",
    "historian ingest into SQLite, 100 lines × 10 stations",
    "CPU per event, historian into SQLite (its process)",
    "historian ingest into PostgreSQL (fsync off)",
    "CPU per event, historian into PostgreSQL (its process)",
    "CPU per event, station process",
    "station process idle CPU",
    "station RSS idle",
    "station RSS under load",
    "CPU per event, board process",
    "board RSS idle",
    "board RSS under load",
    "start-up to first lamp output (empty journal)",
    "start-up to first lamp output (2000 events)",
    "start-up, 2000 events, no checkpoint",
    "journal replay at start-up, per event",
    "board view, 100 lines × 10 stations, one line changed (CPU)",
    "board view, 100 lines × 10 stations, nothing changed (CPU)",
    "retained state, 0 closed calls: size",
    "working it out and encoding it, per publish",
    "retained state, 200 closed calls: size",
    "working it out and encoding it, per publish",
    "retained state, 2000 closed calls: size",
    "working it out and encoding it, per publish",
)
"""The figures the benchmark promises, in the order it prints them."""


def test_the_quick_benchmark_prints_every_row():
    done = subprocess.run(
        [sys.executable, "-m", "andon", "bench", "--quick"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=180,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    assert done.returncode == 0, done.stderr[-3000:]
    lines = done.stdout.splitlines()
    assert lines[0].startswith("andon bench --quick:") and "CPUs" in lines[0]
    header = next(i for i, line in enumerate(lines) if line.startswith("figure"))
    for column in ("p50", "p99 | value", "reference (same run)", "ratio", "target", "result"):
        assert column in lines[header]
    table = lines[header + 2 : header + 2 + len(ROWS)]
    for expected, line in zip(ROWS, table, strict=True):
        assert expected in line, f"{expected!r} missing from {line!r}"
        assert re.search(r"(pass|miss|-|skipped)\s*$", line), line
        if "skipped" not in line:
            assert re.search(r"\d", line.split(expected, 1)[1]), f"no figure on {line!r}"
    assert "Raspberry Pi estimates" in done.stdout and "not measured" in done.stdout
    assert re.search(r"finished in \d+\.\d s", done.stdout)
    # Progress goes to stderr, the report alone to stdout.
    assert "measuring:" in done.stderr and "measuring:" not in done.stdout
