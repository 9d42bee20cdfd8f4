"""``andon sim``'s command line turned into the station's ``sim`` command arguments."""

from __future__ import annotations

import pytest

from andon.cli.commands.sim import input_seconds, sim_arguments
from andon.cli.main import build_parser
from tests.support.stations import DEMO, demo_station

A1 = str(DEMO / "station-a1.toml")


def parsed(*argv: str):
    return build_parser().parse_args(["sim", "--config", A1, *argv])


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["press", "help"], {"action": "press", "call_type": "help"}),
        (["hold", "help", "3"], {"action": "hold", "call_type": "help", "seconds": 3.0}),
        (["acknowledge"], {"action": "acknowledge"}),
        (["bin", "P-1001", "empty"], {"action": "bin", "part": "P-1001", "empty": True}),
        (["bin", "P-1001", "full"], {"action": "bin", "part": "P-1001", "empty": False}),
        (["count", "5"], {"action": "count", "n": 5}),
        (["scrap", "2"], {"action": "scrap", "n": 2}),
        (["fault", "on"], {"action": "fault", "active": True}),
        (["downstream-full", "off"], {"action": "downstream_full", "full": False}),
        (["scan", "BD:1042"], {"action": "scan", "scanner": "scanner", "text": "BD:1042"}),
        (
            ["scan", "RC:MAT", "--scanner", "front"],
            {"action": "scan", "scanner": "front", "text": "RC:MAT"},
        ),
    ],
)
def test_each_action_becomes_the_stations_sim_arguments(argv, expected):
    assert sim_arguments(parsed(*argv), demo_station("station-a1.toml")) == expected


@pytest.mark.parametrize(
    ("argv", "message"),
    [(["count", "0"], "at least 1"), (["hold", "help", "-1"], "positive")],
)
def test_unusable_numbers_are_refused_before_anything_is_sent(argv, message):
    with pytest.raises(ValueError, match=message):
        sim_arguments(parsed(*argv), demo_station("station-a1.toml"))


def test_the_wait_includes_the_time_the_input_takes():
    config = demo_station("station-a1.toml")  # P-1001 settles 2 s, P-1002 is a button
    assert input_seconds(config, {"action": "hold", "call_type": "help", "seconds": 3}) == 3
    sensor, button = ({"action": "bin", "part": p, "empty": True} for p in ("P-1001", "P-1002"))
    assert input_seconds(config, sensor) == pytest.approx(2.01)
    assert input_seconds(config, button) == pytest.approx(0.12)
    assert input_seconds(config, {"action": "count", "n": 10}) == pytest.approx(1.2)
