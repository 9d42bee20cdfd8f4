"""The whole benchmark: what is measured, in which order, how much of it, and the targets.

Every loop is bounded in count and in time (``budget_s``); every server and
process it starts listens on 127.0.0.1 and is stopped before it returns.
"""

from __future__ import annotations

import random
import tempfile
import time
from pathlib import Path

from andon.bench import figures as f
from andon.bench import words as W
from andon.bench.board_press import measure_board
from andon.bench.broker import MISSING, BenchBroker, find_mosquitto
from andon.bench.estimates import estimate
from andon.bench.figures import Reference, Report
from andon.bench.historian_ingest import measure_historian_ingest, postgresql_figures
from andon.bench.ingest import IngestResult, measure_ingest
from andon.bench.machine import describe
from andon.bench.plan import FULL, QUICK, Plan, Progress, row_name
from andon.bench.process_figures import PROCESS_ROWS, resource_figures
from andon.bench.raw_mqtt import round_trips
from andon.bench.retained_state import state_figures
from andon.bench.station_press import measure_hal_alone, measure_station
from andon.bench.stats import ms, percentile
from andon.bench.view_cost import view_figures
from andon.bench.visible import visible_figure
from andon.journal.store import Journal

BROKER_ROWS = {
    "raw_round_trip": W.RAW_ROUND_TRIP,
    "press_event": W.PRESS_EVENT,
    "press_board_model": W.PRESS_BOARD_MODEL,
    "press_board_paint": W.PRESS_BOARD_PAINT,
    "ingest_rate": W.INGEST_RATE,
    "cpu_board_ingest": W.CPU_BOARD_INGEST,
    "board_visible": W.BOARD_VISIBLE,
    "cpu_publish_reference": W.CPU_PUBLISH,
    "historian_ingest": W.HISTORIAN_INGEST,
    "cpu_historian": W.CPU_HISTORIAN,
    "historian_ingest_postgresql": W.HISTORIAN_INGEST_PG,
    "cpu_historian_postgresql": W.CPU_HISTORIAN_PG,
}
"""The rows that need the broker, in the order they are printed (skipped ones keep theirs)."""

LAMP_TARGET_MS = 5.0
MQTT_MARGIN_MS = 5.0
BOARD_TARGET_MS = 50.0
INGEST_TARGET = 0.8
HISTORIAN_TARGET = 5000.0
"""events/s the historian stores into SQLite at least, and no slower than the board feed."""
APPEND_GAP_S = (0.02, 0.05)
"""The pause before each timed journal append: about the bench's gap between presses."""


def _journal_append_ms(count: int) -> list[float]:
    """Milliseconds per durable journal append on this disk (the station's own journal code).

    The appends are spaced like the bench's presses (20-50 ms apart): an fsync
    after a pause costs more than one of a back-to-back series (here about
    1.4 against 0.5 ms at the median), and a press always follows a pause.
    """
    with tempfile.TemporaryDirectory(prefix="andon-bench-") as workdir:
        journal = Journal(Path(workdir) / "journal.sqlite", owner="bench/bench/bench/bench")
        try:
            samples = []
            for index in range(count):
                time.sleep(random.uniform(*APPEND_GAP_S))
                started = time.perf_counter()
                journal.append("counted", {"good": 1, "n": index}, at="2025-01-06T06:00:00Z")
                samples.append((time.perf_counter() - started) * 1000.0)
            return samples
        finally:
            journal.close()


def _p99_reference(name: str, samples_ms: list[float]) -> Reference:
    """``name`` (a template of :mod:`andon.bench.words` ending in p99) and the samples' p99."""
    return Reference(name, percentile(samples_ms, 99), "ms")


