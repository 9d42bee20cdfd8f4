"""What one view of a thousand-station board costs when only a few stations changed.

The board's model (:class:`~andon.board.model.BoardModel`, no broker) holds the bench
plant (100 lines × 10 stations) with every station's retained state and status, its
heap frozen as the app freezes it. Then, again and again within one second of the
board's clock, the ten stations of one line publish an event each and a view is
built; and once more with nothing new. The reference, in the same run, is the view
right after the board's clock turned to the next second, when every line is built
again (its timers and links' ages). Each is the process's CPU time for that one view.
"""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta

from andon.bench import figures as f
from andon.bench import words as W
from andon.bench.figures import Figure, Reference
from andon.bench.payloads import catalogue, event_message, plant, stream
from andon.bench.stats import percentile
from andon.board.heap import HeapFreezer
from andon.board.model import BoardModel
from andon.domain import events as ev

LIMIT_MS = 1.0
"""The view with one line of ten stations changed, p99."""


def _cpu_ms(started_ns: int) -> float:
    return (time.process_time_ns() - started_ns) / 1e6


def view_costs(lines: int, per_line: int, seconds: int) -> tuple[list[float], ...]:
    """CPU ms per view: (one line changed, nothing changed, every line built again)."""
    stations = plant(lines, per_line, site="bench-view")
    start = datetime.now(UTC).replace(microsecond=0)
    retained, _ = stream(stations, 0, start)
    model = BoardModel(catalogue(stations))
    for message in retained:
        model.ingest(message.topic, message.payload, start)
    model.view(start)
    HeapFreezer().grown(model.stations_seen)
    seq = dict.fromkeys((s.address.path for s in stations), 0)
    changed: list[float] = []
    unchanged: list[float] = []
    rebuilt: list[float] = []
    for second in range(1, seconds + 1):
        at = start + timedelta(seconds=second)
        began = time.process_time_ns()
        model.view(at)
        rebuilt.append(_cpu_ms(began))
        for step in range(per_line):
            first = (second * per_line + step) % lines * per_line
            line = stations[first : first + per_line]
            now = at + timedelta(milliseconds=10 * (step + 1))
            for station in line:
                path = station.address.path
                seq[path] += 1
                message = event_message(station.address, seq[path], ev.Counted(at=now))
                model.ingest(message.topic, message.payload, now)
            began = time.process_time_ns()
            model.view(now + timedelta(milliseconds=1))
            changed.append(_cpu_ms(began))
            began = time.process_time_ns()
            model.view(now + timedelta(milliseconds=2))
            unchanged.append(_cpu_ms(began))
    return changed, unchanged, rebuilt


def view_figures(lines: int, per_line: int, seconds: int, names: tuple[str, str]) -> list[Figure]:
    """The benchmark's two rows: one line changed, nothing changed; against every line."""
    changed, unchanged, rebuilt = view_costs(lines, per_line, seconds)
    reference = Reference(W.EVERY_LINE_REBUILT_P99, percentile(rebuilt, 99), "ms")
    return [
        f.latency(
            "board_view_changed",
            names[0],
            changed,
            reference=reference,
            limit_ms=LIMIT_MS,
            target=W.P99_AT_MOST_MS.format(ms=f"{LIMIT_MS:g}"),
        ),
        f.latency("board_view_unchanged", names[1], unchanged, reference=reference),
    ]
