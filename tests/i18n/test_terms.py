"""The catalogs keep the Chinese punctuation of docs/i18n.md."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from andon.i18n import maintain

LOCALES = Path(maintain.__file__).resolve().parent / "locales"
CJK = re.compile(r"[\u4e00-\u9fff]")


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


@pytest.mark.parametrize("language", ["zh_CN", "zh_TW"])
def test_chinese_texts_use_full_width_colons(language: str) -> None:
    ascii_colons = [text for _, text in translations(language) if CJK.search(text) and ": " in text]
    assert ascii_colons == []
