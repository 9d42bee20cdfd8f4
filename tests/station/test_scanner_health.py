"""Each scanner's health in the station's retained state: connected, last scan, bad lines."""

from __future__ import annotations

import time
from datetime import UTC, datetime

from andon.station.assemble import build_station
from andon.station.clock import ScaledClock
from andon.station.scanner_health import ScannerHealth
from hal.events import DeviceStatus, Scanned, ScanRejected
from tests.support.stations import demo_station, wait_for

NOW = datetime(2026, 11, 25, 9, 30, tzinfo=UTC)


def test_counters_follow_the_hardware_events():
    health = ScannerHealth()
    health.observe(Scanned(scanner="badge", text="BD:1", at=1.0), NOW)
    health.observe(ScanRejected(scanner="badge", reason="binary data", at=2.0), NOW)
    health.observe(DeviceStatus(device="scanner.badge", ok=False, detail="gone", at=3.0), NOW)
    health.observe(DeviceStatus(device="tower", ok=False, detail="not a scanner", at=3.0), NOW)
    assert health.as_dict() == {
        "badge": {
            "connected": False,
            "last_scan_at": "2026-11-25T09:30:00.000Z",
            "scans": 1,
            "rejected": 1,
            "errors": 1,
            "last_error": "gone",
        }
    }


def test_a_station_publishes_its_scanners_health(tmp_path) -> None:
    runtime = build_station(
        demo_station("station-a1.toml"),
        sim=True,
        connect=False,
        journal_path=tmp_path / "a1.sqlite",
        clock=ScaledClock(100.0),
        hal_clock=time.monotonic,
        tick_s=0.02,
    )
    agent, sim = runtime.agent, runtime.sim
    assert sim is not None
    agent.start()
    try:
        sim.scan("scanner", "BD:1001")
        sim.scan("scanner", "A\x01B")  # a control character: not a code

        def scanner() -> dict | None:
            health = agent.run_on_loop(lambda: agent.state_payload())["health"]
            entry = health["scanners"].get("scanner")
            return entry if entry and entry["scans"] == 1 and entry["rejected"] == 1 else None

        entry = wait_for(scanner, 5)
        assert entry["connected"] is True
        assert entry["last_scan_at"] is not None
    finally:
        agent.stop()
