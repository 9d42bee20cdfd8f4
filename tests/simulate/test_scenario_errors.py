"""A bad scenario file names the file, the key path and what was expected, before anything runs."""

from __future__ import annotations

from pathlib import Path

import pytest

from andon.cli.main import main
from andon.config.errors import ConfigError
from andon.simulate.load import load_scenario

ROOT = Path(__file__).resolve().parents[2]
DEMO = ROOT / "firmware_config" / "demo"

HEADER = """\
kind = "scenario"
schema = 1
name = "test"
start = 2026-03-04T06:00:00+01:00
end = 2026-03-04T08:00:00+01:00
stations = ["station-a1.toml", "station-a3.toml"]
"""


def write(tmp_path: Path, body: str, header: str = HEADER) -> Path:
    path = tmp_path / "scenario.toml"
    path.write_text(header + body, encoding="utf-8")
    return path


def issues(path: Path) -> list[tuple[str, str]]:
    with pytest.raises(ConfigError) as caught:
        load_scenario(path, DEMO)
    assert caught.value.file == path
    assert all(issue.file == path for issue in caught.value.errors)
    return [(issue.where(), issue.message) for issue in caught.value.errors]


def step(body: str, at: str = '"07:00"', station: str = '"line-a/a3"') -> str:
    return f"\n[[steps]]\nat = {at}\nstation = {station}\n{body}\n"


@pytest.mark.parametrize(
    ("body", "key_path", "expected"),
    [
        (step(""), "steps[0]", "expected exactly one action (press, hold, "),
        (step('press = "help"\nscan = "BD:1001"'), "steps[0]", "got press and scan"),
        (step('pres = "help"'), "steps[0].pres", "unknown key; expected one of: at, station"),
        (step('press = "help"', at='"7 o\'clock"'), "steps[0].at", 'expected a plant time "HH:MM"'),
        (step('press = "help"', at='"25:00"'), "steps[0].at", 'expected a plant time "HH:MM"'),
        (step('press = "help"', at='"09:00"'), "steps[0].at", "expected an instant from start"),
        (step('press = "help"', station='"b2"'), "steps[0].station", 'got "b2"'),
        (step('press = "andon"'), "steps[0].press", "a button for call type 'andon'"),
        (
            step('bin = { part = "P-1001", empty = true }'),
            "steps[0].bin.part",
            "expected a bin for part 'P-1001' (bins: none) in the pin map of station line-a/a3",
        ),
        (step('bin = { part = "P-1001" }'), "steps[0].bin.empty", "this key is required"),
        (step("count = 0"), "steps[0].count", "expected a number of at least 1, got 0"),
        (step('count = "3"'), "steps[0].count", 'expected a whole number, got "3"'),
        (step('scanner = "other"\npress = "help"'), "steps[0].scanner", "only together with scan"),
        (
            step('command = { name = "resolve", call = "help", args = { reasons = "R" } }'),
            "steps[0].command",
            "resolve: unknown arguments ['reasons']",
        ),
        (
            step('command = { name = "reboot", by = "x" }'),
            "steps[0].command.name",
            "expected one of raise, acknowledge, resolve",
        ),
        (
            step('command = { name = "kanban", call = "material", args = { part = "P-1001" } }'),
            "steps[0].command.call",
            "expected call only with acknowledge, cancel, resolve",
        ),
        (
            step('command = { name = "hour_cause", by = "x", args = { hour_start = "noon" } }'),
            "steps[0].command.args.hour_start",
            'expected a plant time "HH:MM"',
        ),
        (
            '\n[[production]]\nstation = "a3"\nfrom = "07:00"\nto = "06:30"\nevery_s = 150\n',
            "production[0].to",
            "expected an instant after from",
        ),
        (
            '\n[[production]]\nstation = "a3"\nfrom = "07:00"\nto = "08:00"\nevery_s = 0\n',
            "production[0].every_s",
            "expected a number greater than 0, got 0",
        ),
    ],
)
def test_a_bad_step_is_named_with_its_key_path(tmp_path, body, key_path, expected):
    found = issues(write(tmp_path, body))
    assert any(where == key_path and expected in message for where, message in found), found


def test_bad_instants_and_header(tmp_path):
    header = HEADER.replace("2026-03-04T06:00:00+01:00", "2026-03-04T06:00:00").replace(
        'kind = "scenario"', 'kind = "station"'
    )
    found = dict(issues(write(tmp_path, "", header=header)))
    assert "expected an instant with a UTC offset" in found["start"]
    assert found["kind"] == 'expected one of "scenario", got "station"'
    backwards = HEADER.replace("08:00:00+01:00", "05:00:00+01:00")
    assert dict(issues(write(tmp_path, "", header=backwards)))["end"].startswith(
        "expected an instant after start"
    )


def test_a_missing_station_file_is_named(tmp_path):
    header = HEADER.replace('"station-a3.toml"', '"station-z9.toml"')
    (where, message), *_ = issues(write(tmp_path, "", header=header))
    assert where == "stations[1]"
    assert "expected a station file" in message and "station-z9.toml" in message


def test_a_toml_syntax_error_has_its_line_and_column(tmp_path):
    path = write(tmp_path, step("press = "))
    with pytest.raises(ConfigError) as caught:
        load_scenario(path, DEMO)
    (issue,) = caught.value.errors
    assert issue.line == 11 and "TOML syntax error" in issue.message


def test_every_problem_is_reported_at_once(tmp_path):
    body = (
        step('press = "andon"')
        + step('press = "help"', station='"nowhere"')
        + step('press = "help"\nfault = true')
        + step("count = 1", at='"05:00"')
    )
    found = [where for where, _ in issues(write(tmp_path, body))]
    assert found == ["steps[0].press", "steps[1].station", "steps[2]", "steps[3].at"]


def test_the_command_prints_file_key_and_expectation_and_fails(tmp_path, capsys):
    path = write(tmp_path, step('press = "andon"'))
    code = main(["simulate", str(DEMO), str(path)])
    out, err = capsys.readouterr()
    assert code == 1 and out == ""
    assert (
        f"{path}: steps[0].press: expected a button for call type 'andon' "
        "in the pin map of station line-a/a3"
    ) in err


def test_the_scenarios_problems_are_in_the_terminals_language(tmp_path, capsys, monkeypatch):
    body = (
        step('press = "andon"')
        + step('bin = { part = "P-1001", empty = true }')
        + step("count = 1", at='"05:00"')
        + step("")
    )
    path = write(tmp_path, body)
    monkeypatch.setenv("LANGUAGE", "zh_CN")
    assert main(["simulate", str(DEMO), str(path)]) == 1
    err = capsys.readouterr().err
    assert f"{path}：steps[0].press：工位 line-a/a3 的引脚表中应有呼叫类型 'andon' 的按钮" in err
    assert (
        f"{path}：steps[1].bin.part：工位 line-a/a3 的引脚表中应有零件 'P-1001' 的料箱（料箱：无）"
    ) in err
    assert f"{path}：steps[2].at：应为 start 起、end 之前的时刻（" in err
    assert f"{path}：steps[3]：应恰好有一个动作（press, hold, " in err
    monkeypatch.setenv("LANGUAGE", "de")
    assert main(["simulate", str(tmp_path), str(path)]) == 1
    err = capsys.readouterr().err
    assert f"stations[0]: erwartet eine Stationsdatei in {tmp_path}, keine Datei " in err
