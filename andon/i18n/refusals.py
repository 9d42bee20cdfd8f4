"""A station's refusal in the reader's language.

Stations send their refusals in English (the reply's ``reason``); each sentence
comes from a template of :mod:`andon.domain.refusals`, marked for the catalogs.
:func:`shown` writes its translation with the same fields (call types and call
states in them translated too); a text that no template wrote (a technical
error) is shown as sent.
"""

from __future__ import annotations

from andon.domain.refusals import TEMPLATES
from andon.i18n.catalog import Translator
from andon.i18n.sentences import find, translated
from andon.i18n.vocabulary import CALL_STATUS_WORDS, CALL_TYPE_WORDS, word

_FIELDS = {
    "call_type": lambda value, tr: word(CALL_TYPE_WORDS, value, tr),
    "status": lambda value, tr: word(CALL_STATUS_WORDS, value, tr),
}
"""Fields whose values are andon's own words (``help``, ``resolved``), shown translated."""


def explain(reason: str) -> tuple[str, dict[str, str]] | None:
    """The refusal template and fields ``reason`` was written from, or None."""
    return find(reason, TEMPLATES)


def shown(reason: str, tr: Translator) -> str:
    """``reason`` as ``tr``'s reader reads it."""
    return translated(reason, TEMPLATES, tr, _FIELDS)
