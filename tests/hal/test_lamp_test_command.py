"""``andon lamp-test`` on simulated pins."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from andon.cli.main import main

STATION = """
kind = "station"
name = "press-1"

[hardware]
line_stop = { pin = 25 }

[hardware.tower]
tiers = [{ colour = "red", pin = 12 }, { colour = "green", pin = 20, active_high = false }]
buzzer = { pin = 24 }
"""

STORE = """
kind = "store"

[hardware]
plates = [{ part = "A-100", pin = 5 }, { part = "B-200", pin = 6 }]
beacon = { pin = 26 }
"""


def write(tmp_path: Path, text: str, name: str = "station.toml") -> Path:
    path = tmp_path / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def test_every_station_output_is_walked_and_seen_on_its_pin(tmp_path, capsys) -> None:
    config = write(tmp_path, STATION)
    assert main(["lamp-test", "--config", str(config), "--sim", "--step-s", "0"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "  1. tower tier 1 (red): on  [sim: on: tower.red]"
    assert "  5. tower tier 2 (green): slow  [sim: on: tower.green]" in lines
    assert "  7. tower buzzer: continuous  [sim: on: tower.buzzer]" in lines
    assert " 11. tower: all off  [sim: on: nothing]" in lines
    assert " 12. line-stop relay: STOP (energised)  [sim: on: line_stop]" in lines
    assert " 13. line-stop relay: released  [sim: on: nothing]" in lines
    assert lines[-1] == "done: every output is off"
    assert len(lines) == 14


def test_the_store_board_is_walked(tmp_path, capsys) -> None:
    config = write(tmp_path, STORE, "store.toml")
    assert main(["lamp-test", "--config", str(config), "--sim", "--step-s", "0"]) == 0
    out = capsys.readouterr().out
    assert "  1. plate A-100: on  [sim: on: plate.A-100]" in out
    assert "  2. plate B-200: on  [sim: on: plate.B-200]" in out
    assert "  4. beacon: slow  [sim: on: beacon]" in out
    assert "store board: all off  [sim: on: nothing]" in out


def test_a_pns_tower_is_walked_on_the_loopback_tower(tmp_path, capsys) -> None:
    config = write(
        tmp_path,
        """
        kind = "station"
        [hardware.tower]
        backend = "pns"
        host = "192.0.2.10"
        colours = ["red", "yellow"]
        """,
    )
    assert main(["lamp-test", "--config", str(config), "--sim", "--step-s", "0"]) == 0
    out = capsys.readouterr().out
    assert "  2. tower tier 1 (red): slow  [sim: on: tower.red (slow)]" in out
    assert "  6. tower tier 2 (yellow): fast  [sim: on: tower.yellow (fast)]" in out
    assert "tower buzzer: chirp  [sim: on: tower.buzzer (pattern 3)]" in out


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            'kind = "station"\n[hardware.tower]\ntiers = [{ colour = "pink", pin = 12 }]\n',
            "hardware.tower.tiers[0].colour: Input should be 'red'",
        ),
        (
            'kind = "station"\n[hardware]\nline_stop = { pin = 40 }\n',
            "hardware.line_stop.pin: Input should be less than or equal to 27",
        ),
        (
            'kind = "station"\n[hardware]\nscrap = { pin = 5 }\ncounter = { pin = 5 }\n',
            "pin 5 is used by both counter.pin and scrap.pin",
        ),
        ("[hardware]\n", 'kind: missing; expected "station" or "store"'),
        ('kind = "board"\n[hardware]\n', "kind: 'board'"),
        ('kind = "station"\n', "hardware: a [hardware] table is required"),
        ('kind = "station"\n[hardware\n', "not valid TOML"),
    ],
)
def test_bad_files_name_the_file_and_the_key(tmp_path, capsys, text, message) -> None:
    config = write(tmp_path, text)
    assert main(["lamp-test", "--config", str(config), "--sim", "--step-s", "0"]) == 2
    err = capsys.readouterr().err
    assert f"lamp-test: {config}: " in err
    assert message in err


def test_a_missing_file(tmp_path, capsys) -> None:
    missing = tmp_path / "nope.toml"
    assert main(["lamp-test", "--config", str(missing), "--sim"]) == 2
    assert f"{missing}: cannot read" in capsys.readouterr().err


def test_without_gpio_the_error_suggests_sim(tmp_path, capsys, monkeypatch) -> None:
    from gpiozero import Device

    if Device.pin_factory is not None:
        pytest.skip("a pin factory is already set in this process")
    monkeypatch.setenv("GPIOZERO_PIN_FACTORY", "no-such-factory")
    config = write(tmp_path, STATION)
    assert main(["lamp-test", "--config", str(config), "--step-s", "0"]) == 2
    assert "add --sim" in capsys.readouterr().err
