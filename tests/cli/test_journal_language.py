"""``andon station`` says why it cannot open its journal in the terminal's language."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from andon.cli.main import main
from tests.support.stations import DEMO


def _start(journal: Path) -> list[str]:
    return [
        "station",
        "--config",
        str(DEMO / "station-a1.toml"),
        "--sim",
        "--journal",
        str(journal),
    ]


def test_a_journal_that_is_a_directory_is_refused_in_the_terminals_language(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LANGUAGE", "de")
    assert main(_start(tmp_path)) == 1
    assert f"Journal {tmp_path} ist ein Ordner" in capsys.readouterr().err


def test_a_file_that_is_not_a_journal_is_refused_in_the_terminals_language(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    other = tmp_path / "queue.sqlite"
    with sqlite3.connect(other) as conn:
        conn.execute("CREATE TABLE alerts (id INTEGER)")
    conn.close()
    monkeypatch.setenv("LANGUAGE", "zh_TW")
    assert main(_start(other)) == 1
    err = capsys.readouterr().err
    assert f"{other} 是 SQLite 檔案，但不是 andon 日誌" in err
    assert "not an andon journal" not in err
