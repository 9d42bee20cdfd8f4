"""A GPIO lamp tower and buzzer, observed on the mock pins under a manual clock."""

from __future__ import annotations

import pytest
from gpiozero.exc import GPIOPinInUse

from andon.config.hardware import GpioTower
from hal.gpio_tower import GpioLampTower
from hal.patterns import BuzzerPattern, Pattern, TowerState

CONFIG = GpioTower.model_validate(
    {
        "tiers": [
            {"colour": "red", "pin": 12},
            {"colour": "yellow", "pin": 16},
            {"colour": "green", "pin": 20, "active_high": False},
            {"colour": "blue", "pin": 21},
        ],
        "buzzer": {"pin": 24},
    }
)
PINS = {"red": 12, "yellow": 16, "green": 20, "blue": 21}


@pytest.fixture
def tower(factory, clock):
    device = GpioLampTower(CONFIG, clock=clock, factory=factory)
    yield device
    device.close()


def lit(factory, colour: str) -> bool:
    state = bool(factory.pin(PINS[colour]).state)
    return state if colour != "green" else not state  # green's relay is active-low


def watch(factory, clock, tower, read, seconds: float, every: float) -> list[bool]:
    """Sample a pin every ``every`` seconds, ticking the tower as the loop would."""
    samples = []
    for _ in range(round(seconds / every)):
        samples.append(read())
        clock.advance(every)
        tower.tick(clock())
    return samples


def test_everything_is_off_at_start(tower, factory) -> None:
    assert [lit(factory, colour) for colour in PINS] == [False] * 4
    assert factory.pin(20).state == 1  # active-low: off is high
    assert factory.pin(24).state == 0


def test_steady_tiers_switch_at_once(tower, factory) -> None:
    tower.show(TowerState(lamps={"red": Pattern.ON, "green": Pattern.ON}))
    assert [lit(factory, c) for c in PINS] == [True, False, True, False]
    assert factory.pin(20).state == 0


def test_a_slow_flash_on_the_pin(tower, factory, clock) -> None:
    clock.advance(0.0625)
    tower.show(TowerState(lamps={"yellow": Pattern.SLOW}))
    clock.advance(0.0625)
    tower.tick(clock())
    samples = watch(factory, clock, tower, lambda: lit(factory, "yellow"), 2.0, 0.25)
    assert samples == [True, True, False, False] * 2


def test_a_fast_flash_on_the_pin(tower, factory, clock) -> None:
    tower.show(TowerState(lamps={"blue": Pattern.FAST}))
    clock.advance(0.0625)
    tower.tick(clock())
    samples = watch(factory, clock, tower, lambda: lit(factory, "blue"), 1.0, 0.125)
    assert samples == [True, False] * 4


def test_flashing_tiers_flash_in_step(tower, factory, clock) -> None:
    tower.show(TowerState(lamps={"red": Pattern.SLOW, "blue": Pattern.SLOW}))
    clock.advance(0.1)
    tower.tick(clock())
    for _ in range(40):
        assert lit(factory, "red") == lit(factory, "blue")
        clock.advance(0.05)
        tower.tick(clock())


def test_a_buzzer_tune_on_the_pin(tower, factory, clock) -> None:
    tower.show(TowerState(buzzer=BuzzerPattern.CHIRP))
    clock.advance(0.05)
    tower.tick(clock())
    samples = watch(factory, clock, tower, lambda: bool(factory.pin(24).state), 4.0, 0.1)
    assert samples == ([True, False, True] + [False] * 17) * 2


def test_changing_the_state_restarts_the_flash_lit(tower, factory, clock) -> None:
    tower.show(TowerState(lamps={"red": Pattern.SLOW}))
    clock.advance(0.75)
    tower.tick(clock())
    assert not lit(factory, "red")
    tower.show(TowerState(lamps={"red": Pattern.SLOW, "yellow": Pattern.ON}))
    assert lit(factory, "red") and lit(factory, "yellow")


def test_showing_the_same_state_again_does_not_restart_it(tower, factory, clock) -> None:
    state = TowerState(lamps={"red": Pattern.SLOW})
    tower.show(state)
    clock.advance(0.75)
    tower.tick(clock())
    tower.show(TowerState(lamps={"red": "slow"}))
    assert not lit(factory, "red")


def test_a_colour_the_tower_lacks_is_refused(tower) -> None:
    with pytest.raises(ValueError, match="no white tier"):
        tower.show(TowerState(lamps={"white": Pattern.ON}))


def test_a_tower_without_buzzer_ignores_tunes(factory, clock) -> None:
    config = GpioTower.model_validate({"tiers": [{"colour": "red", "pin": 12}]})
    with_buzzerless = GpioLampTower(config, clock=clock, factory=factory)
    with_buzzerless.show(TowerState(lamps={"red": Pattern.ON}, buzzer=BuzzerPattern.RAPID))
    assert factory.pin(12).state == 1
    with_buzzerless.close()


def test_close_switches_off_and_frees_every_pin(factory, clock) -> None:
    tower = GpioLampTower(CONFIG, clock=clock, factory=factory)
    tower.show(TowerState(lamps=dict.fromkeys(PINS, Pattern.ON), buzzer=BuzzerPattern.CONTINUOUS))
    tower.close()
    tower.close()
    assert tower.closed
    assert factory._reservations == {} or all(not refs for refs in factory._reservations.values())
    GpioLampTower(CONFIG, clock=clock, factory=factory).close()  # the pins are free again


def test_a_pin_already_in_use_fails_cleanly(factory, clock) -> None:
    first = GpioLampTower(CONFIG, clock=clock, factory=factory)
    with pytest.raises(Exception) as caught:
        GpioLampTower(CONFIG, clock=clock, factory=factory)
    assert "GPIO12" in str(caught.value)
    assert isinstance(caught.value.__cause__, GPIOPinInUse)
    first.close()
