"""The page textual-serve gives browsers for ``andon board --serve``: nothing from the internet.

textual-serve's own page links a font from a public CDN, which a plant network
blocks (and which tells the internet who looks at the board). andon ships a
copy of that page without the link, declares the board's language in
``<html lang>`` and lists a CJK-capable font stack of fonts the viewer's system
has; :func:`page_templates` writes it for one board into a folder handed to
textual-serve's public ``templates_path`` option.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from andon.i18n.fonts import font_stack, html_lang

TEMPLATE = Path(__file__).resolve().parent / "app_index.html"


def page_text(language: str) -> str:
    """The page template for a board speaking ``language``."""
    text = TEMPLATE.read_text(encoding="utf-8")
    return text.replace("__ANDON_LANG__", html_lang(language)).replace(
        "__ANDON_FONTS__", font_stack(language, mono=True)
    )


def page_templates(language: str) -> Path:
    """A fresh folder holding ``app_index.html`` for ``language`` (removed at exit by the OS)."""
    folder = Path(tempfile.mkdtemp(prefix="andon-serve-page-"))
    (folder / "app_index.html").write_text(page_text(language), encoding="utf-8")
    return folder
