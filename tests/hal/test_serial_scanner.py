"""A serial barcode scanner on a real pty, unplugged and plugged back at the same path."""

from __future__ import annotations

import pytest

from andon.config.hardware import SerialScanner
from hal.events import DeviceStatus, Scanned, ScanRejected
from hal.serial_scanner import SerialScannerDevice
from hal.sim_serial import SimSerialPort


@pytest.fixture
def port(tmp_path):
    pty = SimSerialPort(tmp_path / "andon-scanner")
    yield pty
    pty.close()


@pytest.fixture
def scanner(port, clock, events):
    config = SerialScanner(name="kanban", port=str(port.path), baud=115200, reopen_s=1.0)
    device = SerialScannerDevice(config, clock=clock, sink=events.append)
    device.tick(clock())  # opens the port
    yield device
    device.close()


def step(clock, device, seconds: float = 0.02) -> None:
    clock.advance(seconds)
    device.tick(clock())


def scanned(events) -> list[str]:
    return [e.text for e in events if isinstance(e, Scanned)]


def test_a_scan_becomes_an_event(port, scanner, clock, events) -> None:
    assert scanner.connected
    port.write(b"KB-0042\r")
    step(clock, scanner)
    assert events == [Scanned(scanner="kanban", text="KB-0042", at=clock())]


def test_the_configured_terminator_is_used(port, clock, events) -> None:
    config = SerialScanner(name="s", port=str(port.path), terminator="\r\n")
    device = SerialScannerDevice(config, clock=clock, sink=events.append)
    device.tick(clock())
    port.write(b"A\rB\r\nC\r\n")
    step(clock, device)
    device.close()
    assert scanned(events) == ["C"]
    assert [type(e) for e in events] == [ScanRejected, Scanned]
    assert "control character" in events[0].reason


def test_binary_and_overlong_input_is_rejected(port, clock, events) -> None:
    config = SerialScanner(name="s", port=str(port.path), max_length=10)
    device = SerialScannerDevice(config, clock=clock, sink=events.append)
    device.tick(clock())
    port.write(b"\x00\x9f\xff\r" + b"X" * 200 + b"\rOK\r")
    step(clock, device)
    device.close()
    assert [type(e) for e in events] == [ScanRejected, ScanRejected, Scanned]


def test_unplug_and_replug_at_the_same_path_resumes_without_restart(
    port, scanner, clock, events
) -> None:
    port.write(b"BEFORE\r")
    step(clock, scanner)

    port.unplug()
    step(clock, scanner)
    assert not scanner.connected
    lost = [e for e in events if isinstance(e, DeviceStatus)]
    assert len(lost) == 1 and not lost[0].ok and lost[0].device == "scanner.kanban"
    assert "retrying every 1 s" in lost[0].detail

    for _ in range(10):  # still unplugged: retries quietly, one report only
        step(clock, scanner, 0.5)
    assert sum(isinstance(e, DeviceStatus) for e in events) == 1

    port.plug()  # a new pty, the same configured path re-pointed
    step(clock, scanner, 1.0)
    assert scanner.connected
    port.write(b"AFTER\r")
    step(clock, scanner)
    assert scanned(events) == ["BEFORE", "AFTER"]
    statuses = [e.ok for e in events if isinstance(e, DeviceStatus)]
    assert statuses == [False, True]


def test_a_scanner_missing_at_start_is_picked_up_when_it_appears(tmp_path, clock, events) -> None:
    path = tmp_path / "late-scanner"
    config = SerialScanner(name="late", port=str(path), reopen_s=0.5)
    device = SerialScannerDevice(config, clock=clock, sink=events.append)
    device.tick(clock())
    assert not device.connected
    assert "cannot open" in (device.problem or "")
    pty = SimSerialPort(path)
    try:
        step(clock, device, 0.5)
        assert device.connected
        pty.write(b"HELLO\r")
        step(clock, device)
    finally:
        device.close()
        pty.close()
    assert scanned(events) == ["HELLO"]


def test_close_releases_the_port(port, clock, events) -> None:
    config = SerialScanner(name="s", port=str(port.path))
    first = SerialScannerDevice(config, clock=clock, sink=events.append)
    first.tick(clock())
    assert first.connected
    first.close()
    first.close()
    assert first.closed and not first.connected
    second = SerialScannerDevice(config, clock=clock, sink=events.append)
    second.tick(clock())  # the exclusive lock is free again
    assert second.connected
    second.close()
