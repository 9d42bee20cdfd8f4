"""A device's problem or recovery in the reader's language.

The hardware layer writes these sentences in English (:mod:`hal.problems`); a
station's health carries them on the bus as they were written. :func:`shown`
finds the template and writes its translation with the same fields; the problem
inside "…; retrying every … s" is translated too. A text no template wrote (a
device's own words) is shown as sent.
"""

from __future__ import annotations

from andon.i18n.catalog import Translator
from andon.i18n.sentences import find, translated
from hal.problems import RETRYING, TEMPLATES


def shown(text: str, tr: Translator) -> str:
    """``text`` as ``tr``'s reader reads it."""
    if find(text, (RETRYING,)) is not None:  # before a problem's own fields swallow it
        return translated(text, (RETRYING,), tr, {"problem": lambda inner, tr: shown(inner, tr)})
    return translated(text, TEMPLATES, tr)
