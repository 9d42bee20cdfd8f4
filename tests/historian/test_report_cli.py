"""``andon simulate --historian`` then ``andon report``, as a user runs them."""

from __future__ import annotations

import csv
import io
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DEMO = ROOT / "firmware_config" / "demo"
SCENARIO = ROOT / "firmware_config" / "scenarios" / "shift.toml"


def andon(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "andon", *args], capture_output=True, text=True, check=False
    )


@pytest.fixture(scope="module")
def history(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = f"sqlite:///{tmp_path_factory.mktemp('history') / 'history.sqlite'}"
    done = andon("simulate", str(DEMO), str(SCENARIO), "--historian", url, "-o", "/dev/null")
    assert done.returncode == 0, done.stderr
    return url


def report(url: str, *args: str) -> subprocess.CompletedProcess[str]:
    return andon("report", "--config", str(DEMO), "--database", url, *args)


def test_the_terminal_table(history: str) -> None:
    done = report(history, "--line", "line-a", "--at", "2026-03-04T10:00")
    assert done.returncode == 0, done.stderr
    text = done.stdout
    assert "andon report: Assembly line A, shift Mar 4, 2026, 06:00 to" in text
    assert re.search(r"OEE = A x P x Q +90.0%", text)
    assert "Mechanical breakdown" in text
    assert "Hourly table: Assembly line A, early Mar 4, 2026" in text


def test_the_report_in_another_language_and_a_refused_one(history: str) -> None:
    done = report(history, "--line", "line-a", "--at", "2026-03-04T10:00", "--language", "zh-tw")
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("andon 報告：")
    assert "產線" not in done.stdout.splitlines()[0]
    assert "設備綜合效率 = A x P x Q" in done.stdout
    refused = report(history, "--line", "line-a", "--at", "2026-03-04T10:00", "--language", "xx")
    assert refused.returncode != 0 and refused.stdout == ""
    assert "--language" in refused.stderr and "zh_CN" in refused.stderr


def test_json_csv_and_html(history: str, tmp_path: Path) -> None:
    done = report(history, "--day", "--at", "2026-03-04", "--format", "json", "--compare")
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert data["period"]["kind"] == "day" and data["summary"]["actual"] == 162
    assert "previous" in data
    done = report(history, "--week", "--at", "2026-03-04", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(done.stdout)))
    recorded = [r for r in rows if r["recorded"] == "true"]
    assert [(r["line"], r["shift"], r["actual"]) for r in recorded if r["actual"] != "0"] == [
        ("line-a", "early", "162")
    ]
    # the week's other shifts hold no event: no figures, left out of the summary
    assert {(r["recorded"], r["plan"], r["actual"]) for r in rows if r not in recorded} == {
        ("false", "", "")
    }
    out = tmp_path / "report.html"
    done = report(history, "--month", "--at", "2026-03-04", "--format", "html", "-o", str(out))
    assert done.returncode == 0, done.stderr
    assert "<svg" in out.read_text()


def test_bad_requests_are_refused_plainly(history: str) -> None:
    done = report(history, "--line", "line-z")
    assert done.returncode == 1
    assert "there is no line 'line-z' in plant demo-plant (its lines: line-a, line-b, line-c)" in (
        done.stderr
    )
    done = report(history, "--from", "2026-05-01", "--to", "2026-05-02")
    assert done.returncode == 1 and "no events of the site from 2026-05-01" in done.stderr
    done = report(history, "--from", "2026-05-02", "--to", "2026-05-01")
    assert done.returncode == 2 and "--to must come after --from" in done.stderr
    done = report("mysql://nowhere")
    assert done.returncode == 2 and "expected a database URL" in done.stderr