def run_suite(quick: bool = False, progress: Progress | None = None) -> Report:
    """Measure everything; the report lists skipped figures with the reason."""
    plan = QUICK if quick else FULL
    say = progress or (lambda _: None)
    started = time.monotonic()
    report = Report(machine=describe(), quick=quick)
    add = report.figures.append
    binary = find_mosquitto()

    say(W.MEASURE_APPENDS)
    append_ms = _journal_append_ms(50 if quick else 200)
    say(W.MEASURE_HAL)
    hal_ms = ms(measure_hal_alone(plan.presses, plan.budget_s))
    hal_ref = _p99_reference(W.HAL_ALONE_P99, hal_ms)

    broker = BenchBroker(binary).start() if binary else None
    try:
        say(W.MEASURE_PRESSES)
        presses = measure_station(plan.presses, broker.port if broker else None, plan.budget_s)
        add(
            f.latency(
                "press_lamp",
                W.PRESS_LAMP,
                ms(presses.lamp),
                reference=hal_ref,
                limit_ms=LAMP_TARGET_MS,
                target=W.P99_AT_MOST_MS.format(ms=f"{LAMP_TARGET_MS:g}"),
                note=W.NOTE_PRESS_LAMP,
            )
        )
        add(
            f.latency(
                "press_lamp_work",
                W.INDENT + W.PRESS_LAMP_WORK,
                ms(presses.hal_to_lamp),
                reference=_p99_reference(W.APPEND_P99, append_ms),
                note=W.NOTE_PRESS_WORK,
            )
        )
        add(
            f.latency(
                "press_append",
                W.INDENT + W.PRESS_APPEND,
                ms(presses.append),
                reference=_p99_reference(W.APPEND_P99, append_ms),
                note=W.NOTE_PRESS_APPEND,
            )
        )
        if broker is None:
            for key, name in {**BROKER_ROWS, **PROCESS_ROWS}.items():
                add(f.skipped(key, row_name(name, plan), "", MISSING))
        else:
            _broker_figures(report, plan, broker.port, presses.event, say)
            resource_figures(report, plan, broker.port, say)
    finally:
        if broker is not None:
            broker.stop()
    say(W.MEASURE_VIEWS.format(lines=plan.lines, per_line=plan.stations_per_line))
    report.figures += view_figures(
        plan.lines,
        plan.stations_per_line,
        plan.view_seconds,
        (row_name(W.VIEW_ONE_LINE, plan), row_name(W.VIEW_NOTHING, plan)),
    )
    say(W.MEASURE_STATE)
    report.figures += state_figures(plan.state_repeats)
    report.estimates = estimate(report)
    report.seconds = time.monotonic() - started
    return report


