"""The demo keeps its history across restarts, and ``andon report`` reads it right after a run.

Two headless runs at speed on one data folder, then the report of everything
in the history: the history holds exactly the stations' journals, and the
report's figures are the ones worked out by hand from those journals.
"""

from __future__ import annotations

import json
import os
import sqlite3
import statistics
import subprocess
import sys
from datetime import datetime, timedelta
from pathlib import Path

SPEED = 120
SECONDS = 15
COUNTING = ("line-a-a3", "line-b-b2", "line-c-c2")
DEMO_CONFIG = Path(__file__).resolve().parents[2] / "firmware_config" / "demo"


def demo(data: Path, port: int) -> None:
    command = [
        sys.executable, "-m", "andon", "demo",
        "--no-past-weeks", "--headless", "--speed", str(SPEED),
        "--seconds", str(SECONDS), "--broker", f"127.0.0.1:{port}", "--data", str(data),
    ]  # fmt: skip
    done = subprocess.run(
        command, capture_output=True, text=True, timeout=SECONDS + 60, env=os.environ
    )
    assert done.returncode == 0, done.stderr[-3000:]


def rows(path: Path, sql: str) -> list[tuple]:
    with sqlite3.connect(path) as db:
        return db.execute(sql).fetchall()


def journals(data: Path) -> dict[str, list[tuple[int, str, str, dict]]]:
    return {
        p.stem: [
            (seq, kind, at, json.loads(payload))
            for seq, kind, at, payload in rows(p, "select seq, kind, at, payload from events")
        ]
        for p in sorted(data.glob("line-*.sqlite"))
    }


def history_seqs(data: Path) -> dict[str, list[int]]:
    held: dict[str, list[int]] = {}
    for station, seq in rows(data / "history.sqlite", "select station, seq from events"):
        line, name = station.split("/")[-2:]
        held.setdefault(f"{line}-{name}", []).append(seq)
    return {k: sorted(v) for k, v in held.items()}


def report(data: Path, *extra: str) -> dict:
    command = [
        sys.executable, "-m", "andon", "report", "--config", str(DEMO_CONFIG),
        "--database", f"sqlite:///{data / 'history.sqlite'}", "--format", "json", *extra,
    ]  # fmt: skip
    done = subprocess.run(command, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def instant(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def test_the_demo_keeps_its_history_and_reports_on_it(mosquitto, tmp_path):
    data = tmp_path / "data"
    demo(data, mosquitto.port)
    first = history_seqs(data)
    assert sum(map(len, first.values())) > 50
    demo(data, mosquitto.port)

    kept = journals(data)
    held = history_seqs(data)
    assert held == {name: [seq for seq, *_ in events] for name, events in kept.items()}
    for name, seqs in first.items():
        assert set(seqs) < set(held[name]), (name, "the second run adds to the first")
    for name, events in kept.items():  # the second run's plant time goes on from the first's
        instants = [instant(at) for _, _, at, _ in events]
        assert instants == sorted(instants), (name, "no journal goes back in time")

    everything = [row for events in kept.values() for row in events]
    first_at = min(instant(at) for _, _, at, _ in everything)
    last_at = max(instant(at) for _, _, at, _ in everything)
    start = (first_at - timedelta(days=1)).date().isoformat()
    end = (last_at + timedelta(days=2)).date().isoformat()
    summary = report(data, "--site", "--from", start, "--to", end)["summary"]

    good = sum(p["good"] for name in COUNTING for _, k, _, p in kept[name] if k == "counted")
    raised = {p["call_id"]: instant(at) for _, k, at, p in everything if k == "call_raised"}
    repairs = [
        (instant(at) - raised[p["call_id"]]).total_seconds()
        for _, k, at, p in everything
        if k == "call_resolved"
    ]
    assert summary["actual"] == good > 0
    assert summary["calls"] == len(raised) > 0
    repair = summary["response"]["overall"]["repair"]
    assert repair["count"] == len(repairs) > 0
    assert abs(repair["mean_s"] - statistics.mean(repairs)) < 0.01
    assert abs(repair["median_s"] - statistics.median(repairs)) < 0.01

    # Right after a run, the default report (the shift of the history's last event) works too.
    shift = report(data, "--line", "line-a")
    assert shift["period"]["kind"] == "shift"
    assert shift["summary"]["actual"] > 0
