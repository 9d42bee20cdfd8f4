"""The shared words: one table for every surface, and names from the config translated."""

from __future__ import annotations

from pathlib import Path

import pytest

from andon.config.loader import load_plant
from andon.i18n import translator
from andon.i18n.vocabulary import (
    CALL_TYPE_WORDS,
    SIGNAL_WORDS,
    pace_word,
    word,
)
from tests.config.config_samples import PLANT, edit, issues_of


def _plant(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "plant.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_pace_words_fall_back_to_not_judged() -> None:
    assert pace_word("too_slow", translator("zh_CN")) == "过慢"
    assert pace_word(None, translator("de")) == "NICHT BEWERTET"
    assert pace_word("something else", translator("en")) == "NOT JUDGED"


def test_a_word_missing_from_a_table_shows_its_key_or_default() -> None:
    assert word(CALL_TYPE_WORDS, "material", translator("zh_TW")) == "物料"
    assert word(CALL_TYPE_WORDS, "tooling", translator("de")) == "tooling"
    assert word(SIGNAL_WORDS, "nope", translator("de"), default="?") == "?"
    assert word(SIGNAL_WORDS, "line_stopped", translator("zh_TW")) == "停線"


def test_built_in_call_types_and_roles_speak_the_language(tmp_path: Path) -> None:
    plant = load_plant(_plant(tmp_path, PLANT))
    assert plant.call_types["equipment"].label_in("zh_CN") == "设备"
    assert plant.call_types["help"].label_in("de") == "Hilfe"
    assert plant.call_types["help"].label_in("en") == "Help"
    assert plant.role_in("maintenance", "zh_TW") == "維修"
    assert plant.role_in("team_leader", "de") == "Teamleiter"


def test_a_plants_own_call_type_and_line_carry_their_translations(tmp_path: Path) -> None:
    text = edit(PLANT, 'name = "Line A"', 'name = "Line A"\nnames = { zh-CN = "总装一线" }')
    text += (
        '\n[call_types.tooling]\nlabel = "Tooling"\ncolour = "yellow"\n'
        'labels = { zh_CN = "模具", de = "Werkzeug" }\n'
    )
    plant = load_plant(_plant(tmp_path, text))
    tooling = plant.call_types["tooling"]
    assert [tooling.label_in(code) for code in ("zh_CN", "de", "zh_TW", "en")] == [
        "模具",
        "Werkzeug",
        "Tooling",
        "Tooling",
    ]
    assert plant.line("line-a").name_in("zh_CN") == "总装一线"
    assert plant.line("line-a").name_in("zh_TW") == "Line A"


@pytest.mark.parametrize(
    ("addition", "key"),
    [
        (
            '\n[[reasons]]\ncode = "R1"\nlabel = "Jam"\nlabels = { xx = "?" }\n',
            "reasons[0].labels.xx",
        ),
        (
            '\n[call_types.t]\nlabel = "T"\ncolour = "red"\nlabels = { kl = "?" }\n',
            "call_types.t.labels.kl",
        ),
    ],
)
def test_a_translation_in_an_unknown_language_names_file_key_and_languages(
    tmp_path: Path, addition: str, key: str
) -> None:
    [(where, message)] = issues_of(_plant(tmp_path, PLANT + addition))
    assert where == key
    assert "zh_CN" in message and "de" in message
