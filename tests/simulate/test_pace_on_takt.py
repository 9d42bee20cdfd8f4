"""Pace in `andon simulate`: a line on takt is never judged; one off takt is judged once.

Line A of the demo plant (takt 160 s) over the whole early shift, 06:00-14:00 with a
start meeting 06:00-06:05, breakfast 09:00-09:15 and a short break 11:30-11:40. The
cycle sensor of A3 clicks once per cycle of planned working time, the first unit one
cycle after the meeting (06:07:40 at 160 s): before the band counted in units, this
line flapped normal <-> too slow five times between 06:15 and 06:26.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from andon.simulate.load import load_scenario
from andon.simulate.report import build_report
from andon.simulate.runner import run_scenario

ROOT = Path(__file__).resolve().parents[2]
DEMO = ROOT / "firmware_config" / "demo"
BERLIN = ZoneInfo("Europe/Berlin")
WORK = [((6, 5), (9, 0)), ((9, 15), (11, 30)), ((11, 40), (14, 0))]


def t(hh: int, mm: int, ss: int = 0) -> datetime:
    return datetime(2026, 3, 4, hh, mm, ss, tzinfo=BERLIN)


def production(every_s: int) -> str:
    """One unit per ``every_s`` of planned working time, the cycles carried across breaks:
    a block per working period, from its first unit on."""
    blocks, worked = [], 0
    for (h0, m0), (h1, m1) in WORK:
        start, end = t(h0, m0), t(h1, m1)
        length = int((end - start).total_seconds())
        first = every_s - worked % every_s  # seconds of this period until the next unit
        if first < length:
            blocks.append(
                f'[[production]]\nstation = "line-a/a3"\n'
                f'from = "{start + timedelta(seconds=first):%H:%M:%S}"\n'
                f'to = "{end:%H:%M:%S}"\nevery_s = {every_s}\n'
            )
        worked += length
    return "\n".join(blocks)


def scenario(tmp_path: Path, every_s: int) -> Path:
    path = tmp_path / f"every-{every_s}.toml"
    path.write_text(
        'kind = "scenario"\nschema = 1\nname = "Steady line"\n'
        "start = 2026-03-04T06:00:00+01:00\nend = 2026-03-04T14:00:00+01:00\n"
        'stations = ["station-a3.toml"]\ntick_s = 30\n\n' + production(every_s),
        encoding="utf-8",
    )
    return path


def pace_of(tmp_path: Path, every_s: int) -> tuple[dict, dict]:
    report = build_report(run_scenario(load_scenario(scenario(tmp_path, every_s), DEMO)))
    (line,) = report["lines"]
    (shift,) = line["shifts"]
    return shift, shift["pace"]


def test_the_scenario_clicks_once_per_takt_of_working_time(tmp_path: Path) -> None:
    text = production(160)
    assert 'from = "06:07:40"' in text
    # 06:05-09:00 is 10 500 s = 65 cycles + 100 s: the next unit 60 s after the break
    assert 'from = "09:16:00"' in text
    assert text.count("[[production]]") == 3


def test_a_line_exactly_on_takt_is_normal_all_shift(tmp_path: Path) -> None:
    shift, pace = pace_of(tmp_path, 160)
    assert (shift["plan"], shift["actual"]) == (168.75, 168)  # 27 000 s / 160 s
    assert pace["changes"] == []
    assert pace["final"] == "normal"


@pytest.mark.parametrize("every_s", [150, 170])
def test_a_line_within_the_band_is_normal_all_shift(tmp_path: Path, every_s: int) -> None:
    """Cycles 6 % shorter or longer than takt: within the 10 % band all shift."""
    _, pace = pace_of(tmp_path, every_s)
    assert pace["changes"] == []


def test_a_line_at_80_percent_is_too_slow_once_and_stays(tmp_path: Path) -> None:
    """One unit every 200 s. At 06:21:30 (990 s of work) the plan is 6.19 and 4 units are
    done (the 5th comes at 06:21:40): 2.19 behind, beyond 1.5 + 10 % of 6.19; at the
    look before, 06:21:00, 2.0 behind was within 2.1. Never released afterwards."""
    shift, pace = pace_of(tmp_path, 200)
    (change,) = pace["changes"]
    assert (change["from"], change["to"]) == ("normal", "too_slow")
    assert datetime.fromisoformat(change["at"]) == t(6, 21, 30)
    assert (change["actual"], change["planned"]) == (4, 6.188)
    assert pace["final"] == "too_slow"
    assert shift["actual"] == 133


def test_a_line_at_120_percent_is_too_fast_once_and_stays(tmp_path: Path) -> None:
    """One unit every 133 s (120 % of takt's rate). The 18th unit, at 06:44:54, puts it
    3.04 ahead of a plan of 14.96: beyond 1.5 + 1.50. Never released afterwards."""
    _, pace = pace_of(tmp_path, 133)
    (change,) = pace["changes"]
    assert (change["from"], change["to"]) == ("normal", "too_fast")
    assert datetime.fromisoformat(change["at"]) == t(6, 44, 54)
    assert (change["actual"], change["planned"]) == (18, 14.963)
    assert pace["final"] == "too_fast"
