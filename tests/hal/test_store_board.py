"""The store's material-call board: plate lamps, beacon and buzzer on mock pins."""

from __future__ import annotations

import pytest

from hal.patterns import BuzzerPattern, Pattern
from hal.store_board import MaterialCallBoard, StoreBoardState

PLATES = {"A-100": 5, "B-200": 6, "C-300": 13, "D-400": 19}


@pytest.fixture
def board(store_hw, factory, clock):
    device = MaterialCallBoard(store_hw, clock=clock, factory=factory)
    yield device
    device.close()


def lit_plates(factory) -> set[str]:
    return {part for part, pin in PLATES.items() if factory.pin(pin).state == 1}


def test_only_the_called_parts_plates_light_and_the_beacon_with_them(board, factory) -> None:
    assert board.parts == tuple(PLATES)
    board.show(StoreBoardState.calling(["B-200", "D-400"]))
    assert lit_plates(factory) == {"B-200", "D-400"}
    assert factory.pin(26).state == 1
    board.show(StoreBoardState.calling([]))
    assert lit_plates(factory) == set()
    assert factory.pin(26).state == 0


def test_a_flashing_beacon_and_plate(board, factory, clock) -> None:
    board.show(StoreBoardState(plates={"A-100": Pattern.FAST}, beacon=Pattern.SLOW))
    samples = []
    clock.advance(0.0625)
    for _ in range(8):
        board.tick(clock())
        samples.append((factory.pin(5).state == 1, factory.pin(26).state == 1))
        clock.advance(0.125)
    assert [plate for plate, _ in samples] == [True, False] * 4
    assert [beacon for _, beacon in samples] == [True] * 4 + [False] * 4


def test_the_store_buzzer(board, factory, clock) -> None:
    board.show(StoreBoardState(buzzer=BuzzerPattern.RAPID))
    clock.advance(0.05)
    heard = []
    for _ in range(6):
        board.tick(clock())
        heard.append(factory.pin(24).state == 1)
        clock.advance(0.1)
    assert heard == [True, False] * 3


def test_a_part_without_a_plate_is_reported_not_fatal(board, factory) -> None:
    unknown = board.show(StoreBoardState.calling(["A-100", "Z-999"]))
    assert unknown == frozenset({"Z-999"})
    assert lit_plates(factory) == {"A-100"}


def test_closing_switches_everything_off(store_hw, factory, clock) -> None:
    board = MaterialCallBoard(store_hw, clock=clock, factory=factory)
    board.show(StoreBoardState.calling(list(PLATES)))
    board.close()
    assert board.closed
    assert lit_plates(factory) == set()
    MaterialCallBoard(store_hw, clock=clock, factory=factory).close()
