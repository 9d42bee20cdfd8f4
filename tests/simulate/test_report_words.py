"""The simulation's text report names everything in the reader's language: the Q of OEE
apart from the quality call, the Pareto's minor stops and missing reasons, the button."""

from __future__ import annotations

from pathlib import Path

import pytest

from andon.cli.main import main

DEMO = Path(__file__).resolve().parents[2] / "firmware_config" / "demo"

SCENARIO = """\
kind = "scenario"
schema = 1
name = "A quality call and a short fault"
start = 2026-03-04T06:00:00+01:00
end = 2026-03-04T07:00:00+01:00
stations = ["station-a3.toml"]

[[production]]
station = "a3"
from = "06:07:30"
to = "07:00"
every_s = 150

[[steps]]
at = "06:30"
station = "a3"
press = "quality"

[[steps]]
at = "06:30:20"
station = "a3"
acknowledge_button = true

[[steps]]
at = "06:31"
station = "a3"
scan = "RC:DEF-ASSY"

[[steps]]
at = "06:45"
station = "a3"
fault = true

[[steps]]
at = "06:46"
station = "a3"
fault = false
"""

SHOWN = {
    "en": {
        "kpi": "Quality",
        "call": "Quality",
        "button": "station button",
        "minor": "Stops shorter than the minor-stop threshold (performance loss)",
        "missing": "Line stop: reason missing",
    },
    "zh_CN": {
        "kpi": "良品率",
        "call": "质量",
        "button": "工位按钮",
        "minor": "短于点点停阈值的停止（性能损失）",
        "missing": "停线：缺少原因",
    },
    "de": {
        "kpi": "Qualität",
        "call": "Qualität",
        "button": "Stationstaste",
        "minor": "Stopps unter der Kurzstillstandsgrenze (Leistungsverlust)",
        "missing": "Linienstopp: Grund fehlt",
    },
}
ENGLISH = ("minor-stop threshold", "reason missing", "station button")


@pytest.fixture(scope="module")
def scenario(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("words") / "scenario.toml"
    path.write_text(SCENARIO.replace("station-a3.toml", str(DEMO / "station-a3.toml")))
    return path


@pytest.mark.parametrize("language", SHOWN)
def test_the_report_speaks_the_readers_words(
    scenario: Path, capsys: pytest.CaptureFixture[str], language: str
) -> None:
    assert main(["simulate", str(DEMO), str(scenario), "--language", language]) == 0
    rows = capsys.readouterr().out.splitlines()
    words = SHOWN[language]
    (kpis,) = [row for row in rows if row.count("%") == 4]  # A, P, Q and OEE
    assert f"   {words['kpi']} " in kpis
    (call,) = [row for row in rows if "line-a.a3.C1" in row]
    assert call.split()[2] == words["call"]
    assert call.count(f"  {words['button']}  ") == 2  # took and closed it
    pareto = [row.split("  ") for row in rows if row.startswith("  -  ")]  # no reason code
    labels = {part.strip() for parts in pareto for part in parts if part.strip()}
    assert {words["minor"], words["missing"]} <= labels
    if language != "en":
        assert [row for row in rows if any(english in row for english in ENGLISH)] == []
