"""A few plant hours of ``andon demo`` at speed: a plausible shift, read back from the journals."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from collections import Counter
from pathlib import Path

SPEED = 120
SECONDS = 75
"""75 s at x120: two and a half plant hours, within a bounded real time."""
COUNTING = ("line-a-a3", "line-b-b2", "line-c-c2")


def journal(path: Path) -> list[tuple[int, str, dict]]:
    with sqlite3.connect(path) as db:
        rows = db.execute("select seq, kind, payload from events order by seq").fetchall()
    return [(seq, kind, json.loads(payload)) for seq, kind, payload in rows]


def live(rows: list[tuple[int, str, dict]]) -> list[tuple[int, str, dict]]:
    """The events since the station started (the demo seeds the shift so far before that)."""
    started = next(seq for seq, kind, _ in rows if kind == "station_started")
    return [row for row in rows if row[0] > started]


def test_the_demo_runs_a_plausible_shift_for_hours(mosquitto, tmp_path):
    data = tmp_path / "data"
    command = [
        sys.executable, "-m", "andon", "demo",
        "--no-past-weeks", "--headless", "--speed", str(SPEED),
        "--seconds", str(SECONDS), "--broker", f"127.0.0.1:{mosquitto.port}",
        "--data", str(data),
    ]  # fmt: skip
    done = subprocess.run(
        command, capture_output=True, text=True, timeout=SECONDS + 60, env=os.environ
    )
    assert done.returncode == 0, done.stderr[-3000:]
    assert f"log in {data / 'demo.log'}" in done.stdout
    log = (data / "demo.log").read_text()
    assert "booked" in log, "the store board's log shows the kanbans it booked"
    assert "ButtonLongPressed refused" not in log, "a short press is never a long press"
    assert "Traceback" not in log, log[-3000:]

    journals = {p.stem: live(journal(p)) for p in sorted(data.glob("line-*.sqlite"))}
    assert len(journals) == 7
    kinds = Counter(kind for rows in journals.values() for _, kind, _ in rows)
    resolved = [p for rows in journals.values() for _, k, p in rows if k == "call_resolved"]
    by_source = Counter(p["source"] for p in resolved)

    assert kinds["call_acknowledged"] >= 5, kinds
    assert by_source["reason_card"] >= 5, by_source
    assert all(p["reason"] for p in resolved if p["source"] == "reason_card")
    assert by_source["kanban"] >= 2, ("the store board closed material calls", by_source)
    refilled = [p for rows in journals.values() for _, k, p in rows if k == "bin_changed"]
    assert any(not p["empty"] for p in refilled), "a delivered bin is seen full again"
    assert kinds["line_stopped"] >= 1 and kinds["line_released"] >= 1, kinds
    assert kinds["hour_cause_recorded"] >= 1, kinds
    assert kinds["pace_changed"] >= 1, kinds
    for name in COUNTING:
        good = sum(p["good"] for _, k, p in journals[name] if k == "counted")
        assert good >= 10, (name, "each line keeps producing", good)
    # Every call was acknowledged before it was resolved by a reason card, in the same journal.
    for rows in journals.values():
        acknowledged = {p["call_id"] for _, k, p in rows if k == "call_acknowledged"}
        for _, k, p in rows:
            if k == "call_resolved" and p["source"] == "reason_card":
                assert p["call_id"] in acknowledged
