"""PNS frames, byte for byte against the PATLITE manual's layout."""

from __future__ import annotations

import pytest

from hal.patterns import BuzzerPattern, Pattern, TowerState
from hal.pns import clear_frame, frame, write_frame

FIVE = ["red", "yellow", "green", "blue", "white"]


def test_the_manuals_own_example() -> None:
    # NHL manual 3.6: "Red Lighting + Amber Flashing Pattern1 + Green Flashing Pattern2
    # + Buzzer Pattern4" is 58 58 53 00 00 06 01 02 03 00 00 04.
    state = TowerState(
        lamps={"red": Pattern.ON, "yellow": Pattern.SLOW, "green": Pattern.FAST},
        buzzer=BuzzerPattern.CONTINUOUS,
    )
    assert write_frame(state, FIVE) == bytes.fromhex("58 58 53 00 00 06 01 02 03 00 00 04")


def test_all_off() -> None:
    assert write_frame(TowerState(), FIVE) == bytes.fromhex("585853000006 0000000000 00")


@pytest.mark.parametrize(
    ("tune", "code"),
    [
        (BuzzerPattern.OFF, 0x00),
        (BuzzerPattern.RAPID, 0x01),
        (BuzzerPattern.PULSE, 0x02),
        (BuzzerPattern.CHIRP, 0x03),
        (BuzzerPattern.CONTINUOUS, 0x04),
    ],
)
def test_buzzer_codes(tune: BuzzerPattern, code: int) -> None:
    assert write_frame(TowerState(buzzer=tune), FIVE)[-1] == code


def test_tiers_are_addressed_by_position() -> None:
    # A tower mounted green on top, then yellow, then red.
    state = TowerState(lamps={"red": Pattern.FAST, "green": Pattern.ON})
    assert write_frame(state, ["green", "yellow", "red"]) == bytes.fromhex(
        "585853 00 0006 01 00 03 00 00 00"
    )


def test_more_than_five_tiers_is_refused() -> None:
    with pytest.raises(ValueError, match="at most 5"):
        write_frame(TowerState(), [*FIVE, "red"])


def test_clear_and_generic_frames() -> None:
    assert clear_frame() == bytes.fromhex("58 58 43 00 00 00")
    assert frame(b"G") == b"XXG\x00\x00\x00"
    assert frame(b"S", bytes(300))[4:6] == b"\x01\x2c"
    with pytest.raises(ValueError):
        frame(b"SS")
