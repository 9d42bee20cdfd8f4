"""A simulated station's refusal of a malformed simulated input is a sentence of
``andon.station.sim_refusals``, which ``andon sim`` writes in the plant's language."""

from __future__ import annotations

from typing import Any

import pytest

from andon.cli import speech
from andon.i18n import translator
from andon.i18n.sentences import find
from andon.station.assemble import run_sim_action
from andon.station.sim_refusals import TEMPLATES
from hal.sim import SimStation
from tests.support.stations import demo_station

MALFORMED: list[dict[str, Any]] = [
    {"action": "dance"},
    {"action": "count", "n": True},
    {"action": "count", "n": "3"},
    {"action": "count", "n": 0},
    {"action": "press", "call_type": 7},
    {"action": "hold", "call_type": "help", "seconds": 600},
    {"action": "fault", "active": "yes"},
]


def _refusal(controller: Any, args: dict[str, Any]) -> str:
    with pytest.raises(ValueError) as refused:
        run_sim_action(controller, args)
    return str(refused.value)


def test_each_refusal_is_a_template_and_read_in_chinese() -> None:
    hardware = demo_station("station-a3.toml").hardware
    with SimStation(hardware, sink=lambda event: None) as simulation:
        reasons = [_refusal(simulation.controller, args) for args in MALFORMED]
    reasons.append(_refusal(None, {"action": "press", "call_type": "help"}))

    chinese = translator("zh_CN")
    for reason in reasons:
        assert find(reason, TEMPLATES) is not None, reason
        shown = speech.with_hardware(reason, TEMPLATES, chinese)
        assert shown != reason and "expected" not in shown, shown
    assert reasons[0] == "action: expected one of press, hold, acknowledge, bin, count, " + (
        "scrap, fault, downstream_full, scan, got 'dance'"
    )
    assert speech.with_hardware(reasons[-1], TEMPLATES, translator("de")) == (
        "keine simulierte Station"
    )
