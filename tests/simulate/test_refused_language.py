"""A scripted command the simulation could not send is listed in the report's language."""

from __future__ import annotations

from pathlib import Path

from andon.simulate.load import load_scenario
from andon.simulate.render import render_text
from andon.simulate.report import build_report
from andon.simulate.runner import run_scenario
from tests.simulate.test_scenario_errors import DEMO, step, write


def test_a_command_naming_no_open_call_is_listed_in_the_reports_language(tmp_path: Path) -> None:
    body = step('command = { name = "resolve", call = "help", by = "Anna" }')
    body += step(
        'command = { name = "stop_reason", stop = "fault", by = "Anna", args = { reason = "R" } }'
    )
    report = build_report(run_scenario(load_scenario(write(tmp_path, body), DEMO)))
    reasons = [r["reason"] for r in report["refused"]]
    assert reasons == [
        "no open help call at line-a/a3",
        "no fault stop at line-a/a3 in this shift",
    ]
    german = render_text(report, "de")
    assert "kein offener Hilfe-Ruf an line-a/a3" in german
    assert "kein Stopp fault an line-a/a3 in dieser Schicht" in german
    chinese = render_text(report, "zh_CN")
    assert "line-a/a3 没有未关闭的求助呼叫" in chinese
    assert "no open help call" not in chinese
