"""Configuration errors in the reader's language (``andon check-config`` and the loaders' CLIs).

An issue's message is kept in English (tests, logs and search engines know it);
the common sentences — a missing or unknown key, a wrong type, a number out of
range, a choice not offered — are templates marked for the catalogs, and
:func:`shown_issue` writes them in the language of the person at the terminal.
The sentences of particular checks (a shift crossing another, a pin used twice...)
are templates of :mod:`andon.config.wording`. A sentence no template wrote is
shown as written.
"""

from __future__ import annotations

import inspect
import os

from andon.config import errors, wording
from andon.i18n import DEFAULT_LANGUAGE, N_, translator
from andon.i18n.catalog import Translator, UnknownLanguage, normalise_language
from andon.i18n.formats import listing
from andon.i18n.markers import most_specific_first
from andon.i18n.sentences import translated

TEMPLATES: tuple[str, ...] = most_specific_first(
    (
        *wording.CHECKS,
        errors.UNKNOWN_KEY,
        errors.ONE_OF,
        errors.ARRAY_OF_TABLES,
        errors.DATE,
        errors.PATH,
        *errors.SIMPLE.values(),
    )
)
"""The sentences of configuration errors that the catalogs translate, the most specific
first (a sentence is found again by the first template that writes it)."""

WHERE = N_("line {line}, column {column}")
ISSUE_AT = N_("{file}: {where}: {message}")
"""One problem of a file, at a key path or a syntax error's place (Chinese: full-width colons)."""
ISSUE = N_("{file}: {message}")


def _choices(value: str, tr: Translator) -> str:
    """``"a", "b" or "c"`` (the choices pydantic lists in English) as ``tr``'s language lists
    alternatives: ``"a", "b" oder "c"``, ``"a"、"b"或"c"``."""
    if tr.language == DEFAULT_LANGUAGE or " or " not in value:
        return value
    head, last = value.rsplit(" or ", 1)
    return listing([*head.split(", "), last], tr.language, style="or")


def _listed(value: str, tr: Translator) -> str:
    """A list of names in a sentence, or the word for none."""
    return tr.gettext(wording.NONE) if value == wording.NONE else value


_FIELDS = {
    "got": lambda value, tr: translated(value, errors.VALUE_WORDS, tr),
    "expected": _choices,
    "bins": _listed,
    "scanners": _listed,
}


def terminal_language(environ: dict[str, str] | None = None) -> str:
    """The language of the person at the terminal, as gettext reads it from the environment
    (``LANGUAGE``, ``LC_ALL``, ``LC_MESSAGES``, ``LANG``); English when none is shipped."""
    env = os.environ if environ is None else environ
    for name in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        for code in env.get(name, "").split(":"):
            code = code.split(".", 1)[0].split("@", 1)[0]
            if not code or code in ("C", "POSIX"):
                continue
            try:
                return normalise_language(code)
            except UnknownLanguage:
                continue
    return DEFAULT_LANGUAGE


def shown_issue(issue: errors.ConfigIssue, language: str) -> str:
    """``file: key: message`` with the message (and a syntax error's place) in ``language``."""
    tr = translator(language)
    message = translated(issue.message, TEMPLATES, tr, _FIELDS)
    if issue.line is not None:
        where = tr.gettext(WHERE).format(line=issue.line, column=issue.column)
    else:
        where = issue.key_path
    if where:
        return tr.gettext(ISSUE_AT).format(file=issue.file, where=where, message=message)
    return tr.gettext(ISSUE).format(file=issue.file, message=message)


def summary_in(loaded: object, tr: Translator) -> str:
    """A loaded file's summary in ``tr``'s language; a kind of file whose summary takes no
    translator (the web file's) gives it in English."""
    summary = loaded.summary
    if "tr" in inspect.signature(summary).parameters:
        return str(summary(tr))
    return str(summary())
