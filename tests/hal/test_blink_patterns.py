"""Flash and buzzer timing, and the tower state value."""

from __future__ import annotations

import pytest

from hal.patterns import (
    BUZZER_CADENCES,
    LAMP_CADENCES,
    BuzzerPattern,
    Cadence,
    Pattern,
    TowerState,
)


def levels(cadence: Cadence, start: float, every: float, count: int) -> list[bool]:
    return [cadence.level_at(start + i * every) for i in range(count)]


def test_slow_flash_is_one_hertz_and_starts_lit() -> None:
    slow = LAMP_CADENCES[Pattern.SLOW]
    assert slow.period == 1.0
    assert levels(slow, 0.125, 0.25, 8) == [True, True, False, False] * 2


def test_fast_flash_is_four_hertz() -> None:
    fast = LAMP_CADENCES[Pattern.FAST]
    assert fast.period == 0.25
    assert levels(fast, 0.0625, 0.125, 8) == [True, False] * 4


def test_steady_patterns_never_change() -> None:
    assert set(levels(LAMP_CADENCES[Pattern.ON], 0.0, 0.1, 50)) == {True}
    assert set(levels(LAMP_CADENCES[Pattern.OFF], 0.0, 0.1, 50)) == {False}


def test_buzzer_tunes_differ() -> None:
    def heard(tune: BuzzerPattern) -> list[bool]:
        return levels(BUZZER_CADENCES[tune], 0.05, 0.1, 20)

    assert heard(BuzzerPattern.CHIRP) == [True, False, True] + [False] * 17
    assert heard(BuzzerPattern.RAPID) == [True, False] * 10
    assert heard(BuzzerPattern.PULSE) == ([True] * 5 + [False] * 5) * 2
    assert heard(BuzzerPattern.CONTINUOUS) == [True] * 20
    assert len({tuple(heard(t)) for t in BuzzerPattern}) == len(BuzzerPattern)


def test_a_cadence_needs_positive_steps() -> None:
    with pytest.raises(ValueError, match="positive"):
        Cadence(((True, 0.0),))


def test_tower_state_ignores_off_lamps_and_compares_by_value() -> None:
    a = TowerState(lamps={"red": Pattern.ON, "green": Pattern.OFF})
    b = TowerState(lamps={"red": "on"})
    assert a == b and hash(a) == hash(b)
    assert a.pattern("green") is Pattern.OFF
    assert a.pattern("red") is Pattern.ON
    assert TowerState(buzzer="chirp").buzzer is BuzzerPattern.CHIRP
    assert a != TowerState(lamps={"red": Pattern.SLOW})
    assert str(b) == "red on; buzzer off"


def test_tower_state_is_immutable() -> None:
    state = TowerState(lamps={"red": Pattern.ON})
    with pytest.raises(TypeError):
        state.lamps["red"] = Pattern.OFF  # type: ignore[index]
