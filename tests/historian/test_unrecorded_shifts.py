"""Shifts without any record of the line are left out of every figure of a report.

Line A of the demo plant (takt 160 s, ideal cycle 150 s; each shift has 27 000 s
of working time, so a plan of 27 000 / 160 = 168.75). The stations run from
2026-03-04 06:00: in the early shift A3 counts a unit every 200 s from 06:05:00
to 08:58:20 (53 units, run time 10 400 s, then a no-count stop over the other
16 600 s); in the late shift the stations are on and nothing is made (a no-count
stop all shift: recorded, plan 168.75, actual 0). The three shifts of
2026-03-03 hold no event at all: not recorded.

By hand, over 2026-03-03 06:00 to 2026-03-04 22:00: 2 of 5 shifts recorded,
plan 337.5, actual 53, achievement 53 / 337.5 = 15.70 %, planned production
54 000 s, availability 10 400 / 54 000 = 19.26 %, performance 53 × 150 / 10 400
= 76.44 %, OEE 14.72 %.
"""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from andon.historian.formats import render
from andon.historian.period import Period
from andon.historian.report import Scope, build_report
from andon.historian.simulation import store_simulation
from andon.historian.site import load_site
from andon.historian.stores import open_store
from andon.simulate.load import load_scenario
from andon.simulate.runner import SimulationRun, run_scenario

ROOT = Path(__file__).resolve().parents[2]
DEMO = ROOT / "firmware_config" / "demo"
BERLIN = ZoneInfo("Europe/Berlin")
NOW = datetime(2026, 3, 5, tzinfo=BERLIN)
PERIOD = Period(
    "range", datetime(2026, 3, 3, 6, tzinfo=BERLIN), datetime(2026, 3, 4, 22, tzinfo=BERLIN)
)


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory) -> SimulationRun:
    path = tmp_path_factory.mktemp("unrecorded") / "scenario.toml"
    path.write_text(
        'kind = "scenario"\nschema = 1\nname = "One working shift, one idle"\n'
        "start = 2026-03-04T06:00:00+01:00\nend = 2026-03-04T22:10:00+01:00\n"
        'stations = ["station-a1.toml", "station-a2.toml", "station-a3.toml"]\ntick_s = 30\n\n'
        '[[production]]\nstation = "line-a/a3"\nfrom = "06:05:00"\nto = "09:00:00"\n'
        "every_s = 200\n",
        encoding="utf-8",
    )
    return run_scenario(load_scenario(path, DEMO))


def report(url: str) -> dict:
    with open_store(url) as store:
        site = load_site(DEMO)
        return build_report(store, site, Scope("line", "line-a"), PERIOD, now=NOW, compare=True)


def test_the_shifts_without_record_are_left_out(history_url, run) -> None:
    store_simulation(run, history_url)
    got = report(history_url)
    shifts = got["lines"][0]["shifts"]
    assert [(s["shift"], s["recorded"]) for s in shifts] == [
        ("early", False), ("late", False), ("night", False), ("early", True), ("late", True)
    ]  # fmt: skip
    assert all(s["plan"] is None and s["kpi"] is None for s in shifts[:3])
    idle = shifts[4]
    assert (idle["plan"], idle["actual"]) == (168.75, 0)
    assert idle["kpi"]["downtime_s"] == 27_000.0, "on but idle: recorded, all downtime"
    summary = got["summary"]
    assert summary["shifts"] == {"total": 5, "recorded": 2, "unrecorded": 3}
    assert (summary["plan"], summary["actual"], summary["achievement"]) == (337.5, 53, 0.157)
    kpi = summary["kpi"]
    assert (kpi["planned_production_s"], kpi["run_s"]) == (54_000.0, 10_400.0)
    assert (kpi["availability"], kpi["performance"], kpi["oee"]) == (0.1926, 0.7644, 0.1472)
    prior = got["previous"]["summary"]
    assert prior["shifts"] == {"total": 5, "recorded": 0, "unrecorded": 5}
    assert prior["plan"] == 0 and prior["kpi"]["oee"] is None, "nothing recorded: no factor"


def test_every_format_says_how_many_shifts_are_left_out(sqlite_url, run) -> None:
    store_simulation(run, sqlite_url)
    got = report(sqlite_url)
    table = render(got, "table")
    assert "2 of 5 shifts recorded; 3 without any record are left out of every figure." in table
    assert "Previous period: 0 of 5 shifts recorded; 5 without any record are left out" in table
    row = next(r for r in table.splitlines() if r.startswith("shifts recorded"))
    assert row.split()[2:] == ["2", "of", "5", "0", "of", "5"]
    assert "3 without any record are left out" in render(got, "html")
    assert "5 ohne jede Aufzeichnung fließen in keine Kennzahl ein." in render(got, "table", "de")
    assert "5 个班次中 2 个有记录；3 个没有任何记录" in render(got, "table", "zh_CN")
    assert "5 個班次中 2 個有記錄" in render(got, "html", "zh_TW")
    rows = [r.split(",") for r in render(got, "csv").splitlines()]
    recorded = rows[0].index("recorded")
    assert [r[recorded] for r in rows[1:]] == ["false"] * 3 + ["true"] * 2


def test_both_databases_leave_out_the_same_shifts(sqlite_url, postgres_url, run) -> None:
    store_simulation(run, sqlite_url)
    store_simulation(run, postgres_url)
    a, b = report(sqlite_url), report(postgres_url)
    assert json.dumps(a, sort_keys=True) == json.dumps(b, sort_keys=True)
