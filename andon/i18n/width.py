"""Text in terminal cells: a CJK glyph takes two cells, and is never cut in half."""

from __future__ import annotations

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
