"""The sentences of particular checks and the summaries, in the terminal's language."""

from __future__ import annotations

import os
import string
import subprocess
import sys
from pathlib import Path

import pytest
from config_samples import PLANT, STATION, edit

from andon.config import wording
from andon.config.errors import ConfigIssue
from andon.config.messages import ISSUE_AT, TEMPLATES, shown_issue
from andon.i18n import translator

LANGUAGES = ("zh_CN", "zh_TW", "de")


def _fields(template: str) -> list[str]:
    return [name for _, name, _, _ in string.Formatter().parse(template) if name]


@pytest.mark.parametrize("language", LANGUAGES)
def test_each_check_sentence_is_found_again_by_its_own_template(language: str) -> None:
    tr = translator(language)
    for template in wording.CHECKS:
        values = {name: f"v{index}x" for index, name in enumerate(_fields(template))}
        issue = ConfigIssue(Path("f.toml"), "k", template.format(**values))
        message = tr.gettext(template).format(**values)
        assert shown_issue(issue, language) == tr.gettext(ISSUE_AT).format(
            file="f.toml", where="k", message=message
        )
        assert tr.gettext(template) != template or template == ", ", template


def test_every_check_sentence_is_a_template() -> None:
    assert set(wording.CHECKS) <= set(TEMPLATES)


def _check(env_language: str, *files: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "LANGUAGE": "", "LC_ALL": "", "LC_MESSAGES": "", "LANG": env_language}
    return subprocess.run(
        [sys.executable, "-m", "andon", "check-config", *map(str, files)],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        check=False,
    )


def test_overlapping_shifts_in_chinese_keep_the_names_as_written(tmp_path: Path) -> None:
    plant = tmp_path / "plant.toml"
    plant.write_text(
        edit(PLANT, 'start = "22:00"\nend = "06:00"', 'start = "22:00"\nend = "07:00"'),
        encoding="utf-8",
    )

    done = _check("zh_CN.UTF-8", plant)

    assert done.returncode == 1
    assert done.stderr == (
        f"{plant}：calendar.shifts[1]：班次不应重叠，实际 night（22:00–07:00）在 mon 与 "
        "early（06:00–14:00）重叠\n"
    )


def test_a_pin_used_twice_in_german_names_both_keys(tmp_path: Path) -> None:
    (tmp_path / "plant.toml").write_text(PLANT, encoding="utf-8")
    station = tmp_path / "station.toml"
    station.write_text(
        edit(STATION, "[hardware.counter]\npin = 5", "[hardware.counter]\npin = 17"),
        encoding="utf-8",
    )

    done = _check("de_DE.UTF-8", station)

    assert done.returncode == 1
    assert (
        f"{station}: hardware.counter.pin: erwartet einen von keinem anderen Gerät benutzten "
        "Pin, erhalten: 17, den hardware.buttons.help.pin bereits benutzt"
    ) in done.stderr


def test_the_summaries_in_each_language(tmp_path: Path) -> None:
    plant = tmp_path / "plant.toml"
    plant.write_text(PLANT, encoding="utf-8")
    station = tmp_path / "station.toml"
    station.write_text(STATION, encoding="utf-8")

    english = _check("C", plant, station)
    chinese = _check("zh_TW.UTF-8", plant, station)
    german = _check("de_AT.UTF-8", plant, station)

    assert english.returncode == chinese.returncode == german.returncode == 0
    assert f"OK {station} (station: line-a/s1, 1 button, 1 bin, 0 scanners" in english.stdout
    assert f"OK {station}（station：line-a/s1，1 個按鈕，1 個料箱，0 個掃描器" in chinese.stdout
    assert f"OK {station} (station: line-a/s1, 1 Taste, 1 Behälter, 0 Scanner" in german.stdout
    assert f"OK {plant}（plant：" in chinese.stdout and "條產線" in chinese.stdout


def test_a_warning_in_chinese(tmp_path: Path) -> None:
    reasons = "".join(
        f'\n[[reasons]]\ncode = "R{n}"\nlabel = "Reason {n}"\ncategory = "availability"\n'
        for n in range(30)
    )
    plant = tmp_path / "plant.toml"
    plant.write_text(PLANT + reasons, encoding="utf-8")

    done = _check("zh_CN.UTF-8", plant)

    assert "警告：" in done.stderr and "个原因代码；请保持在" in done.stderr, done.stderr


def test_the_choices_of_a_key_are_listed_as_the_language_lists_them() -> None:
    issue = ConfigIssue(
        Path("plant.toml"),
        "reasons[0].category",
        'expected one of "availability", "performance" or "quality", got "other"',
    )
    assert shown_issue(issue, "zh_CN") == (
        'plant.toml：reasons[0].category：应为 "availability"、"performance"或"quality" 之一，'
        '实际为 "other"'
    )
    assert shown_issue(issue, "de").endswith(
        'erwartet eines von "availability", "performance" oder "quality", erhalten: "other"'
    )
    assert shown_issue(issue, "en") == str(issue)
