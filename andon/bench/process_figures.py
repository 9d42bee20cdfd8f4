"""The station's and the board's processes: CPU per event, memory idle and under load,
start-up with an empty and a full journal, against a bare Python's."""

from __future__ import annotations

import tempfile
from pathlib import Path

from andon.bench import figures as f
from andon.bench import words as W
from andon.bench.figures import Figure, Reference, Report
from andon.bench.plan import Plan, Progress, row_name
from andon.bench.resources import (
    ProcessCost,
    bare_python,
    journal_of,
    measure_board_process,
    measure_station_process,
    start_up,
    without_checkpoints,
)

PROCESS_ROWS = {
    "cpu_station": W.CPU_STATION,
    "cpu_station_idle": W.CPU_STATION_IDLE,
    "rss_station_idle": W.RSS_STATION_IDLE,
    "rss_station_load": W.RSS_STATION_LOAD,
    "cpu_board_process": W.CPU_BOARD_PROCESS,
    "rss_board_idle": W.RSS_BOARD_IDLE,
    "rss_board_load": W.RSS_BOARD_LOAD,
    "start_empty": W.START_EMPTY,
    "start_journal": W.START_JOURNAL,
    "start_replay": W.START_REPLAY,
    "restore_per_event": W.RESTORE_PER_EVENT,
}
"""The process rows, in the order they are printed."""

STATION_RSS_MB = 45.0
BOARD_RSS_MB = 90.0
START_UP_S = 1.0


def rss_figures(
    process: str, cost: ProcessCost, limit_mb: float, reference: Reference, names: dict[str, str]
) -> list[Figure]:
    """A process's resident memory idle and under load, against its limit."""
    return [
        f.single(
            key,
            names[key],
            "MB",
            value,
            reference=reference,
            target=W.AT_MOST_MB.format(mb=f"{limit_mb:g}"),
            passed=value <= limit_mb,
        )
        for key, value in (
            (f"rss_{process}_idle", cost.rss_idle_mb),
            (f"rss_{process}_load", cost.rss_load_mb),
        )
    ]


def resource_figures(report: Report, plan: Plan, port: int, say: Progress) -> None:
    """The process figures, added to ``report``."""
    add = report.figures.append
    names = {key: row_name(name, plan) for key, name in PROCESS_ROWS.items()}
    say(W.MEASURE_BARE)
    bare_start, bare_rss = bare_python()
    rss_ref = Reference(W.BARE_PYTHON, bare_rss, "MB")
    publish = report.figure("cpu_publish_reference")
    publish_ref = (
        Reference(W.PAHO_PUBLISH, publish.value, "ms")
        if publish is not None and publish.value is not None
        else None
    )
    say(W.MEASURE_STATION.format(count=plan.station_commands))
    station = measure_station_process(port, plan.station_commands, plan.idle_s)
    add(
        f.single(
            "cpu_station",
            names["cpu_station"],
            "ms",
            station.cpu_per_event_ms,
            samples=station.events,
            reference=publish_ref,
            note=W.NOTE_CPU_STATION,
        )
    )
    add(f.single("cpu_station_idle", names["cpu_station_idle"], "%", station.idle_cpu_percent))
    report.figures.extend(rss_figures("station", station, STATION_RSS_MB, rss_ref, names))
    say(W.MEASURE_BOARD_PROCESS.format(count=plan.board_events_per_station * 7))
    board = measure_board_process(port, plan.board_events_per_station, plan.idle_s)
    raw = report.figure("cpu_board_ingest")
    add(
        f.single(
            "cpu_board_process",
            names["cpu_board_process"],
            "ms",
            board.cpu_per_event_ms,
            samples=board.events,
            reference=raw.reference if raw is not None else None,
        )
    )
    report.figures.extend(rss_figures("board", board, BOARD_RSS_MB, rss_ref, names))
    say(W.MEASURE_START_UP.format(count=plan.journal_events))
    start_ref = Reference(W.BARE_PYTHON_START, bare_start, "s")
    with tempfile.TemporaryDirectory(prefix="andon-bench-") as workdir:
        full = journal_of(plan.journal_events, Path(workdir))
        empty: list[float] = []
        loaded: list[float] = []
        replayed: list[float] = []
        for run in range(plan.start_ups):
            empty.append(start_up(port, Path(workdir) / f"empty-{run}.sqlite")[0])
            loaded.append(start_up(port, full)[0])
            bare = without_checkpoints(full, Path(workdir) / f"bare-{run}.sqlite")
            replayed.append(start_up(port, bare)[0])
    start_target = W.AT_MOST_S.format(seconds=f"{START_UP_S:g}")
    starts = (("start_empty", empty), ("start_journal", loaded), ("start_replay", replayed))
    for key, values in starts:
        value = sorted(values)[len(values) // 2]
        add(
            f.single(
                key,
                names[key],
                "s",
                value,
                samples=len(values),
                reference=start_ref,
                # A start without a checkpoint happens once after an upgrade or a
                # configuration change: measured, not held to the start-up target.
                target="" if key == "start_replay" else start_target,
                passed=None if key == "start_replay" else value <= START_UP_S,
            )
        )
    replay_ms = 1000.0 * max(0.0, min(replayed) - min(empty)) / plan.journal_events
    add(
        f.single(
            "restore_per_event",
            names["restore_per_event"],
            "ms",
            replay_ms,
            samples=plan.journal_events,
            note=W.NOTE_RESTORE,
        )
    )
