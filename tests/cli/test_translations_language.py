"""``andon translations`` says what it did and what is missing in the terminal's language."""

from __future__ import annotations

import pytest

from andon.cli.commands.translations import PROBLEMS, _problem
from andon.i18n import translator
from andon.i18n.maintain import Problem
from tests.support.cli import andon_in


def test_a_complete_check_is_said_in_chinese() -> None:
    done = andon_in("zh_CN.UTF-8", "translations", "check")
    assert done.returncode == 0, done.stderr
    assert done.stdout == "目录完整：de, zh_CN, zh_TW\n"


@pytest.mark.parametrize("language", ["de", "zh_CN", "zh_TW"])
@pytest.mark.parametrize("what", PROBLEMS)
def test_each_problem_is_one_translated_sentence(what: str, language: str) -> None:
    problem = Problem("de", "unknown part {part}", what)
    text = _problem(problem, translator(language))
    assert text != _problem(problem, translator("en"))
    assert text.startswith("de")
    if "{text}" in PROBLEMS[what]:
        assert "'unknown part {part}'" in text


def test_an_english_problem_names_language_text_and_what() -> None:
    problem = Problem("zh_TW", "one line", "not translated")
    assert _problem(problem, translator("en")) == "zh_TW: 'one line' is not translated"


def test_a_language_without_a_catalog_is_refused_in_german() -> None:
    done = andon_in("de_DE.UTF-8", "translations", "check", "--language", "qq")
    assert done.returncode != 0
    assert done.stderr == (
        "andon hat keinen Katalog für die Sprache qq "
        "(andon translations update --language qq legt einen an)\n"
    )
    assert "Traceback" not in done.stderr and done.stdout == ""
