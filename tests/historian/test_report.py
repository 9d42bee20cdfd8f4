"""Reports from the history of the scripted shift, on SQLite and on PostgreSQL.

The scenario (firmware_config/scenarios/shift.toml) is simulated, its journals
written into the history as the historian stores them, and the report read back:
the shift figures equal the simulation's own report (one definition of every
figure), the summary equals numbers worked out by hand from the scenario, and
both databases give the same report.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

import andon
from andon.bus.messages import EventMessage
from andon.domain.events import StationStarted
from andon.domain.state_codec import rules_fingerprint
from andon.historian.formats import render
from andon.historian.period import Period, period_at
from andon.historian.report import ReportError, Scope, build_report
from andon.historian.simulation import store_simulation
from andon.historian.site import load_site
from andon.historian.stores import open_store
from andon.simulate.load import load_scenario
from andon.simulate.report import build_report as simulation_report
from andon.simulate.runner import SimulationRun, run_scenario
from andon.station.assemble import station_address
from andon.station.build import station_rules

ROOT = Path(__file__).resolve().parents[2]
DEMO = ROOT / "firmware_config" / "demo"
SCENARIO = ROOT / "firmware_config" / "scenarios" / "shift.toml"
BERLIN = ZoneInfo("Europe/Berlin")
NOW = datetime(2026, 12, 1, tzinfo=UTC)


def at(hh: int, mm: int = 0) -> datetime:
    return datetime(2026, 3, 4, hh, mm, tzinfo=BERLIN)


@pytest.fixture(scope="module")
def run() -> SimulationRun:
    return run_scenario(load_scenario(SCENARIO, DEMO))


@pytest.fixture(scope="module")
def site():
    return load_site(DEMO)


def report_from(url: str, run: SimulationRun, site, **kwargs) -> dict:
    store_simulation(run, url)
    calendar = site.plant.domain_calendar()
    period = kwargs.pop("period", None) or period_at("shift", at(10), calendar)
    scope = kwargs.pop("scope", Scope("line", "line-a"))
    with open_store(url) as store:
        return build_report(store, site, scope, period, now=NOW, **kwargs)


def test_the_shift_equals_the_simulation_report(history_url, run, site) -> None:
    report = report_from(history_url, run, site)
    simulated = next(line for line in simulation_report(run)["lines"] if line["line"] == "line-a")
    expected = simulated["shifts"][0]
    got = dict(report["lines"][0]["shifts"][0])
    assert got.pop("recorded") is True  # the history's own word: the shift holds events
    assert {k: v for k, v in expected.items() if k != "relay"} == got


def test_the_summary_matches_the_numbers_worked_out_by_hand(sqlite_url, run, site) -> None:
    summary = report_from(sqlite_url, run, site)["summary"]
    assert summary["plan"] == 168.75  # 27 000 s / 160 s
    assert (summary["actual"], summary["scrap"]) == (162, 2)
    kpi = summary["kpi"]
    # 09:37:30 to 09:55:00, and the help call's 40 s line stop (a call held the line)
    assert kpi["downtime_s"] == 1090
    assert (kpi["availability"], kpi["performance"], kpi["quality"], kpi["oee"]) == (
        round(25_910 / 27_000, 4),
        round(150 * 164 / 25_910, 4),
        round(162 / 164, 4),
        round(25_910 / 27_000 * 150 * 164 / 25_910 * 162 / 164, 4),
    )
    # calls: help ack 40 s / resolved 180 s, quality 20 / 90, equipment 120 / 780,
    # material 180 / 1 320, and a cancelled equipment call at A2 (neither)
    response = summary["response"]["overall"]
    assert summary["calls"] == 5
    assert response["acknowledge"] == {"count": 4, "mean_s": 90.0, "median_s": 80.0, "p90_s": 180.0}
    assert response["repair"] == {"count": 4, "mean_s": 592.5, "median_s": 480.0, "p90_s": 1320.0}
    by_type = {r["type"]: r for r in summary["response"]["by_type"]}
    assert by_type["equipment"]["calls"] == 2
    assert by_type["equipment"]["repair"]["mean_s"] == 780.0
    pareto = summary["downtime_pareto"]
    assert pareto[0]["reason"] == "BRK-MECH" and pareto[0]["seconds"] == 1050
    assert any(c["type"] == "equipment" for c in pareto[0]["calls"])
    assert summary["calls_per_shift"] == [
        {"line": "line-a", "shift": "early", "start": "2026-03-04T06:00:00+01:00", "calls": 5}
    ]


def test_a_period_ending_at_its_shift_end_keeps_that_shift_and_reads_it_back(
    history_url, run, site
) -> None:
    """The early shift's period ends at 14:00, where the shift ends: the fold passes that
    end over each station's next event (a restart at 14:30, in the late shift), keeps
    the stations' checkpoints there and the shift's section, and the next report reads
    the section: the same figures, worked out by hand from the scenario."""
    store_simulation(run, history_url)
    later = [
        EventMessage(
            station_address(sim.config).path,
            run.events[key][-1].seq + 1,
            f"restart-{key}",
            StationStarted(at=at(14, 30), version=andon.__version__),
        )
        for key, sim in run.scenario.stations.items()
    ]
    calendar = site.plant.domain_calendar()
    period = period_at("shift", at(10), calendar)
    assert period.end == at(14)
    with open_store(history_url) as store:
        store.insert(later)
        first = build_report(store, site, Scope("line", "line-a"), period, now=NOW)
        assert [start for _, _, start, _ in store.held_shift_sections("line-a")] == [at(6)]
        for message in later:
            rules = rules_fingerprint(station_rules(site.stations[message.station]))
            kept = store.checkpoint_at_or_before(message.station, rules, at(14))
            assert kept is not None and (kept[0], kept[1]) == (at(14), message.seq)
        again = build_report(store, site, Scope("line", "line-a"), period, now=NOW)
    assert again == first
    summary = again["summary"]
    assert summary["plan"] == 168.75  # 27 000 s / 160 s
    assert (summary["actual"], summary["scrap"], summary["calls"]) == (162, 2, 5)
    assert summary["kpi"]["downtime_s"] == 1090
    assert summary["kpi"]["oee"] == round(25_910 / 27_000 * 150 * 164 / 25_910 * 162 / 164, 4)


def test_both_databases_give_the_same_report(sqlite_url, postgres_url, run, site) -> None:
    day = period_at("day", at(10), site.plant.domain_calendar())
    a = report_from(sqlite_url, run, site, period=day, scope=Scope("site", "demo-plant"))
    b = report_from(postgres_url, run, site, period=day, scope=Scope("site", "demo-plant"))
    assert json.dumps(a, sort_keys=True) == json.dumps(b, sort_keys=True)
    for fmt in ("table", "csv", "html"):
        assert render(a, fmt) == render(b, fmt)


def test_compare_with_the_previous_shift(sqlite_url, run, site) -> None:
    report = report_from(sqlite_url, run, site, compare=True)
    assert report["previous"]["period"]["start"] == "2026-03-03T22:00:00+01:00"
    assert report["previous"]["summary"]["actual"] == 0
    actual = next(c for c in report["changes"] if c["figure"] == "actual")
    assert (actual["now"], actual["before"], actual["change"]) == (162, 0, 162)


def test_an_unknown_line_and_an_empty_range_say_so(sqlite_url, run, site) -> None:
    with pytest.raises(ReportError, match=r"there is no line 'line-z' in plant demo-plant"):
        report_from(sqlite_url, run, site, scope=Scope("line", "line-z"))
    empty = Period("range", at(15), at(18))
    with pytest.raises(
        ReportError,
        match=r"no events of line line-a from 2026-03-04T15:00:00"
        r"\+01:00 to 2026-03-04T18:00:00\+01:00: the history holds events",
    ):
        report_from(sqlite_url, run, site, period=empty)


def test_html_is_self_contained_with_charts(sqlite_url, run, site) -> None:
    html = render(report_from(sqlite_url, run, site), "html")
    assert html.startswith("<!DOCTYPE html>") and html.count("<svg") == 2
    for remote in ("http://", "https://", "<script", "<link", "src="):
        assert remote not in html.replace('xmlns="http://www.w3.org/2000/svg"', "")


def test_a_site_works_each_stations_rules_out_once_as_the_station_does(site) -> None:
    for path, file in site.stations.items():
        rules, fingerprint = site.rules(path)
        assert rules == station_rules(file)
        assert fingerprint == rules_fingerprint(station_rules(file))
        assert site.rules(path)[0] is rules, "kept, not worked out again"
