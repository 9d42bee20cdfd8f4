"""Text in terminal cells: a CJK glyph takes two cells, and is never cut in half."""

from __future__ import annotations

import re

from rich.cells import cell_len

ELLIPSIS = "…"


def cells(text: str) -> int:
    """How many terminal cells ``text`` takes (``设备`` takes 4, ``OEE`` 3)."""
    return cell_len(text)


def fit(text: str, width: int) -> str:
    """``text`` cut to at most ``width`` cells, with ``…`` when cut; never half a glyph."""
    if width <= 0:
        return ""
    if cell_len(text) <= width:
        return text
    room = width - cell_len(ELLIPSIS)
    kept: list[str] = []
    used = 0
    for char in text:
        size = cell_len(char)
        if used + size > room:
            break
        kept.append(char)
        used += size
    return "".join(kept) + ELLIPSIS


def pad(text: str, width: int, *, right: bool = False) -> str:
    """``text`` fitted to ``width`` cells and padded with spaces to exactly ``width``."""
    fitted = fit(text, width)
    gap = " " * (width - cell_len(fitted))
    return gap + fitted if right else fitted + gap


OPENING = "（《「『【〈“‘([{"
"""A line never ends with one of these (it belongs to the text after it)."""
CLOSING = "，。、；：！？）》」』】〉”’…,.;:!?)]}%"
"""A line never starts with one of these (it belongs to the text before it)."""


def _units(text: str) -> list[tuple[str, bool]]:
    """``text`` in the pieces a line may break between, each with whether a space came
    before it: a word of narrow characters, or one wide glyph (CJK is written without
    spaces and breaks between any two glyphs), punctuation kept with its neighbour."""
    units: list[tuple[str, bool]] = []
    spaced = False
    glue_next = False
    for word in re.findall(r"\s+|[^\s]", text):
        if word.isspace():
            spaced, glue_next = True, False
            continue
        joins = bool(units) and not spaced and (glue_next or word in CLOSING)
        narrow_run = bool(units) and not spaced and cell_len(word) == 1
        if joins or (narrow_run and cell_len(units[-1][0][-1]) == 1):
            text_, before = units[-1]
            units[-1] = (text_ + word, before)
        else:
            units.append((word, spaced and bool(units)))
        spaced = False
        glue_next = word in OPENING
    return units


def wrap(text: str, width: int) -> list[str]:
    """``text`` in lines of at most ``width`` cells, broken at spaces and between CJK
    glyphs, never before a closing or after an opening punctuation mark; runs of white
    space become one space. A word longer than a line is cut between glyphs."""
    lines: list[str] = []
    line = ""
    for unit, spaced in _units(text):
        joined = f"{line} {unit}" if line and spaced else line + unit
        if not line or cell_len(joined) <= width:
            line = joined
        else:
            lines.append(line)
            line = unit
        while cell_len(line) > width > 0:
            head = _head(line, width)
            lines.append(head)
            line = line[len(head) :]
    if line:
        lines.append(line)
    return lines


def _head(text: str, width: int) -> str:
    """The longest start of ``text`` that fits in ``width`` cells (at least one glyph)."""
    used = 0
    for index, char in enumerate(text):
        used += cell_len(char)
        if used > width:
            return text[: max(index, 1)]
    return text


SHORT_TAIL = re.compile(r"[0-9A-Za-z]{1,2}")
"""A name's last word that belongs to the one before it: a line's letter or number (``B``)."""


def _spans(text: str) -> list[tuple[int, int]]:
    """The pieces of ``text`` a line may break between, as (start, end): a word of narrow
    characters, or one wide glyph, punctuation kept with its neighbour."""
    spans: list[tuple[int, int]] = []
    spaced = glue_next = False
    for index, char in enumerate(text):
        if char.isspace():
            spaced, glue_next = True, False
            continue
        joins = bool(spans) and not spaced and (glue_next or char in CLOSING)
        narrow_run = bool(spans) and not spaced and cell_len(char) == 1
        if joins or (narrow_run and cell_len(text[spans[-1][1] - 1]) == 1):
            spans[-1] = (spans[-1][0], index + 1)
        else:
            spans.append((index, index + 1))
        spaced = False
        glue_next = char in OPENING
    return spans


def _glued(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """``spans`` with a short last word after a space (:data:`SHORT_TAIL`) joined to the
    piece before it (``Montagelinie A``, ``线 B``)."""
    if len(spans) < 2 or not SHORT_TAIL.fullmatch(text[slice(*spans[-1])]):
        return spans
    if spans[-2][1] == spans[-1][0]:  # no space before it: already one word
        return spans
    return [*spans[:-2], (spans[-2][0], spans[-1][1])]


def widest_word(text: str, *, glued: bool = True) -> int:
    """The cells of the widest piece of ``text`` a line cannot break inside, a name's short
    last word counted with the word before it (``Kabelbaumlinie C``, ``线 B``) unless not
    ``glued`` (``Kabelbaumlinie``)."""
    spans = _spans(text)
    spans = _glued(text, spans) if glued else spans
    return max((cell_len(text[start:end]) for start, end in spans), default=0)


def line_spans(text: str, width: int) -> list[tuple[int, int]]:
    """Where the lines of ``text`` (one line of a table's cell) begin and end when it is
    wrapped at ``width`` cells: at spaces and between CJK glyphs, a name's short last word
    kept with the word before it when the two fit (``电路板`` / ``线 B``), a word cut between
    glyphs only when it alone is wider than a line. The spaces at a break are dropped."""
    pieces = _spans(text)
    glued = _glued(text, pieces)
    if glued is not pieces and cell_len(text[slice(*glued[-1])]) <= width:
        pieces = glued
    lines: list[tuple[int, int]] = []
    for start, end in pieces:
        if lines and cell_len(text[lines[-1][0] : end]) <= width:
            lines[-1] = (lines[-1][0], end)
            continue
        lines.append((start, end))
        while cell_len(text[slice(*lines[-1])]) > width > 0:
            line_start, line_end = lines[-1]
            cut = line_start + len(_head(text[line_start:line_end], width))
            lines[-1:] = [(line_start, cut), (cut, line_end)]
    return lines
