"""Markers for texts that are translated later, where they are shown."""

from __future__ import annotations


def N_(message: str) -> str:
    """Mark ``message`` for extraction into the catalogs; return it unchanged.

    Used for texts defined at import time (status words, labels in tables) and
    translated when shown, with :meth:`andon.i18n.Translator.gettext`.
    """
    return message
