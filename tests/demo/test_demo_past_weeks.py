"""A first start opens with history: the shift running now, 7, 14 and 21 days back.

The real ``andon demo`` (headless, with its embedded broker) starts on a new data
folder; once its log says the past weeks are ready it runs a few seconds more.
Then the board's History screen (a Textual pilot on the demo's own history
file) shows last week's figures beside this shift's and four weeks of calls and
repair times; ``andon report --week --compare`` has a previous week; and a second
start on the same folder keeps the past weeks as they are (none played again).
"""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from dataclasses import replace
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from textual.pilot import Pilot

from andon.board.app import BoardApp
from andon.board.catalogue import BoardCatalogue
from andon.config.loader import load_board
from andon.domain.events import format_instant, parse_instant
from tests.board.live import until_text
from tests.board.pilot import SetClock, run, screen_text

SPEED = "30"
READY = "history: past weeks ready"
DEMO_CONFIG = Path(__file__).resolve().parents[2] / "firmware_config" / "demo"


def command(data: Path, *extra: str) -> list[str]:
    """The demo on its own embedded broker (a free loopback port when 1883 is taken)."""
    return [
        sys.executable, "-m", "andon", "demo", "--headless", "--speed", SPEED, "--web", "off",
        "--data", str(data), *extra,
    ]  # fmt: skip


def first_start(data: Path) -> None:
    """Run the demo until the past weeks are played and the stations ran a few seconds."""
    log = data / "demo.log"
    demo = subprocess.Popen(
        command(data, "--seconds", "600"),
        text=True,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=os.environ,
    )
    try:
        deadline = time.monotonic() + 400
        while not (log.exists() and READY in log.read_text(encoding="utf-8")):
            assert demo.poll() is None, demo.communicate()[1][-3000:]
            assert time.monotonic() < deadline, "the past weeks were not played in time"
            time.sleep(0.5)
        time.sleep(6)
    finally:
        demo.send_signal(signal.SIGTERM)
        out, err = demo.communicate(timeout=60)
    assert demo.returncode == 0, err[-3000:]
    assert "andon demo: loading the past weeks into the history" in out, out


def rows(path: Path, sql: str, *args: object) -> list[tuple]:
    with sqlite3.connect(path) as db:
        return db.execute(sql, args).fetchall()


def newest(data: Path) -> datetime:
    return parse_instant(rows(data / "history.sqlite", "select max(at) from events")[0][0])


def before(data: Path, boundary: datetime) -> dict[str, list[tuple]]:
    """Every event before ``boundary``, per journal and in the history: (seq, id)."""
    at = format_instant(boundary)
    found = {
        p.stem: rows(p, "select seq, id from events where at < ? order by seq", at)
        for p in sorted(data.glob("line-*.sqlite"))
    }
    history = "select station, seq, id from events where at < ? order by station, seq"
    found["history"] = rows(data / "history.sqlite", history, at)
    return found


@pytest.fixture(scope="module")
def demo_data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    data = tmp_path_factory.mktemp("demo") / "data"
    first_start(data)
    return data


def test_a_first_start_plays_the_shift_three_weeks_back(demo_data: Path) -> None:
    log = (demo_data / "demo.log").read_text(encoding="utf-8")
    assert "Traceback" not in log, log[-3000:]
    assert "WARNING andon.demo.past_weeks" not in log, "no scripted input was refused"
    now = newest(demo_data)
    weeks = {
        (now - parse_instant(at)).days // 7
        for (at,) in rows(demo_data / "history.sqlite", "select at from events")
    }
    assert weeks == {0, 1, 2, 3}, "this shift and the same shift 1, 2 and 3 weeks back"
    # The history holds exactly the journals: the past weeks are the journals' first rows.
    held: dict[str, list[int]] = {}
    for station, seq in rows(demo_data / "history.sqlite", "select station, seq from events"):
        held.setdefault("-".join(station.split("/")[-2:]), []).append(seq)
    for path in sorted(demo_data.glob("line-*.sqlite")):
        seqs = [seq for (seq,) in rows(path, "select seq from events order by seq")]
        assert sorted(held[path.stem]) == seqs, path.stem


def test_the_history_screen_shows_last_week_and_four_weeks(demo_data: Path) -> None:
    history = f"sqlite:///{demo_data / 'history.sqlite'}"
    board = BoardCatalogue.from_board(load_board(DEMO_CONFIG / "board.toml"))
    app = BoardApp(replace(board, history=history), clock=SetClock(newest(demo_data)))

    async def check(pilot: Pilot[None]) -> None:
        await pilot.press("h")
        await until_text(pilot, "History of Assembly line A")
        await until_text(pilot, "Downtime by reason, last 4 weeks")
        lines = screen_text(pilot.app).splitlines()
        actual = next(line for line in lines if line.split()[:1] == ["Actual"]).split()
        assert actual[1].isdigit() and actual[2].isdigit() and int(actual[2]) > 0, actual
        calls = next(line for line in lines if line.split()[:1] == ["Calls"]).split()
        assert calls[2].isdigit() and int(calls[2]) > 0, calls
        weeks = [line.split() for line in lines if "/26 " in line]
        assert len(weeks) == 4, weeks
        for week in weeks[:3]:  # the three weeks before this one: calls and repair times
            assert int(week[1]) > 0 and week[3] != "–", week

    run(app, check, size=(120, 50))


def test_report_compares_this_week_with_the_played_one(demo_data: Path) -> None:
    report_command = [
        sys.executable, "-m", "andon", "report", "--config", str(DEMO_CONFIG),
        "--database", f"sqlite:///{demo_data / 'history.sqlite'}", "--line", "line-a",
        "--week", "--at", format_instant(newest(demo_data)), "--compare", "--format", "json",
    ]  # fmt: skip
    done = subprocess.run(report_command, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    previous = report["previous"]["summary"]
    assert previous["actual"] > 0 and previous["calls"] > 0, previous
    assert report["summary"]["actual"] > 0


def test_a_second_start_keeps_the_past_weeks_as_they_are(demo_data: Path) -> None:
    boundary = newest(demo_data) - timedelta(days=2)
    kept = before(demo_data, boundary)
    events = rows(demo_data / "history.sqlite", "select count(*) from events")[0][0]
    done = subprocess.run(
        command(demo_data, "--seconds", "8"),
        capture_output=True,
        text=True,
        timeout=90,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    assert before(demo_data, boundary) == kept, "no past week is played again"
    after = rows(demo_data / "history.sqlite", "select count(*) from events")[0][0]
    assert after > events, "the second run goes on from the first"
    assert (demo_data / "demo.log").read_text(encoding="utf-8").count(READY) == 1
