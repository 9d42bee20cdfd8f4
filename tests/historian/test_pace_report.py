"""Pace periods in `andon report`: the working time too fast, too slow, normal and not judged.

Line A of the demo plant (takt 160 s), A3 counting, over the early and the
late shift of 2026-03-04 (06:00-14:00 and 14:00-22:00, each with a 5-min start
meeting, a 15-min and a 10-min break: 27 000 s of working time). In the early
shift a unit comes every 200 s, in the late one every 133 s, each from one cycle
after the start meeting. The judge may judge once 600 s of working time have
passed (the plan is 1 unit after 160 s): 06:15 and 14:15. The early shift goes
too slow at 06:21:30 and stays; the late one too fast at 14:44:54 and stays (the
instants are worked out in tests/simulate/test_pace_on_takt.py).
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from andon.historian.formats import render
from andon.historian.period import Period, period_at
from andon.historian.report import Scope, build_report
from andon.historian.simulation import store_simulation
from andon.historian.site import load_site
from andon.historian.stores import open_store
from andon.simulate.load import load_scenario
from andon.simulate.runner import SimulationRun, run_scenario
from tests.historian.test_report import NOW

ROOT = Path(__file__).resolve().parents[2]
DEMO = ROOT / "firmware_config" / "demo"
BERLIN = ZoneInfo("Europe/Berlin")
EARLY = [((6, 5), (9, 0)), ((9, 15), (11, 30)), ((11, 40), (14, 0))]
LATE = [((14, 5), (17, 0)), ((17, 15), (19, 30)), ((19, 40), (22, 0))]

# early: 600 s not judged, 06:15:00-06:21:30 normal, the rest too slow
EARLY_TIME = {"too_fast_s": 0.0, "too_slow_s": 26_010.0, "normal_s": 390.0, "not_judged_s": 600.0}
# late: 600 s not judged, 14:15:00-14:44:54 normal, the rest too fast
LATE_TIME = {"too_fast_s": 24_606.0, "too_slow_s": 0.0, "normal_s": 1_794.0, "not_judged_s": 600.0}


def t(hh: int, mm: int, ss: int = 0) -> datetime:
    return datetime(2026, 3, 4, hh, mm, ss, tzinfo=BERLIN)


def production(work: list[tuple[tuple[int, int], tuple[int, int]]], every_s: int) -> str:
    """One unit per ``every_s`` of working time, cycles carried across the breaks."""
    blocks, worked = [], 0
    for (h0, m0), (h1, m1) in work:
        start, end = t(h0, m0), t(h1, m1)
        first = every_s - worked % every_s
        if first < (end - start).total_seconds():
            blocks.append(
                f'[[production]]\nstation = "line-a/a3"\n'
                f'from = "{start + timedelta(seconds=first):%H:%M:%S}"\n'
                f'to = "{end:%H:%M:%S}"\nevery_s = {every_s}\n'
            )
        worked += int((end - start).total_seconds())
    return "\n".join(blocks)


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory) -> SimulationRun:
    path = tmp_path_factory.mktemp("pace") / "pace.toml"
    path.write_text(
        'kind = "scenario"\nschema = 1\nname = "Slow, then fast"\n'
        "start = 2026-03-04T06:00:00+01:00\nend = 2026-03-04T22:10:00+01:00\n"
        'stations = ["station-a1.toml", "station-a2.toml", "station-a3.toml"]\ntick_s = 30\n\n'
        + production(EARLY, 200)
        + "\n"
        + production(LATE, 133)
        + "".join(PAST_THE_END.format(station=s) for s in ("a1", "a2", "a3")),
        encoding="utf-8",
    )
    return run_scenario(load_scenario(path, DEMO))


@pytest.fixture(scope="module")
def site():
    return load_site(DEMO)


PAST_THE_END = '\n[[steps]]\nat = "22:01:00"\nstation = "line-a/{station}"\npress = "help"\n'
"""A help call at every station in the night shift: a fold past 22:00 passes the late
shift's end at every station, so both shifts are closed and their sections kept."""

DAYTIME = Period("range", t(6, 0), t(22, 0))


def report(url: str, site, period: Period = DAYTIME, **kwargs) -> dict:
    with open_store(url) as store:
        return build_report(store, site, Scope("line", "line-a"), period, now=NOW, **kwargs)


