"""Raspberry Pi figures estimated from the CPU time measured here (estimates, not measurements).

The bench measures CPU time per event on the machine it runs on. A Pi runs
the same Python code more slowly; the factors below are assumptions about
single-core CPython speed relative to a current x86 server or desktop core
(a range, and the middle value used). They are stated next to every
estimate so the reader can redo the sums with a better factor.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from andon.bench.figures import Report


@dataclass(frozen=True)
class Device:
    name: str
    factor: float
    low: float
    high: float


DEVICES = (
    Device("Raspberry Pi 5", 2.0, 1.5, 2.5),
    Device("Raspberry Pi 4", 4.0, 3.0, 5.0),
    Device("Raspberry Pi 3 B+ / Zero 2 W", 10.0, 8.0, 12.0),
)
"""Assumed slowdown of one core against the machine the bench ran on."""

BOARD_RATE = 100.0
"""Events/s of a busy plant for the board estimate (1 000 stations, one event per 10 s each)."""


def _value(report: Report, key: str) -> float | None:
    figure = report.figure(key)
    return None if figure is None or figure.skipped else figure.headline


def estimate(report: Report) -> list[dict[str, Any]]:
    """Per device: station and board CPU per event, sustainable rates, idle load, replay time."""
    station = _value(report, "cpu_station")
    board = _value(report, "cpu_board_process")
    idle = report.figure("cpu_station_idle")
    idle_percent = idle.value if idle is not None and not idle.skipped else None
    replay = _value(report, "restore_per_event")
    out: list[dict[str, Any]] = []
    for device in DEVICES:
        parts: list[str] = []
        data: dict[str, Any] = {
            "device": device.name,
            "factor": device.factor,
            "factor_range": [device.low, device.high],
        }
        if station is not None:
            ms = station * device.factor
            data["station_cpu_per_event_ms"] = ms
            parts.append(f"station {ms:.1f} ms CPU per event (≈ {1000 / ms:.0f} events/s per core)")
        if idle_percent is not None:
            load = idle_percent * device.factor
            data["station_idle_cpu_percent"] = load
            parts.append(
                f"station idle ≈ {load:.0f} % of a core"
                if load < 100
                else "station idle needs more than a whole core"
            )
        if board is not None:
            ms = board * device.factor
            data["board_cpu_per_event_ms"] = ms
            cores = BOARD_RATE * ms / 1000
            board_load = (
                f"{100 * cores:.0f} % of a core"
                if cores < 1
                else f"more than a core: {cores:.1f} cores' worth"
            )
            parts.append(
                f"board {ms:.1f} ms CPU per event (≈ {1000 / ms:.0f} events/s per core; "
                f"{BOARD_RATE:.0f} events/s would take {board_load})"
            )
        if replay:
            ms = replay * device.factor
            data["restore_ms_per_event"] = ms
            parts.append(f"restart replays ≈ {1000 / ms:.0f} journal events/s")
        if not parts:
            continue
        data["text"] = (
            f"{device.name} (assumed ×{device.factor:g}, range ×{device.low:g}–×{device.high:g}): "
            + "; ".join(parts)
        )
        out.append(data)
    return out
