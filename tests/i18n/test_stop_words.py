"""What stopped, and the Pareto bars of stops without a reason and of minor stops: one
table (andon.i18n.vocabulary) for the board, the web view, the History screen and the
reports, in every shipped language."""

from __future__ import annotations

import pytest

from andon.board.line_view import pareto
from andon.domain.attribution import Loss
from andon.historian.words import ReportWords
from andon.i18n import translator
from andon.i18n.vocabulary import STOP_SOURCE_WORDS, reason_missing, stop_source
from andon.simulate.figures import MINOR

LANGUAGES = ["en", "zh_CN", "zh_TW", "de"]


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("source", sorted(STOP_SOURCE_WORDS))
def test_the_board_and_the_reports_name_a_stop_without_reason_alike(language: str, source: str):
    tr = translator(language)
    key = f"{source.replace('_', ' ')}: reason missing"  # the reports' Pareto key
    (bar,) = pareto((Loss(key, 600.0, 1, source=source),), lambda code: code, tr)
    assert bar.label == ReportWords(language).reason(key, None)
    assert stop_source(source, tr).casefold() in bar.label.casefold()  # names what stopped
    assert bar.label[0] == bar.label[0].upper()  # a row begins with a capital, as its neighbours
    assert bar.unexplained


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_board_and_the_reports_name_the_minor_stops_alike(language: str):
    (bar,) = pareto((Loss(MINOR, 60.0, 3),), lambda code: code, translator(language))
    assert bar.label == ReportWords(language).reason(MINOR, None)


def test_the_words_read_as_the_glossary_has_them():
    assert stop_source("fault", translator("en")) == "machine fault"
    assert stop_source("line stop", translator("zh_CN")) == "停线"  # the reports' spelling
    assert stop_source("no_count", translator("de")) == "keine Zählung"
    assert stop_source("jam", translator("de")) == "jam"  # a source the table lacks
    assert ReportWords("de").reason("fault: reason missing", None) == (
        "Maschinenstörung: Grund fehlt"
    )
    assert ReportWords("de").reason("no count: reason missing", None) == (
        "Keine Zählung: Grund fehlt"  # a row of the Pareto, capitalised like its neighbours
    )
    assert ReportWords("en").reason("line stop: reason missing", None) == (
        "Line stop: reason missing"
    )


@pytest.mark.parametrize(
    ("language", "expected"),
    [("en", "Tool wear: reason missing"), ("de", "Tool wear: Grund fehlt")],
)
def test_a_source_the_table_lacks_begins_its_row_with_a_capital_too(language: str, expected: str):
    tr = translator(language)
    assert reason_missing("tool_wear", tr) == expected
    key = "tool wear: reason missing"  # the reports' Pareto key of an unknown source
    (bar,) = pareto((Loss(key, 600.0, 1, source="tool_wear"),), lambda code: code, tr)
    assert bar.label == expected == ReportWords(language).reason(key, None)
