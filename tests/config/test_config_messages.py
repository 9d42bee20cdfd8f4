"""Configuration errors in the language of the person at the terminal."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from andon.config.errors import ConfigIssue
from andon.config.messages import TEMPLATES, shown_issue, terminal_language
from andon.i18n import translator

BAD = """\
kind = "plant"
schema = 1
[site]
id = "x"
name = 5
area = "a"
timezone = "UTC"
bogus = [1, 2]
"""


@pytest.mark.parametrize(
    ("environ", "expected"),
    [
        ({"LANG": "zh_CN.UTF-8"}, "zh_CN"),
        ({"LANGUAGE": "vi:de", "LANG": "en_US.UTF-8"}, "de"),
        ({"LC_ALL": "zh_TW.UTF-8", "LANG": "de_DE.UTF-8"}, "zh_TW"),
        ({"LANG": "C.UTF-8"}, "en"),
        ({}, "en"),
    ],
)
def test_the_terminal_language_comes_from_the_environment(environ, expected) -> None:
    assert terminal_language(environ) == expected


def test_every_template_is_translated() -> None:
    for language in ("zh_CN", "zh_TW", "de"):
        tr = translator(language)
        assert all(tr.gettext(template) != template for template in TEMPLATES), language


def test_an_issue_in_chinese_keeps_file_key_and_value() -> None:
    issue = ConfigIssue(Path("plant.toml"), "site.name", "expected a text in quotes, got 5")
    assert shown_issue(issue, "zh_CN") == "plant.toml：site.name：应为加引号的文本，实际为 5"
    listed = ConfigIssue(Path("p.toml"), "lines", "expected a table, got an array of 2 items")
    assert shown_issue(listed, "de") == (
        "p.toml: lines: erwartet eine Tabelle, erhalten: ein Array mit 2 Einträgen"
    )
    syntax = ConfigIssue(Path("p.toml"), "", "invalid TOML", line=3, column=7)
    assert shown_issue(syntax, "zh_TW") == "p.toml：第 3 行，第 7 欄：invalid TOML"
    assert shown_issue(issue, "en") == str(issue)


def test_check_config_speaks_the_terminals_language(tmp_path: Path) -> None:
    path = tmp_path / "plant.toml"
    path.write_text(BAD, encoding="utf-8")
    env = {**os.environ, "LANGUAGE": "", "LC_ALL": "", "LC_MESSAGES": "", "LANG": "de_DE.UTF-8"}
    done = subprocess.run(
        [sys.executable, "-m", "andon", "check-config", str(path)],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    assert done.returncode == 1
    assert f"{path}: site.bogus: unbekannter Schlüssel; erwartet einer von: id," in done.stderr
    assert f"{path}: calendar: Wert fehlt: dieser Schlüssel ist Pflicht" in done.stderr
