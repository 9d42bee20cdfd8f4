"""The catalogs keep the glossary's words and the Chinese punctuation of docs/i18n.md."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from andon.i18n import maintain

LOCALES = Path(maintain.__file__).resolve().parent / "locales"
CJK = re.compile(r"[\u4e00-\u9fff]")

TERMS = {
    "password file": {"zh_CN": "密码文件", "zh_TW": "密碼檔案", "de": "Passwortdatei"},
    "badge": {"zh_CN": "工牌", "zh_TW": "工牌", "de": "Badge"},
}
"""English words of the glossary → the one word each catalog writes for them."""

SPELLED_OUT = {
    "MTTA": {"zh_CN": "平均响应时间", "zh_TW": "平均回應時間"},
    "MTTR": {"zh_CN": "平均修复时间", "zh_TW": "平均修復時間"},
}
"""Abbreviations the glossary writes out in Chinese: on the board, in the reports, alerts, help."""


def translations(language: str) -> list[tuple[str, str]]:
    """Every (English, translation) pair of a catalog, plural forms each on its own."""
    with (LOCALES / language / "LC_MESSAGES" / "andon.po").open("rb") as file:
        catalog = read_po(file)
    pairs = []
    for message in catalog:
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        pairs += [(ids[min(i, len(ids) - 1)], text) for i, text in enumerate(strings)]
    return pairs


@pytest.mark.parametrize("term", TERMS)
@pytest.mark.parametrize("language", ["zh_CN", "zh_TW", "de"])
def test_a_glossary_term_has_one_word_in_each_language(language: str, term: str) -> None:
    word = TERMS[term][language]
    found = [(english, text) for english, text in translations(language) if term in english]
    assert found, f"no text says {term!r}"
    assert [pair for pair in found if word not in pair[1]] == []


@pytest.mark.parametrize("language", ["zh_CN", "zh_TW"])
def test_chinese_texts_use_full_width_colons(language: str) -> None:
    ascii_colons = [text for _, text in translations(language) if CJK.search(text) and ": " in text]
    assert ascii_colons == []


@pytest.mark.parametrize("language", ["zh_CN", "zh_TW"])
@pytest.mark.parametrize("short", SPELLED_OUT)
def test_chinese_writes_out_mtta_and_mttr_as_the_glossary_does(language: str, short: str) -> None:
    pairs = translations(language)
    assert [text for _, text in pairs if short in text] == []
    assert dict(pairs)[short] == SPELLED_OUT[short][language]  # the History screen's word
