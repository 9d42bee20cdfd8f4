"""A station's refusal in the reader's language.

Stations send their refusals in English (the reply's ``reason``); each sentence
comes from a template of :mod:`andon.domain.refusals`, marked for the catalogs.
:func:`shown` finds the template again and writes its translation with the same
fields; a text that no template wrote (a technical error) is shown as sent.
"""

from __future__ import annotations

from andon.domain.refusals import explain
from andon.i18n.catalog import Translator
from andon.i18n.vocabulary import CALL_STATUS_WORDS, CALL_TYPE_WORDS, word

_FIELD_WORDS = {"call_type": CALL_TYPE_WORDS, "status": CALL_STATUS_WORDS}
"""Fields whose values are andon's own words (``help``, ``resolved``), shown translated."""


def shown(reason: str, tr: Translator) -> str:
    """``reason`` as ``tr``'s reader reads it."""
    found = explain(reason)
    if found is None:
        return reason
    template, fields = found
    for name, table in _FIELD_WORDS.items():
        if name in fields:
            fields[name] = word(table, fields[name], tr)
    return tr.gettext(template).format(**fields)
