"""``andon notify`` says why its alert queue cannot be used in the terminal's language."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest

from andon.cli.main import main

MAIL = """\
[[channels]]
id = "mail"
urls_file = "mail.url"
send_to = "group"

[[routes]]
channels = ["mail"]
"""


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("de", "Fehler: {path} ist eine SQLite-Datei, aber keine andon-Meldungswarteschlange"),
        ("zh_CN", "错误：{path} 是 SQLite 文件，但不是 andon 通知队列"),
        ("zh_TW", "錯誤：{path} 是 SQLite 檔案，但不是 andon 通知佇列"),
        ("en", "error: {path} is an SQLite file but not an andon alert queue"),
    ],
)
def test_a_file_that_is_not_an_alert_queue_is_refused_in_the_terminals_language(
    language: str,
    expected: str,
    write_notify: Callable[..., Path],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    other = tmp_path / "journal.sqlite"
    with sqlite3.connect(other) as conn:
        conn.execute("CREATE TABLE events (seq INTEGER)")
    path = write_notify(f'queue = "{other}"\n' + MAIL, {"mail": "json://127.0.0.1:9/"})
    monkeypatch.setenv("LANGUAGE", language)
    assert main(["notify", "--config", str(path)]) == 1
    assert capsys.readouterr().err == expected.format(path=other) + "\n"


def test_a_directory_as_the_queue_is_refused_in_the_terminals_language(
    write_notify: Callable[..., Path],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    path = write_notify(f'queue = "{tmp_path}"\n' + MAIL, {"mail": "json://127.0.0.1:9/"})
    monkeypatch.setenv("LANGUAGE", "de")
    assert main(["notify", "--config", str(path)]) == 1
    assert capsys.readouterr().err == f"Fehler: Meldungswarteschlange {tmp_path} ist ein Ordner\n"