def _broker_figures(
    report: Report, plan: Plan, port: int, press_event_s: list[float], say: Progress
) -> None:
    add = report.figures.append
    say(W.MEASURE_ROUND_TRIPS)
    raw_ms = ms(round_trips(port, plan.round_trips, timeout_s=plan.budget_s))
    raw_p99 = percentile(raw_ms, 99)
    names = {key: row_name(name, plan) for key, name in BROKER_ROWS.items()}
    add(f.latency("raw_round_trip", names["raw_round_trip"], raw_ms))
    press_event_ms = ms(press_event_s)
    limit = raw_p99 + MQTT_MARGIN_MS
    add(
        f.latency(
            "press_event",
            names["press_event"],
            press_event_ms,
            reference=Reference(W.RAW_ROUND_TRIP_P99, raw_p99, "ms"),
            limit_ms=limit,
            target=W.P99_RAW_MARGIN.format(margin=f"{MQTT_MARGIN_MS:g}", limit=f"{limit:.1f}"),
        )
    )
    say(W.MEASURE_BOARD)
    board = measure_board(plan.board_presses, port, plan.budget_s)
    event_ref = _p99_reference(W.PRESS_EVENT_P99, press_event_ms) if press_event_ms else None
    target = W.P99_AT_MOST_MS.format(ms=f"{BOARD_TARGET_MS:g}")
    add(
        f.latency(
            "press_board_model",
            names["press_board_model"],
            ms(board.model),
            reference=event_ref,
            limit_ms=BOARD_TARGET_MS,
            target=target,
        )
    )
    add(
        f.latency(
            "press_board_paint",
            names["press_board_paint"],
            ms(board.paint),
            reference=event_ref,
            limit_ms=BOARD_TARGET_MS,
            target=target,
            note=W.NOTE_BOARD_PAINT,
        )
    )
    stations = plan.lines * plan.stations_per_line
    say(W.MEASURE_INGEST.format(lines=plan.lines, per_line=plan.stations_per_line))
    # The drains are short and this machine may be shared: raw and board take turns,
    # and the median round (by ratio) is reported.
    rounds = [
        measure_ingest(port, plan.lines, plan.stations_per_line, plan.events_per_station)
        for _ in range(plan.ingest_rounds)
    ]
    rounds.sort(key=lambda r: r.board.rate / r.raw.rate if r.raw.rate else 0.0)
    ingest = rounds[len(rounds) // 2]
    lost = sum(r.lost for r in rounds)
    ratio = ingest.board.rate / ingest.raw.rate if ingest.raw.rate else 0.0
    add(
        f.single(
            "ingest_rate",
            names["ingest_rate"],
            "events/s",
            ingest.board.rate,
            samples=ingest.events,
            reference=Reference(W.RAW_SUBSCRIBER, ingest.raw.rate, "events/s"),
            target=W.RAW_SHARE.format(share=f"{INGEST_TARGET:g}"),
            passed=ratio >= INGEST_TARGET and lost == 0,
            note=W.NOTE_INGEST.format(
                events=ingest.events,
                stations=stations,
                rounds=len(rounds),
                ratios=", ".join(_ratios(rounds)),
                lost=lost,
                dropped=sum(r.duplicates_dropped for r in rounds),
            ),
        )
    )
    raw_cpu = Reference(W.RAW_SUBSCRIBER, ingest.raw.cpu_per_event_ms, "ms")
    add(
        f.single(
            "cpu_board_ingest",
            names["cpu_board_ingest"],
            "ms",
            ingest.board.cpu_per_event_ms,
            samples=ingest.events,
            reference=raw_cpu,
        )
    )
    say(W.MEASURE_VISIBLE.format(lines=plan.lines, per_line=plan.stations_per_line))
    shape = (plan.lines, plan.stations_per_line, plan.events_per_station)
    add(visible_figure(port, *shape, names["board_visible"], BOARD_TARGET_MS))
    report.figures.append(
        f.single(
            "cpu_publish_reference",
            names["cpu_publish_reference"],
            "ms",
            ingest.publish_cpu_per_message_ms,
        )
    )
    say(W.MEASURE_HISTORIAN.format(lines=plan.lines, per_line=plan.stations_per_line))
    history = measure_historian_ingest(
        port, plan.lines, plan.stations_per_line, plan.events_per_station
    )
    add(
        f.single(
            "historian_ingest",
            names["historian_ingest"],
            "events/s",
            history.rate,
            samples=history.events,
            reference=Reference(W.BOARD_INGEST, ingest.board.rate, "events/s"),
            target=W.HISTORIAN_RATE.format(rate=f"{HISTORIAN_TARGET:,.0f}"),
            passed=history.rate >= max(HISTORIAN_TARGET, ingest.board.rate) and history.lost == 0,
            note=W.NOTE_HISTORIAN.format(
                events=history.events,
                lost=history.lost,
                mib=f"{history.bytes_per_event * 1e6 / 2**20:,.0f}",
            ),
        )
    )
    add(f.single("cpu_historian", names["cpu_historian"], "ms", history.cpu_per_event_ms))
    report.figures += postgresql_figures(
        port, plan.lines, plan.stations_per_line, plan.events_per_station, history, say
    )


def _ratios(rounds: list[IngestResult]) -> list[str]:
    return [f"{r.board.rate / r.raw.rate:.2f}" if r.raw.rate else "-" for r in rounds]
