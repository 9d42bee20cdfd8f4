"""Markers for texts that are translated later, where they are shown, and the registries
of sentences that are found again from their templates."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

_FIELD = re.compile(r"\{[^}]*\}")


def N_(message: str) -> str:
    """Mark ``message`` for extraction into the catalogs; return it unchanged.

    Used for texts defined at import time (status words, labels in tables) and
    translated when shown, with :meth:`andon.i18n.Translator.gettext`.
    """
    return message


class InContext(str):
    """An English text with a context that tells it apart from the same English word
    (``Quality`` the OEE factor, ``Quality`` the call type): it reads as the English text,
    and :meth:`andon.i18n.Translator.gettext` looks it up under its ``msgctxt``."""

    context: str

    def __new__(cls, context: str, message: str) -> InContext:
        text = super().__new__(cls, message)
        text.context = context
        return text

    def __getnewargs__(self) -> tuple[str, str]:  # type: ignore[override]
        return (self.context, str(self))


def NC_(context: str, message: str) -> InContext:
    """Mark ``message`` with its ``context`` (``msgctxt``) for extraction, like :func:`N_`;
    translated where shown, under that context."""
    return InContext(context, message)


def most_specific_first(templates: Iterable[str]) -> tuple[str, ...]:
    """``templates`` without repeats, the one with the most text outside its fields first,
    so that a sentence is found again by the template that wrote it (not by a shorter one
    whose fields could swallow its words)."""
    unique = dict.fromkeys(templates)
    return tuple(sorted(unique, key=lambda t: len(_FIELD.sub("", t)), reverse=True))


def registered(
    namespace: Mapping[str, object], *, leave_out: Iterable[str] = ()
) -> tuple[str, ...]:
    """The sentence templates a module defines: the text of each of its upper-case names
    (pass the module's ``globals()``) but ``leave_out``, the most specific first."""
    skipped = set(leave_out)
    return most_specific_first(
        value
        for name, value in namespace.items()
        if name.isupper() and isinstance(value, str) and name not in skipped
    )
