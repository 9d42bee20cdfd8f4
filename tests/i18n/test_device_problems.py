"""A device's problem, written in English by the hardware layer, is read in every language."""

from __future__ import annotations

import socket
import string
from datetime import UTC, datetime

import pytest

from andon.board.health_rows import scanner_rows
from andon.i18n import translator
from andon.i18n.device_problems import shown
from hal import problems as P
from hal.patterns import Pattern, TowerState
from hal.pns import PnsClient, PnsConnectionError, write_frame

FIVE = ["red", "yellow", "green", "blue", "white"]
RED_ON = TowerState(lamps={"red": Pattern.ON})


def _fields(template: str) -> list[str]:
    return [name for _, name, _, _ in string.Formatter().parse(template) if name]


@pytest.mark.parametrize("language", ["zh_CN", "zh_TW", "de"])
@pytest.mark.parametrize("template", P.TEMPLATES)
def test_each_device_problem_is_shown_translated(template: str, language: str) -> None:
    fields = {name: f"X{n}" for n, name in enumerate(_fields(template))}
    sent = template.format(**fields)
    text = shown(sent, translator(language))
    assert text != sent
    assert all(value in text for value in fields.values())


def test_a_silent_tower_is_read_in_german_and_the_retry_too() -> None:
    with socket.create_server(("127.0.0.1", 0)) as silent:
        port = silent.getsockname()[1]
        client = PnsClient("127.0.0.1", port, timeout_s=0.2)
        with pytest.raises(PnsConnectionError) as raised:
            client.send(write_frame(RED_ON, FIVE))
        client.close()
    sent = P.RETRYING.format(problem=str(raised.value), seconds="5")
    assert shown(sent, translator("de")) == (
        f"PNS-Signalsäule 127.0.0.1:{port}: keine Antwort innerhalb von 0.2 s; "
        "neuer Versuch alle 5 s"
    )
    assert shown(sent, translator("en")) == sent


def test_the_diagnostics_scanner_row_shows_the_problem_in_chinese() -> None:
    error = P.CANNOT_OPEN.format(device="/dev/ttyACM0", error="[Errno 2] No such file")
    health = {"scanners": {"front": {"connected": False, "errors": 1, "last_error": error}}}
    now = datetime(2026, 12, 8, tzinfo=UTC)
    [(_key, cells)] = scanner_rows("L1/S1", health, now, translator("zh_CN"))
    assert str(cells[-1]) == "无法打开 /dev/ttyACM0：[Errno 2] No such file"
