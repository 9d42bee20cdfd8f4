"""A ``--broker`` that is not ``HOST:PORT`` is refused in the terminal's language by every
command that takes one, before it connects to anything."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.support.cli import andon_in

ROOT = Path(__file__).resolve().parents[2]
DEMO = ROOT / "firmware_config" / "demo"

EXPECTED = {
    "zh_TW.UTF-8": (
        "應為 HOST:PORT，實際為 'line:x'",
        "應為 HOST:PORT，連接埠為 1..65535，實際為 'line:0'",
    ),
    "de_DE.UTF-8": (
        "erwartet HOST:PORT, erhalten: 'line:x'",
        "erwartet HOST:PORT mit einem Port 1..65535, erhalten: 'line:0'",
    ),
    "C.UTF-8": (
        "expected HOST:PORT, got 'line:x'",
        "expected HOST:PORT with a port 1..65535, got 'line:0'",
    ),
}
COMMANDS = {
    "board": ["board", "--config", str(DEMO / "board.toml")],
    "web": ["web", "--config", str(DEMO / "web.toml")],
    "historian": ["historian", "--config", str(DEMO / "plant.toml"), "--database", "sqlite:///h"],
    "demo": ["demo", "--headless", "--seconds", "1"],
}


@pytest.mark.parametrize("command", COMMANDS)
@pytest.mark.parametrize("lang", EXPECTED)
def test_a_malformed_broker_address_is_refused_in_the_terminals_language(
    tmp_path: Path, command: str, lang: str
) -> None:
    for address, expected in zip(("line:x", "line:0"), EXPECTED[lang], strict=True):
        # a wide terminal: argparse's error on one line, not wrapped at 80 columns
        result = andon_in(
            lang, *COMMANDS[command], "--broker", address, cwd=tmp_path, env={"COLUMNS": "200"}
        )
        assert result.returncode == 2, result.stderr
        assert expected in result.stderr
        assert "Traceback" not in result.stderr
