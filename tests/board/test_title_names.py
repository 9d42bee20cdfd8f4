"""A board's and a web view's title in the reader's language, from the file's ``names``."""

from __future__ import annotations

from pathlib import Path

import pytest

from andon.board.catalogue import BoardCatalogue
from andon.config.loader import load_board
from andon.web.config import load_web

DEMO = Path(__file__).resolve().parents[2] / "firmware_config" / "demo"

BOARD = {
    "en": "Assembly - supervisor board",
    "zh_CN": "装配 - 主管看板",
    "zh_TW": "裝配 - 主管看板",
    "de": "Montage - Schichtleiter-Board",
}
WEB = {
    "en": "Assembly - web view",
    "zh_CN": "装配 - 网页视图",
    "zh_TW": "裝配 - 網頁檢視",
    "de": "Montage - Web-Ansicht",
}


@pytest.mark.parametrize("language", BOARD)
def test_the_demo_boards_title_in_each_language(language: str) -> None:
    board = load_board(DEMO / "board.toml")
    assert BoardCatalogue.from_board(board, language).title == BOARD[language]
    assert board.title_in(language) == BOARD[language]


@pytest.mark.parametrize("language", WEB)
def test_the_demo_web_views_title_in_each_language(language: str) -> None:
    web = load_web(DEMO / "web.toml").web.model_copy(update={"language": language})
    assert BoardCatalogue.from_board(web.board_file()).title == WEB[language]


def test_a_title_without_a_translation_shows_as_written_and_a_built_in_word_translated() -> None:
    board = load_board(DEMO / "maintenance.toml")
    assert board.title_in("zh_CN") == "维修"  # "Maintenance" is one of andon's own words
    other = board.model_copy(update={"name": "Hall 4 wall"})
    assert other.title_in("de") == "Hall 4 wall"
