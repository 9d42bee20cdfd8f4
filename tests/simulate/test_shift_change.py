"""A scenario across a shift change reports each shift with its own figures."""

from __future__ import annotations

from pathlib import Path

from andon.simulate.load import load_scenario
from andon.simulate.report import build_report
from andon.simulate.runner import run_scenario

ROOT = Path(__file__).resolve().parents[2]
DEMO = ROOT / "firmware_config" / "demo"

SCENARIO = """\
kind = "scenario"
schema = 1
name = "Shift change"
start = 2026-03-04T13:00:00+01:00
end = 2026-03-04T14:30:00+01:00
stations = ["station-a3.toml"]

[[production]]
station = "a3"
from = "13:00"
to = "14:00"
every_s = 150

[[production]]
station = "a3"
from = "14:07:30"
to = "14:30"
every_s = 150

[[steps]]
at = "13:50"
station = "a3"
press = "quality"

[[steps]]
at = "14:10"
station = "a3"
command = { name = "resolve", call = "quality", by = "Sofia Rossi", args = { reason = "DEF-ASSY" } }
"""


def test_each_shift_has_its_own_figures_and_open_calls_carry_over(tmp_path):
    path = tmp_path / "scenario.toml"
    path.write_text(SCENARIO, encoding="utf-8")
    report = build_report(run_scenario(load_scenario(path, DEMO)))
    early, late = report["lines"][0]["shifts"]

    assert (early["shift"], early["until"]) == ("early", "2026-03-04T14:00:00+01:00")
    assert (late["shift"], late["until"]) == ("late", "2026-03-04T14:30:00+01:00")
    # Early: 13:50 is 26 400 planned working s into the shift (165 cycles of 160 s), so
    # the quality call raised then stops the line at 13:52:40 and holds it until it is
    # resolved at 14:10: pulses 13:00 ... 13:52:30 come (22), 13:55 and 13:57:30 do not.
    assert early["actual"] == 22
    assert early["relay"] == [
        {
            "station": "line-a/a3",
            "set_at": "2026-03-04T13:52:40+01:00",
            "released_at": "2026-03-04T14:10:00+01:00",
            "duration_s": 1040,
        }
    ]
    # Late: its plan starts at 14:05 after the start meeting; the 14:07:30 pulse is held
    # back, the line runs again from 14:10 (8 pulses).
    assert late["plan"] == round(25 * 60 / 160, 2)
    assert late["actual"] == 8
    assert [h["start"] for h in late["hours"]] == ["2026-03-04T14:00:00+01:00"]
    (call,) = late["calls"]
    assert call["raised_at"] == "2026-03-04T13:50:00+01:00"
    assert call["closed_after_s"] == 20 * 60 and call["reason"] == "DEF-ASSY"
    assert call["level"] == 2 and len(call["escalations"]) == 2  # its whole history
    (open_then,) = early["calls"]
    assert (open_then["status"], open_then["open_for_s"]) == ("raised", 600)
    assert [(e["level"], e["at"]) for e in open_then["escalations"]] == [
        (1, "2026-03-04T13:50:00+01:00"),
        (2, "2026-03-04T13:55:00+01:00"),
    ]
