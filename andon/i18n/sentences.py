"""Sentences sent in English, shown in the reader's language.

Programs exchange and log some texts in English (a station's refusal on the
bus, a configuration error); each comes from a template with named fields,
marked for the catalogs. :func:`translated` finds the template a sentence was
written from and writes the template's translation with the same fields; a
sentence no template wrote is shown as it is.
"""

from __future__ import annotations

import re
import string
from collections.abc import Callable, Iterable, Mapping
from functools import cache

from andon.i18n.catalog import Translator


@cache
def _pattern(template: str) -> re.Pattern[str]:
    parts = []
    seen: set[str] = set()
    for literal, field, _spec, _conv in string.Formatter().parse(template):
        parts.append(re.escape(literal))
        if field is not None:  # a field named twice holds the same text both times
            parts.append(f"(?P={field})" if field in seen else f"(?P<{field}>.+?)")
            seen.add(field)
    return re.compile("".join(parts), re.DOTALL)


def find(text: str, templates: Iterable[str]) -> tuple[str, dict[str, str]] | None:
    """The template and fields ``text`` was written from, or None for another text."""
    for template in templates:
        found = _pattern(template).fullmatch(text)
        if found:
            return template, found.groupdict()
    return None


FieldWords = Mapping[str, Callable[[str, Translator], str]]
"""Field name → how its value is shown (values that are themselves andon's words)."""


def translated(
    text: str, templates: Iterable[str], tr: Translator, fields: FieldWords | None = None
) -> str:
    """``text`` in ``tr``'s language when a template wrote it, else ``text``."""
    found = find(text, templates)
    if found is None:
        return text
    template, values = found
    for name, show in (fields or {}).items():
        if name in values:
            values[name] = show(values[name], tr)
    return tr.gettext(template).format(**values)
