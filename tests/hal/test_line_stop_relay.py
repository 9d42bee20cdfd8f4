"""The line-stop relay on a mock pin."""

from __future__ import annotations

from andon.config.hardware import OutputPin
from hal.outputs import LineStopRelay


def test_stop_and_release_drive_the_relay(factory, clock) -> None:
    relay = LineStopRelay(OutputPin(pin=25), clock=clock, factory=factory)
    assert factory.pin(25).state == 0 and not relay.stopped
    clock.advance(3.0)
    relay.stop()
    assert factory.pin(25).state == 1 and relay.stopped
    assert relay.changed_at == 1003.0
    relay.set(True)
    assert relay.changed_at == 1003.0  # no change, no new timestamp
    relay.release()
    assert factory.pin(25).state == 0
    relay.close()


def test_an_active_low_relay_board(factory, clock) -> None:
    relay = LineStopRelay(OutputPin(pin=25, active_high=False), clock=clock, factory=factory)
    assert factory.pin(25).state == 1
    relay.stop()
    assert factory.pin(25).state == 0
    relay.close()


def test_closing_de_energises_and_frees_the_pin(factory, clock) -> None:
    relay = LineStopRelay(OutputPin(pin=25), clock=clock, factory=factory)
    relay.stop()
    relay.close()
    relay.close()
    assert relay.closed
    assert factory.pin(25).state == 0
    LineStopRelay(OutputPin(pin=25), clock=clock, factory=factory).close()
