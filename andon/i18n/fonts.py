"""Fonts and the ``lang`` of pages andon writes: CJK-capable, from the viewer's own system.

No page loads a font from the internet (a plant network blocks font CDNs). The
stack names the fonts Linux (Debian ``fonts-noto-cjk``, ``fonts-wqy-microhei``),
Windows and macOS install, the language's own script first (Traditional Chinese
glyphs differ from Simplified ones), then the generic family.
"""

from __future__ import annotations

from andon.i18n.catalog import normalise_language

_LATIN = ['"Noto Sans"', '"DejaVu Sans"', '"Segoe UI"', "Roboto", "Arial"]
_SIMPLIFIED = [
    '"Noto Sans CJK SC"',
    '"Source Han Sans SC"',
    '"WenQuanYi Micro Hei"',
    '"Microsoft YaHei"',
    '"PingFang SC"',
]
_TRADITIONAL = [
    '"Noto Sans CJK TC"',
    '"Source Han Sans TC"',
    '"Microsoft JhengHei"',
    '"PingFang TC"',
]


def font_stack(language: str = "en", *, mono: bool = False) -> str:
    """A CSS ``font-family`` for ``language``: its script's fonts first, CJK always covered."""
    code = normalise_language(language)
    cjk = _TRADITIONAL + _SIMPLIFIED if code == "zh_TW" else _SIMPLIFIED + _TRADITIONAL
    if mono:
        latin = ['"DejaVu Sans Mono"', '"Noto Sans Mono"', "Consolas", "Menlo"]
        cjk = ['"Noto Sans Mono CJK SC"', '"Noto Sans Mono CJK TC"', *cjk]
        return ", ".join([*latin, *cjk, "monospace"])
    return ", ".join([*_LATIN, *cjk, "sans-serif"])


FONT_STACK = font_stack()
"""The stack for a page whose language is not known when its style is written."""


def html_lang(language: str) -> str:
    """The BCP 47 tag of a language for ``<html lang>``: ``zh_CN`` → ``zh-Hans-CN``."""
    code = normalise_language(language)
    return {"zh_CN": "zh-Hans-CN", "zh_TW": "zh-Hant-TW"}.get(code, code.replace("_", "-"))
