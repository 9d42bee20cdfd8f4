"""``andon board --serve`` without textual-serve says so in the terminal's language."""

from __future__ import annotations

import sys

import pytest

from andon.cli.main import main
from tests.board.scenario import CONFIG
from tests.conftest import free_port


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        (
            "de",
            "Fehler: für die Anzeige im Browser wird textual-serve benötigt: "
            "pip install 'andon[web]'",
        ),
        ("zh_CN", "错误：向浏览器提供看板需要 textual-serve：pip install 'andon[web]'"),
        ("zh_TW", "錯誤：向瀏覽器提供看板需要 textual-serve：pip install 'andon[web]'"),
        ("en", "error: serving to browsers needs textual-serve: pip install 'andon[web]'"),
    ],
)
def test_serving_without_textual_serve_is_refused_in_the_terminals_language(
    language: str,
    expected: str,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # a None entry in sys.modules makes the import fail as if the package were not installed
    monkeypatch.setitem(sys.modules, "textual_serve", None)
    monkeypatch.setitem(sys.modules, "textual_serve.server", None)
    monkeypatch.setenv("LANGUAGE", language)
    args = ["board", "--config", str(CONFIG / "board.toml"), "--serve", "--host", "127.0.0.1"]
    assert main([*args, "--port", str(free_port())]) == 1
    assert expected in capsys.readouterr().err
