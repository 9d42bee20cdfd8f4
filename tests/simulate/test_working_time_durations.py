"""Duration rules count planned working time, on the real station core of `andon simulate`.

Demo plant, early shift: breakfast 09:00-09:15. A help call needs a reason once it
lasted the minor-stop threshold (300 s) of planned working time, not of the clock.
"""

from __future__ import annotations

from pathlib import Path

from andon.simulate.load import load_scenario
from andon.simulate.report import build_report
from andon.simulate.runner import run_scenario

ROOT = Path(__file__).resolve().parents[2]
DEMO = ROOT / "firmware_config" / "demo"
HEAD = """kind = "scenario"
schema = 1
name = "A help call across breakfast"
start = 2026-03-04T08:30:00+01:00
end = 2026-03-04T09:40:00+01:00
stations = ["station-a2.toml"]
"""


def step(at: str, action: str) -> str:
    return f'\n[[steps]]\nat = "{at}"\nstation = "line-a/a2"\n{action}\n'


RESOLVE = 'command = { name = "resolve", call = "help", by = "Anna Becker" }'


def played(tmp_path: Path, steps: str) -> tuple[dict, list[dict]]:
    scenario = tmp_path / "scenario.toml"
    scenario.write_text(HEAD + steps, encoding="utf-8")
    report = build_report(run_scenario(load_scenario(scenario, DEMO)))
    (line,) = report["lines"]
    (shift,) = line["shifts"]
    return report, shift["calls"]


def test_raised_2_min_before_a_15_min_break_resolved_10_min_into_it_needs_no_reason(
    tmp_path: Path,
) -> None:
    """22 minutes on the clock, 2 of them planned working time: under 5 min, no reason."""
    report, calls = played(tmp_path, step("08:58:00", 'press = "help"') + step("09:10:00", RESOLVE))
    assert report["refused"] == []
    (call,) = calls
    assert call["status"] == "resolved"
    assert call["reason"] in (None, "", "-")


def test_working_time_on_both_sides_of_the_break_adds_up(tmp_path: Path) -> None:
    """3 min before breakfast and 3 after: 6 min of work, over 5: refused without a reason
    (saying so in working time), resolved when the reason comes with it."""
    with_reason = RESOLVE.replace(" }", ', args = { reason = "BRK-TOOL" } }')
    steps = (
        step("08:57:00", 'press = "help"')
        + step("09:18:00", RESOLVE)
        + step("09:18:30", with_reason)
    )
    report, calls = played(tmp_path, steps)
    (refusal,) = report["refused"]
    assert refusal["at"].startswith("2026-03-04T09:18:00")
    assert "6.0 min of planned working time" in refusal["reason"]
    (call,) = calls
    assert (call["status"], call["reason"]) == ("resolved", "BRK-TOOL")


def test_a_call_over_the_threshold_before_the_break_still_needs_its_reason(
    tmp_path: Path,
) -> None:
    """6 min before breakfast, resolved in it: 6 min of work, the break adds nothing."""
    report, _ = played(tmp_path, step("08:54:00", 'press = "help"') + step("09:05:00", RESOLVE))
    (refusal,) = report["refused"]
    assert "6.0 min of planned working time" in refusal["reason"]