def test_the_pace_periods_equal_the_numbers_worked_out_by_hand(history_url, run, site) -> None:
    store_simulation(run, history_url)
    got = report(history_url, site)
    early, late = got["lines"][0]["shifts"]
    assert [c["to"] for c in early["pace"]["changes"]] == ["too_slow"]
    assert datetime.fromisoformat(early["pace"]["changes"][0]["at"]) == t(6, 21, 30)
    assert datetime.fromisoformat(late["pace"]["changes"][0]["at"]) == t(14, 44, 54)
    assert early["pace"]["time"] == EARLY_TIME
    assert late["pace"]["time"] == LATE_TIME
    for shift in (early, late):
        assert sum(shift["pace"]["time"].values()) == shift["kpi"]["planned_production_s"]
    seconds = {"too_fast": 24_606.0, "too_slow": 26_010.0, "normal": 2_184.0, "not_judged": 1_200.0}
    shares = {"too_fast": 0.4557, "too_slow": 0.4817, "normal": 0.0404, "not_judged": 0.0222}
    pace = got["summary"]["pace"]
    assert pace["by_line"] == [{"line": "line-a", "seconds": seconds, "share": shares}]
    assert pace["all"] == {"seconds": seconds, "share": shares}


def test_both_databases_give_the_same_pace_periods(sqlite_url, postgres_url, run, site) -> None:
    store_simulation(run, sqlite_url)
    store_simulation(run, postgres_url)
    a, b = report(sqlite_url, site), report(postgres_url, site)
    assert json.dumps(a, sort_keys=True) == json.dumps(b, sort_keys=True)
    for fmt in ("table", "csv", "html"):
        for language in ("en", "de", "zh_CN"):
            assert render(a, fmt, language) == render(b, fmt, language)


def test_the_summary_from_kept_sections_equals_the_one_from_raw_events(
    history_url, run, site
) -> None:
    store_simulation(run, history_url)
    # past 22:00, so that the folds pass the late shift's end (the night shift is cut)
    evening = Period("range", t(6, 0), t(22, 30))
    raw = report(history_url, site, evening)  # folds the events, keeps the closed sections
    with open_store(history_url) as store:
        kept = [start for _, _, start, _ in store.held_shift_sections("line-a")]
    assert kept == [t(6, 0), t(14, 0)]
    again = report(history_url, site, evening)  # added up from the sections
    shifts = again["lines"][0]["shifts"]
    assert [s["pace"]["time"] for s in shifts[:2]] == [EARLY_TIME, LATE_TIME]
    assert again["summary"]["pace"] == raw["summary"]["pace"]
    assert again == raw


def test_compare_shows_the_change_of_the_pace_periods(sqlite_url, run, site) -> None:
    store_simulation(run, sqlite_url)
    late = period_at("shift", t(15, 0), site.plant.domain_calendar())
    got = report(sqlite_url, site, late, compare=True)
    assert got["previous"]["summary"]["pace"]["all"]["seconds"]["too_slow"] == 26_010.0
    changes = {c["figure"]: c for c in got["changes"]}
    assert (changes["too_fast_s"]["now"], changes["too_fast_s"]["before"]) == (24_606.0, 0.0)
    assert changes["too_fast_s"]["relative"] is None
    assert changes["too_slow_s"]["change"] == -26_010.0
    assert changes["too_slow_s"]["relative"] == -1.0
    table = render(got, "table")
    changed = table.split("Largest changes")[1]
    assert any(  # minutes, as in the summary: 26 010 s is 433.5 min
        r.split()[:3] == ["Too", "slow", "(min)"] and r.split()[3:5] == ["0.0", "433.5"]
        for r in changed.splitlines()
    )
    summary = table.split("\n\n")[1]
    assert any(
        r.split()[:3] == ["too", "fast", "(min)"] and r.split()[3:] == ["410.1", "0.0"]
        for r in summary.splitlines()
    )


def test_every_format_shows_the_pace_periods(sqlite_url, run, site) -> None:
    store_simulation(run, sqlite_url)
    got = report(sqlite_url, site)
    table = render(got, "table")
    heading = "Time by pace judgement (planned working time)"
    section = table.split(heading + "\n")[1].split("\n\n")[0].splitlines()
    assert section[0].split() == [
        "line", "too", "fast", "(min)", "share", "too", "slow", "(min)", "share",
        "normal", "(min)", "share", "not", "judged", "(min)", "share",
    ]  # fmt: skip
    assert section[2].split() == [
        "line-a", "410.1", "45.6%", "433.5", "48.2%", "36.4", "4.0%", "20.0", "2.2%"
    ]  # fmt: skip
    german = render(got, "table", "de")
    assert "Zeit nach Tempobewertung (geplante Arbeitszeit)" in german
    assert "zu schnell (Min.)" in german and "410,1" in german
    assert "过快（分钟）" in render(got, "table", "zh_CN")
    rows = [r.split(",") for r in render(got, "csv").splitlines()]
    columns = rows[0][-4:]
    assert columns == ["too_fast_s", "too_slow_s", "normal_s", "not_judged_s"]
    assert [r[-4:] for r in rows[1:]] == [
        [str(EARLY_TIME[c]) for c in columns],
        [str(LATE_TIME[c]) for c in columns],
    ]
    html = render(got, "html", "zh_TW")
    assert "<h2>按節奏判定的時間（計劃工作時間）</h2>" in html
    assert '<td data-label="過快（分鐘）">410.1</td><td data-label="佔比">45.6%</td>' in html
