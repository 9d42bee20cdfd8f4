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
