"""``andon store --sim`` as a separate process: it announces itself, scans, says goodbye."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.support.stations import DEMO, wait_for

ROOT = Path(__file__).resolve().parents[2]
STATUS = "andon/demo-plant/_stores/store/status"


def test_the_store_board_runs_on_simulated_pins_and_reports_on_its_status_topic(
    mosquitto, collector_factory
):
    status = collector_factory(mosquitto.settings(client_id="watcher"), STATUS)
    command = [
        sys.executable,
        "-m",
        "andon",
        "store",
        "--config",
        str(DEMO / "store.toml"),
        "--sim",
        "--broker",
        f"{mosquitto.host}:{mosquitto.port}",
        "--seconds",
        "2",
    ]

    done = subprocess.run(
        command,
        cwd=ROOT,
        input="KB:P-9999:0001\n",  # typed on standard input: scanned by the simulated scanner
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert done.returncode == 0, done.stderr
    assert "simulated scanner 'scanner' reads from" in done.stderr
    assert "refused: no kanban, no withdrawal: unknown part 'P-9999'" in done.stderr
    messages = wait_for(lambda: (m := status.json("/status")) and not m[-1]["online"] and m)
    assert messages[0]["online"] is True and messages[0]["open_calls"] == []
    assert messages[-1]["detail"] == "stopped"
    assert messages[-1]["last_scan"]["text"] == "KB:P-9999:0001"
    assert messages[-1]["refused"] == 1


def test_a_bad_store_file_is_named_and_exit_1(tmp_path):
    broken = tmp_path / "store.toml"
    broken.write_text('kind = "store"\nschema = 1\nplant = "missing.toml"\nid = "s"\nname = "S"\n')
    command = [sys.executable, "-m", "andon", "store", "--config", str(broken), "--sim"]

    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=60)

    assert done.returncode == 1
    assert "plant" in done.stderr and str(broken) in done.stderr


def test_a_refused_scan_is_logged_in_the_terminals_language(mosquitto):
    command = [sys.executable, "-m", "andon", "store", "--config", str(DEMO / "store.toml")]
    command += ["--sim", "--broker", f"{mosquitto.host}:{mosquitto.port}", "--seconds", "2"]
    language = {"LANGUAGE": "", "LC_ALL": "", "LC_MESSAGES": "", "LANG": "de_DE.UTF-8"}

    done = subprocess.run(
        command,
        cwd=ROOT,
        input="KB:P-9999:0001\n",
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, **language},
    )

    assert done.returncode == 0, done.stderr
    assert (
        "Scan 'KB:P-9999:0001' abgelehnt: "
        "ohne Kanban keine Entnahme: unbekanntes Teil 'P-9999' auf Kanban 0001"
    ) in done.stderr
    assert "no kanban, no withdrawal" not in done.stderr
