"""``language`` in the plant, board and people, and names from the config in other languages."""

from __future__ import annotations

from pathlib import Path

from andon.config.loader import load_plant
from tests.config.config_samples import PLANT, edit, issues_of

BOARD = """\
kind = "board"
schema = 1
plant = "plant.toml"
id = "office"
"""


def _plant(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "plant.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_the_plant_speaks_english_unless_told(tmp_path: Path) -> None:
    assert load_plant(_plant(tmp_path, PLANT)).site.language == "en"


def test_a_language_is_stored_as_the_catalogs_spell_it(tmp_path: Path) -> None:
    text = edit(
        PLANT, 'timezone = "Europe/Berlin"', 'timezone = "Europe/Berlin"\nlanguage = "zh-cn"'
    )
    assert load_plant(_plant(tmp_path, text)).site.language == "zh_CN"


def test_an_unknown_language_names_file_key_and_the_shipped_ones(tmp_path: Path) -> None:
    text = edit(PLANT, 'timezone = "Europe/Berlin"', 'timezone = "Europe/Berlin"\nlanguage = "xx"')
    [(key, message)] = issues_of(_plant(tmp_path, text))
    assert key == "site.language"
    assert "zh_CN" in message and "de" in message and "xx" in message


def test_a_board_takes_the_plants_language_or_its_own(tmp_path: Path) -> None:
    from andon.config.loader import load_board

    text = edit(PLANT, 'timezone = "Europe/Berlin"', 'timezone = "Europe/Berlin"\nlanguage = "de"')
    _plant(tmp_path, text)
    board = tmp_path / "board.toml"
    board.write_text(BOARD, encoding="utf-8")
    assert load_board(board).shown_language == "de"
    board.write_text(BOARD + 'language = "zh_TW"\n', encoding="utf-8")
    assert load_board(board).shown_language == "zh_TW"


def test_reason_and_part_names_carry_their_translations(tmp_path: Path) -> None:
    text = edit(
        PLANT,
        'name = "Bolt"',
        'name = "Bolt"\nnames = { zh_CN = "螺栓", de = "Schraube" }',
    )
    text += (
        '\n[[reasons]]\ncode = "BRK-TOOL"\nlabel = "Broken tool"\nlabels = { zh_CN = "刀具破损" }\n'
    )
    plant = load_plant(_plant(tmp_path, text))
    part = next(p for p in plant.parts if p.number == "P-1")
    assert (part.name_in("zh_CN"), part.name_in("de"), part.name_in("zh_TW")) == (
        "螺栓",
        "Schraube",
        "Bolt",
    )
    reason = next(r for r in plant.reasons if r.code == "BRK-TOOL")
    assert (reason.label_in("zh_CN"), reason.label_in("en")) == ("刀具破损", "Broken tool")


def test_a_person_may_read_alerts_in_their_own_language(tmp_path: Path) -> None:
    text = (
        PLANT
        + '\n[[people]]\nbadge = "7"\nname = "Li Wei"\nrole = "maintenance"\nlanguage = "zh_CN"\n'
    )
    plant = load_plant(_plant(tmp_path, text))
    assert next(p for p in plant.people if p.badge == "7").language == "zh_CN"
