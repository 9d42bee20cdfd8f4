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

from andon.bench import words as W
from andon.bench.figures import Report
from andon.i18n.catalog import Translator, translator


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
        data: dict[str, Any] = {
            "device": device.name,
            "factor": device.factor,
            "factor_range": [device.low, device.high],
        }
        if station is not None:
            data["station_cpu_per_event_ms"] = station * device.factor
        if idle_percent is not None:
            data["station_idle_cpu_percent"] = idle_percent * device.factor
        if board is not None:
            data["board_cpu_per_event_ms"] = board * device.factor
        if replay:
            data["restore_ms_per_event"] = replay * device.factor
        if len(data) == 3:
            continue
        data["text"] = estimate_text(data, translator("en"))
        out.append(data)
    return out


def estimate_text(data: dict[str, Any], tr: Translator) -> str:
    """One device's estimates as a line of the report, in ``tr``'s language."""
    _ = tr.gettext
    parts: list[str] = []
    ms = data.get("station_cpu_per_event_ms")
    if ms is not None:
        parts.append(_(W.ESTIMATE_STATION).format(ms=f"{ms:.1f}", rate=f"{1000 / ms:.0f}"))
    load = data.get("station_idle_cpu_percent")
    if load is not None:
        parts.append(
            _(W.ESTIMATE_IDLE).format(percent=f"{load:.0f}")
            if load < 100
            else _(W.ESTIMATE_IDLE_OVER)
        )
    ms = data.get("board_cpu_per_event_ms")
    if ms is not None:
        cores = BOARD_RATE * ms / 1000
        board_load = (
            _(W.ESTIMATE_SHARE).format(percent=f"{100 * cores:.0f}")
            if cores < 1
            else _(W.ESTIMATE_CORES).format(cores=f"{cores:.1f}")
        )
        parts.append(
            _(W.ESTIMATE_BOARD).format(
                ms=f"{ms:.1f}", rate=f"{1000 / ms:.0f}", busy=f"{BOARD_RATE:.0f}", load=board_load
            )
        )
    ms = data.get("restore_ms_per_event")
    if ms:
        parts.append(_(W.ESTIMATE_REPLAY).format(rate=f"{1000 / ms:.0f}"))
    low, high = data["factor_range"]
    return _(W.ESTIMATE).format(
        device=data["device"],
        factor=f"{data['factor']:g}",
        low=f"{low:g}",
        high=f"{high:g}",
        parts=_(W.ESTIMATE_SEPARATOR).join(parts),
    )
