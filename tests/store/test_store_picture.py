"""What the store board shows: plates, beacon and buzzer cues on an injected clock."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from andon.store.calls import MaterialCall
from andon.store.picture import BOOKED, NEW_CALL, REFUSED, BuzzerCues, board_picture
from hal.patterns import BuzzerPattern, Pattern

T0 = datetime(2025, 3, 3, 8, 0, tzinfo=UTC)
PLATES = frozenset({"P-1001", "P-1002", "P-2001"})


def call(call_id: str, part: str, express: bool = False) -> MaterialCall:
    raised_at = T0 + timedelta(minutes=1)
    return MaterialCall("s/a/line-a/a1", "line-a", call_id, part, raised_at, express)


def test_no_call_means_a_dark_board():
    picture = board_picture([], PLATES)
    assert picture.plates == {} and picture.beacon is Pattern.OFF
    assert picture.buzzer is BuzzerPattern.OFF


def test_called_parts_light_steady_and_an_express_call_flashes_fast():
    calls = [call("C1", "P-1001"), call("C2", "P-1002", express=True), call("C3", "P-1002")]
    picture = board_picture(calls, PLATES)
    assert picture.plates == {"P-1001": Pattern.ON, "P-1002": Pattern.FAST}
    assert picture.beacon is Pattern.ON


def test_a_call_for_a_part_without_a_plate_still_lights_the_beacon():
    picture = board_picture([call("C1", "P-3001")], PLATES)
    assert picture.plates == {}
    assert picture.beacon is Pattern.ON


def test_buzzer_cues_last_their_time_and_the_latest_replaces_the_one_sounding():
    cues = BuzzerCues()
    assert cues.current(100.0) is BuzzerPattern.OFF
    cues.sound(NEW_CALL, 100.0)
    assert cues.current(100.0) is BuzzerPattern.CHIRP
    assert cues.current(100.0 + NEW_CALL.seconds - 0.001) is BuzzerPattern.CHIRP
    assert cues.current(100.0 + NEW_CALL.seconds) is BuzzerPattern.OFF
    cues.sound(REFUSED, 200.0)
    cues.sound(BOOKED, 200.5)
    assert cues.current(200.6) is BuzzerPattern.PULSE
    assert cues.current(200.5 + BOOKED.seconds) is BuzzerPattern.OFF


def test_the_three_cues_sound_different():
    assert len({NEW_CALL.pattern, BOOKED.pattern, REFUSED.pattern}) == 3
