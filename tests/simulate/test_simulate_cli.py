"""``andon simulate``: the JSON report and its documented keys, the text report, journals."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from andon.cli.main import main

ROOT = Path(__file__).resolve().parents[2]
DEMO = ROOT / "firmware_config" / "demo"

SCENARIO = """\
kind = "scenario"
schema = 1
name = "First hour and a half"
start = 2026-03-04T06:00:00+01:00
end = 2026-03-04T07:30:00+01:00
stations = ["station-a1.toml", "station-a3.toml"]

[[production]]
station = "a3"
from = "06:07:30"
to = "07:30"
every_s = 150

[[steps]]
at = "06:30"
station = "a3"
scan = "BD:1001"
note = "nothing waits: refused"

[[steps]]
at = "07:20"
station = "a3"
press = "help"

[[steps]]
at = "07:20:40"
station = "a3"
scan = "BD:1001"
"""


def keys(text: str) -> set[str]:
    return set(text.split())


DOCUMENTED = {  # as listed in docs/simulate.md
    "": keys("report scenario run production lines refused"),
    "scenario": keys("name file description start end timezone tick_s stations"),
    "run": keys("simulated_s wall_s speed journal_dir"),
    "production": keys("block station pulses paused"),
    "line": keys("line name stations counting_station shifts"),
    "shift": keys(
        "shift start end until counting_station takt_s ideal_cycle_s plan actual scrap total "
        "difference achievement pace hours calls material_lead_times line_stops relay stops "
        "downtime_by_reason kpi"
    ),
    "pace": keys("final changes time"),
    "pace_time": keys("too_fast_s too_slow_s normal_s not_judged_s"),
    "pace_change": keys("at from to actual planned"),
    "hour": keys("start end plan actual difference variance complete unexplained cause"),
    "call": keys(
        "call_id station type part express source raised_by raised_at status acknowledged_at "
        "acknowledged_after_s acknowledged_by closed_at closed_after_s closed_by open_for_s "
        "reason reason_label note level stopped_line escalations"
    ),
    "escalation": keys("level at after_s roles while"),
    "line_stop": keys("station cause call_id stopped_at released_at duration_s"),
    "relay": keys("station set_at released_at duration_s"),
    "stop": keys(
        "station stop_id source started_at ended_at duration_s class reason by reason_key "
        "explained_by"
    ),
    "downtime": keys("reason label seconds minor"),
    "kpi": keys(
        "planned_production_s downtime_s minor_stop_s run_s total_count good_count "
        "availability performance quality oee"
    ),
    "refused": keys("at station input reason"),
}


@pytest.fixture(scope="module")
def scenario(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("scenario") / "scenario.toml"
    path.write_text(SCENARIO, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def report(scenario: Path) -> dict:
    """The JSON report, written by the command to a file."""
    output = scenario.parent / "report.json"
    assert main(["simulate", str(DEMO), str(scenario), "--report", "json", "-o", str(output)]) == 0
    return json.loads(output.read_text(encoding="utf-8"))


def simulate(capsys: pytest.CaptureFixture[str], *args: str | Path) -> tuple[int, str, str]:
    capsys.readouterr()
    code = main(["simulate", *(str(a) for a in args)])
    out, err = capsys.readouterr()
    return code, out, err


def test_json_report_is_valid_json_with_the_documented_keys(report):
    assert set(report) == DOCUMENTED[""]
    assert report["report"] == "andon-simulation-report/1"
    assert set(report["scenario"]) == DOCUMENTED["scenario"]
    assert set(report["run"]) == DOCUMENTED["run"]
    (block,) = report["production"]
    assert set(block) == DOCUMENTED["production"]
    (line,) = report["lines"]
    assert set(line) == DOCUMENTED["line"]
    (shift,) = line["shifts"]
    assert set(shift) == DOCUMENTED["shift"]
    assert set(shift["pace"]) == DOCUMENTED["pace"]
    assert all(set(c) == DOCUMENTED["pace_change"] for c in shift["pace"]["changes"])
    assert set(shift["pace"]["time"]) == DOCUMENTED["pace_time"]
    assert all(set(h) == DOCUMENTED["hour"] for h in shift["hours"])
    (call,) = shift["calls"]
    assert set(call) == DOCUMENTED["call"]
    assert all(set(e) == DOCUMENTED["escalation"] for e in call["escalations"])
    (line_stop,) = shift["line_stops"]
    assert set(line_stop) == DOCUMENTED["line_stop"]
    (relay,) = shift["relay"]
    assert set(relay) == DOCUMENTED["relay"]
    (stop,) = shift["stops"]
    assert set(stop) == DOCUMENTED["stop"]
    assert all(set(d) == DOCUMENTED["downtime"] for d in shift["downtime_by_reason"])
    assert set(shift["kpi"]) == DOCUMENTED["kpi"]
    (refused,) = report["refused"]
    assert set(refused) == DOCUMENTED["refused"]


def test_the_report_covers_the_shift_up_to_the_scenario_end(report):
    (shift,) = report["lines"][0]["shifts"]
    assert (shift["shift"], shift["until"]) == ("early", "2026-03-04T07:30:00+01:00")
    # 06:05-07:30 is 5 100 s of planned production time; pulses every 150 s from 06:07:30
    # until 07:30, but none while the help call holds the line (07:22:20 until the end).
    assert shift["kpi"]["planned_production_s"] == 5100
    assert shift["plan"] == round(5100 / 160, 2)
    assert shift["actual"] == 30
    assert report["production"] == [{"block": 0, "station": "line-a/a3", "pulses": 30, "paused": 3}]
    (call,) = shift["calls"]
    assert call["status"] == "acknowledged" and call["open_for_s"] == 600
    assert shift["relay"][0]["released_at"] is None
    assert shift["line_stops"][0]["duration_s"] == 460  # 07:22:20 until 07:30
    assert report["refused"] == [
        {
            "at": "2026-03-04T06:30:00+01:00",
            "station": "line-a/a3",
            "input": "steps[0] scan BD:1001",
            "reason": "no call waiting for acknowledgement",
        }
    ]


def test_text_report_shows_every_section(scenario, capsys):
    code, out, _ = simulate(capsys, DEMO, scenario)
    assert code == 0
    for heading in (
        "Scenario: First hour and a half",
        "== line-a (Assembly line A) - shift early 06:00:00-14:00:00, until 07:30:00 ==",
        "Pace timeline",
        "Hourly table",
        "Downtime by reason",
        "Availability",
        "Calls",
        "Line stops",
        "Stops",
        "Refused inputs",
    ):
        assert heading in out
    assert "no call waiting for acknowledgement" in out


def test_journals_are_kept_where_asked_and_never_overwritten(
    scenario, tmp_path, capsys, monkeypatch
):
    journals = tmp_path / "journals"
    code, out, _ = simulate(capsys, DEMO, scenario, "--journal-dir", journals, "--report", "json")
    assert code == 0
    assert json.loads(out)["run"]["journal_dir"] == str(journals)
    kept = {p.name: p.read_bytes() for p in journals.glob("*.sqlite")}
    assert set(kept) == {"line-a-a1.sqlite", "line-a-a3.sqlite"}

    code, out, err = simulate(capsys, DEMO, scenario, "--journal-dir", journals)
    assert code == 2 and out == ""
    assert "journal already exists" in err and "line-a-a1.sqlite" in err
    assert {p.name: p.read_bytes() for p in journals.glob("*.sqlite")} == kept

    monkeypatch.setenv("LANGUAGE", "de")  # the refusal in the terminal's language
    code, out, err = simulate(capsys, DEMO, scenario, "--journal-dir", journals)
    assert code == 2 and out == ""
    assert "Journal existiert bereits" in err and "line-a-a1.sqlite" in err
    assert "journal already exists" not in err
    monkeypatch.setenv("LANGUAGE", "zh_CN")
    code, out, err = simulate(capsys, DEMO, scenario, "--journal-dir", journals)
    assert code == 2 and "日志已存在" in err and "line-a-a1.sqlite" in err


def test_the_text_report_in_chinese_and_german(scenario, capsys):
    code, out, _ = simulate(capsys, DEMO, scenario, "--language", "zh_CN")
    assert code == 0
    for words in ("场景：First hour and a half", "班次 早班", "生产实绩管理表", "可动率 "):
        assert words in out
    assert "没有等待确认的呼叫" in out  # the station's refusal, in the reader's language
    code, out, _ = simulate(capsys, DEMO, scenario, "--language", "de")
    assert code == 0
    assert "Stundentabelle" in out and "Verfügbarkeit " in out and "\xa0%" in out
    assert "Schicht Früh" in out and "Schicht early" not in out  # the plant's names
    code, _, err = simulate(capsys, DEMO, scenario, "--language", "xx")
    assert code != 0 and "--language" in err and "zh_TW" in err


BIN_SCENARIO = """\
kind = "scenario"
schema = 1
name = "An empty bin"
start = 2026-03-04T06:00:00+01:00
end = 2026-03-04T06:40:00+01:00
stations = ["station-a1.toml"]

[[steps]]
at = "06:10"
station = "a1"
bin = { part = "P-1001", empty = true }

[[steps]]
at = "06:20"
station = "a1"
bin = { part = "P-1001", empty = false }
"""


def test_the_text_report_names_the_bin_sensor_in_the_readers_language(tmp_path, capsys):
    path = tmp_path / "bin.toml"
    path.write_text(BIN_SCENARIO.replace("station-a1.toml", str(DEMO / "station-a1.toml")))
    shown = {}
    for language in ("en", "zh_CN", "zh_TW", "de"):
        code, out, _ = simulate(capsys, DEMO, path, "--language", language)
        assert code == 0
        shown[language] = out
    assert "bin sensor" in shown["en"]
    assert "料箱传感器" in shown["zh_CN"] and "bin sensor" not in shown["zh_CN"]
    assert "料箱感測器" in shown["zh_TW"] and "bin sensor" not in shown["zh_TW"]
    assert "Behältersensor" in shown["de"] and "bin sensor" not in shown["de"]
