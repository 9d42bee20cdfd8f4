"""The benchmark's arithmetic and report: percentiles, ratios, verdicts, the table, JSON."""

from __future__ import annotations

import json

import pytest

from andon.bench import figures as f
from andon.bench import words as W
from andon.bench.estimates import DEVICES, estimate
from andon.bench.figures import Reference, Report
from andon.bench.machine import cpu_seconds, describe, rss_mb, thread_cpu_seconds
from andon.bench.stats import percentile
from andon.bench.table import render
from andon.i18n import translator


def test_percentiles_interpolate_between_ranks():
    values = [float(v) for v in range(1, 101)]  # 1 .. 100
    assert percentile(values, 50) == pytest.approx(50.5)
    assert percentile(values, 99) == pytest.approx(99.01)
    assert percentile(values, 0) == 1 and percentile(values, 100) == 100
    assert percentile([7.0], 99) == 7.0
    with pytest.raises(ValueError):
        percentile([], 50)
    with pytest.raises(ValueError):
        percentile([1.0], 101)


def test_a_latency_figure_judges_its_p99_and_compares_it_with_its_reference():
    figure = f.latency(
        "x",
        "x",
        [1.0] * 98 + [4.0, 9.0],
        reference=Reference("raw", 2.0, "ms"),
        limit_ms=5.0,
        target="p99 ≤ 5 ms",
    )
    assert figure.p50 == 1.0 and figure.p99 == pytest.approx(4.05)
    assert figure.passed is True
    assert figure.ratio == pytest.approx(4.05 / 2.0)
    missed = f.latency("y", "y", [6.0, 7.0], limit_ms=5.0)
    assert missed.passed is False and missed.ratio is None
    assert f.latency("z", "z", []).skipped == "no samples"


def _report() -> Report:
    report = Report(machine={"cpu": "Test CPU", "nproc": 4, "python": "3.11.7"}, quick=True)
    report.figures += [
        f.latency("press_lamp", "press → lamp", [2.0, 3.0], limit_ms=5, target="p99 ≤ 5 ms"),
        f.single(
            "ingest_rate",
            "board ingest",
            "events/s",
            400.0,
            reference=Reference("raw paho subscriber", 4000.0, "events/s"),
            target="≥ 0.8 × raw",
            passed=False,
        ),
        f.single("cpu_station", "CPU per event, station", "ms", 0.5),
        f.single("cpu_board_process", "CPU per event, board", "ms", 2.0),
        f.single("cpu_station_idle", "idle", "%", 30.0),
        f.skipped("press_event", "press → event", "ms", "no broker here"),
    ]
    report.estimates = estimate(report)
    report.seconds = 12.34
    return report


def test_the_table_has_a_row_per_figure_with_its_verdict():
    text = render(_report())
    assert text.splitlines()[0].startswith("andon bench --quick: Test CPU, 4 CPUs")
    rows = {line.split("  ")[0]: line for line in text.splitlines()}
    assert rows["press → lamp"].rstrip().endswith("pass")
    assert "0.10x" in rows["board ingest"] and rows["board ingest"].rstrip().endswith("miss")
    assert "not measured: no broker here" in rows["press → event"]
    assert rows["press → event"].rstrip().endswith("skipped")
    assert "finished in 12.3 s" in text


def test_the_tables_frame_is_in_the_readers_language():
    text = render(_report(), translator("zh_CN"))
    assert text.splitlines()[0].startswith("andon bench --quick：Test CPU，4 个 CPU")
    rows = {line.split("  ")[0]: line for line in text.splitlines()}
    assert rows["press → lamp"].rstrip().endswith("达标")
    assert "未测量：no broker here" in rows["press → event"]
    assert "用时 12.3 秒完成" in text
    german = render(_report(), translator("de"))
    assert "fertig nach 12,3 s" in german and "verfehlt" in rows_of(german)["Tafel-Aufnahme"]


def rows_of(text: str) -> dict[str, str]:
    return {line.split("  ")[0]: line for line in text.splitlines()}


def test_pi_figures_are_estimates_scaled_from_cpu_time_per_event():
    report = _report()
    by_device = {e["device"]: e for e in report.estimates}
    assert set(by_device) == {d.name for d in DEVICES}
    for device in DEVICES:
        estimate_ = by_device[device.name]
        assert estimate_["station_cpu_per_event_ms"] == pytest.approx(0.5 * device.factor)
        assert estimate_["board_cpu_per_event_ms"] == pytest.approx(2.0 * device.factor)
        assert f"assumed ×{device.factor:g}" in estimate_["text"]
    # ×10 of 30 % idle is more than a core: said so, not "300 %".
    assert "more than a whole core" in by_device[DEVICES[-1].name]["text"]
    assert "not measured" in render(report)


