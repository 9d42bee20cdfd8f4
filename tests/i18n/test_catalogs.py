"""The shipped catalogs are complete, compiled and loaded; a gap fails here."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from andon.i18n import maintain, normalise_language, shipped_languages, translator
from andon.i18n.catalog import UnknownLanguage
from andon.i18n.vocabulary import CALL_TYPE_WORDS, FIGURE_WORDS, PACE_WORDS, SCREEN_WORDS

SHIPPED = ("en", "zh_CN", "zh_TW", "de")
TRANSLATED = [code for code in shipped_languages() if code != "en"]
"""Every catalog in the tree, the four above and any language added later."""


def test_the_four_languages_ship() -> None:
    assert set(SHIPPED) <= set(shipped_languages())


@pytest.mark.parametrize("language", TRANSLATED)
def test_every_marked_text_is_translated_and_compiled(language: str) -> None:
    template = maintain.extract()
    assert len(template) > 40, "extraction found the vocabulary"
    assert [str(problem) for problem in maintain.problems(language, template)] == []


def test_a_new_text_in_the_code_is_reported_missing(tmp_path: Path) -> None:
    (tmp_path / "andon").mkdir()
    (tmp_path / "andon" / "screen.py").write_text(
        'from andon.i18n import N_\nTITLE = N_("A text nobody translated yet")\n',
        encoding="utf-8",
    )
    template = maintain.extract(tmp_path)
    found = [problem.what for problem in maintain.problems("de", template)]
    assert found == ["not in the catalog"]


def test_a_changed_field_name_is_reported() -> None:
    from babel.messages.catalog import Message

    assert maintain.fields("{minutes} min at {station}") == ["minutes", "station"]
    assert maintain.fields("{station}: {minutes} Min.") == ["minutes", "station"]
    english = Message("{minutes} min at {station}")
    assert maintain.fields_kept(english, Message(english.id, "{station}: {minutes} Min."))
    assert not maintain.fields_kept(english, Message(english.id, "{station}: {minute} Min."))


def test_plural_forms_keep_the_fields_of_the_english_plural() -> None:
    """Chinese has one plural form, German two: each keeps ``{count}``."""
    from babel.messages.catalog import Message

    english = Message(("{count} hour", "{count} hours"))
    one_form = Message(english.id, ("{count} 个时段",))
    two_forms = Message(english.id, ("{count} Stunde", "{count} Stunden"))
    lost = Message(english.id, ("eine Stunde", "{count} Stunden"))
    assert maintain.fields_kept(english, one_form)
    assert maintain.fields_kept(english, two_forms)
    assert not maintain.fields_kept(english, lost)


@pytest.mark.parametrize(
    ("code", "expected"),
    [("zh-cn", "zh_CN"), ("zh_TW", "zh_TW"), ("de_DE", "de"), ("DE", "de"), ("en_GB", "en")],
)
def test_configured_codes_are_normalised(code: str, expected: str) -> None:
    assert normalise_language(code) == expected


def test_an_unknown_language_names_the_shipped_ones() -> None:
    with pytest.raises(UnknownLanguage, match="zh_CN"):
        normalise_language("xx")


def test_status_words_in_each_language() -> None:
    assert translator("zh_CN").gettext(PACE_WORDS["too_fast"]) == "过快"
    assert translator("zh_TW").gettext(PACE_WORDS["too_slow"]) == "過慢"
    assert translator("de").gettext(PACE_WORDS["too_fast"]) == "ZU SCHNELL"
    assert translator("en").gettext(PACE_WORDS["too_fast"]) == "TOO FAST"


@pytest.mark.parametrize("language", ["zh_CN", "zh_TW"])
def test_chinese_catalogs_use_chinese_words(language: str) -> None:
    words = [*PACE_WORDS.values(), *CALL_TYPE_WORDS.values(), *FIGURE_WORDS.values()]
    words += list(SCREEN_WORDS.values())
    shown = [translator(language).gettext(word) for word in words]
    assert all(any("\u4e00" <= char <= "\u9fff" for char in text) for text in shown), shown


def test_simplified_and_traditional_differ_where_the_script_does() -> None:
    assert translator("zh_CN").gettext("Line") == "生产线"
    assert translator("zh_TW").gettext("Line") == "生產線"


MARKERS = {"_", "N_", "NC_", "gettext", "ngettext", "pgettext"}


def _marked_in_f_strings(tree: ast.AST) -> list[int]:
    lines = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.JoinedStr):
            continue
        for inner in ast.walk(node):
            if isinstance(inner, ast.Call):
                func = inner.func
                name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
                literal = inner.args and isinstance(inner.args[0], ast.Constant)
                if name in MARKERS and literal:
                    lines.append(inner.lineno)
    return lines


def test_no_text_is_marked_inside_an_f_string() -> None:
    """Extraction cannot see a marked text inside an f-string: it would never be translated."""
    root = Path(__file__).resolve().parents[2]
    found = []
    for path in sorted([*(root / "andon").rglob("*.py"), *(root / "hal").rglob("*.py")]):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        found += [f"{path.relative_to(root)}:{line}" for line in _marked_in_f_strings(tree)]
    assert found == []
