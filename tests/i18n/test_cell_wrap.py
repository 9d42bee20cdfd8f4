"""A table cell wrapped in terminal cells: between words and CJK glyphs, a name's short
last word with the word before it, a word cut only when it alone is wider than a line."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from andon.i18n.width import cells, line_spans, widest_word


def lines(text: str, width: int) -> list[str]:
    return [text[start:end] for start, end in line_spans(text, width)]


@pytest.mark.parametrize(
    ("text", "width", "expected"),
    [
        ("PCB line B", 8, ["PCB", "line B"]),
        ("Montagelinie A", 14, ["Montagelinie A"]),
        ("Kabelbaumlinie C", 14, ["Kabelbaumlinie", "C"]),  # together they do not fit
        ("电路板线 B", 8, ["电路板", "线 B"]),
        ("线束线 C", 6, ["线束", "线 C"]),
        ("Hinge, front left", 9, ["Hinge,", "front", "left"]),
        ("设备故障，缺少原因", 8, ["设备故", "障，缺少", "原因"]),  # never a line starting with ，
    ],
)
def test_a_cell_breaks_between_words(text: str, width: int, expected: list[str]) -> None:
    assert lines(text, width) == expected


def test_the_widest_word_counts_a_names_letter_with_it() -> None:
    assert widest_word("Kabelbaumlinie C") == 16
    assert widest_word("电路板线 B") == 4
    assert widest_word("M6 hex bolt") == 4


@given(st.text(alphabet="ab 线束,，C1", max_size=30), st.integers(min_value=2, max_value=12))
def test_no_line_is_wider_than_its_width_and_nothing_is_lost(text: str, width: int) -> None:
    found = lines(text, width)
    assert all(cells(line) <= width for line in found)
    assert all(line == line.strip() for line in found)  # the spaces at a break are dropped
    assert "".join("".join(line.split()) for line in found) == "".join(text.split())