def test_the_json_report_carries_every_figure_and_its_ratio():
    data = json.loads(json.dumps(_report().to_dict()))
    keys = [figure["key"] for figure in data["figures"]]
    assert keys == [
        "press_lamp", "ingest_rate", "cpu_station", "cpu_board_process",
        "cpu_station_idle", "press_event",
    ]  # fmt: skip
    assert data["figures"][1]["ratio"] == pytest.approx(0.1)
    assert data["quick"] is True and data["machine"]["nproc"] == 4


def test_machine_and_process_figures_come_from_proc():
    machine = describe()
    assert machine["nproc"] >= 1 and machine["cpu"] and machine["python"].count(".") == 2
    import os

    assert 1.0 < rss_mb(os.getpid()) < 4096
    assert cpu_seconds(os.getpid()) > 0
    # The live threads' time: never more than the process's (ended threads are not in it).
    fine = thread_cpu_seconds(os.getpid())
    assert fine is not None and 0 < fine <= cpu_seconds(os.getpid()) + 0.05


def test_an_idle_window_is_counted_by_the_threads_unless_a_thread_ended():
    from andon.bench.resources import TICK_S, idle_cpu

    assert idle_cpu(1.000, 1.073, 0.07) == pytest.approx(0.073)  # finer than ticks
    assert idle_cpu(1.000, 1.010, 0.19) == 0.19  # a thread's time left the count
    assert idle_cpu(None, 1.0, 0.05) == 0.05
    assert TICK_S > 0


def test_without_mosquitto_every_row_is_still_there_and_says_why(monkeypatch):
    from andon.bench import suite
    from tests.bench.test_bench_quick import ROWS

    monkeypatch.setattr(suite, "find_mosquitto", lambda: None)
    report = suite.run_suite(quick=True)
    names = [f.name for f in report.figures]
    for expected, name in zip(ROWS, names, strict=True):
        assert expected in name
    measured = [f for f in report.figures if not f.skipped]
    state_rows = [f"state_{what}_{n}" for n in (0, 200, 2000) for what in ("size", "publish")]
    # the board's views and the retained state need no broker
    assert [f.key for f in measured] == [
        "press_lamp",
        "press_lamp_work",
        "press_append",
        "board_view_changed",
        "board_view_unchanged",
        *state_rows,
    ]
    assert all("mosquitto" in f.skipped for f in report.figures if f.skipped)
    assert "skipped" in render(report)


def test_a_negative_latency_is_an_invalid_measurement_not_a_pass():
    # an event "visible" before it was published, as when a stale retained state was shown
    figure = f.latency(
        "board_visible",
        W.BOARD_VISIBLE,
        [-1903.0, -851.0, 12.0],
        limit_ms=50.0,
        target=W.P99_AT_MOST_MS.format(ms="50"),
    )
    assert figure.passed is False and figure.p99 < 50.0
    assert figure.invalid == (
        "2 of 3 samples are below zero (the lowest -1903.0 ms): a latency cannot be negative, "
        "so the stamps do not belong to the same message or clock"
    )
    plausible = f.latency("ok", W.BOARD_VISIBLE, [0.0, 3.0], limit_ms=50.0)
    assert plausible.passed is True and plausible.invalid == ""
    report = Report(machine={}, quick=True, figures=[figure])
    text = render(report)
    assert rows_of(text)[W.BOARD_VISIBLE].rstrip().endswith("invalid")
    assert f"  {W.BOARD_VISIBLE}: not a valid measurement: 2 of 3 samples are below zero" in text
    assert report.to_dict()["figures"][0]["invalid"] == figure.invalid
    chinese = render(report, translator("zh_CN"))
    assert rows_of(chinese)["事件 → 数据流持续流入时在看板上可见"].rstrip().endswith("无效")
    assert "测量无效：3 个样本中有 2 个小于零（最低 -1903.0 ms）" in chinese


def test_single_values_that_cannot_be_are_invalid():
    negative = f.single("restore", W.RESTORE_PER_EVENT, "ms", -0.004)
    assert negative.invalid == "the value -0.004 is below zero, which this figure cannot be"
    rate = f.single("rate", W.CPU_STATION, "events/s", float("nan"), passed=True)
    assert rate.passed is False and rate.invalid == "the value is not a number"
    samples = f.latency("x", W.PRESS_LAMP, [1.0, float("inf")], limit_ms=5.0)
    assert samples.passed is False and samples.invalid == "1 of 2 samples are not a number"
    assert samples.p99 == 1.0
    german = render(Report(machine={}, quick=True, figures=[negative]), translator("de"))
    assert "keine gültige Messung: der Wert -0.004 liegt unter null" in german
    replay = rows_of(german)["Journal-Wiedergabe beim Start, je Ereignis"]
    assert replay.rstrip().endswith("ungültig")
