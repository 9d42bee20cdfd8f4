"""Loading the compiled catalogs and choosing a language."""

from __future__ import annotations

import gettext
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from andon.i18n.markers import N_, InContext, registered

DOMAIN = "andon"
LOCALES = Path(__file__).resolve().parent / "locales"
DEFAULT_LANGUAGE = "en"

NOT_SHIPPED = N_("{code} is not a shipped language (shipped: {shipped})")
NO_CODE = N_("expected a language code such as {shipped}")
TEMPLATES: tuple[str, ...] = registered(globals(), leave_out=("DOMAIN", "DEFAULT_LANGUAGE"))
"""Why a language code is refused: raised in English, written in the reader's language."""


class UnknownLanguage(ValueError):
    """A language that andon does not ship."""


def shipped_languages() -> tuple[str, ...]:
    """The languages andon ships: English and every folder in ``locales/`` with a catalog."""
    found = sorted(path.parent.parent.name for path in LOCALES.glob(f"*/LC_MESSAGES/{DOMAIN}.po"))
    return tuple(dict.fromkeys([DEFAULT_LANGUAGE, *found]))


def normalise_language(code: str) -> str:
    """A configured language code as the catalogs spell it: ``zh-cn`` → ``zh_CN``.

    Raises :class:`UnknownLanguage` naming the shipped languages when none fits.
    """
    parts = code.strip().replace("-", "_").split("_")
    if not parts[0]:
        raise UnknownLanguage(NO_CODE.format(shipped=", ".join(shipped_languages())))
    language = parts[0].lower()
    candidates = [language]
    if len(parts) > 1:
        candidates.insert(0, f"{language}_{parts[1].upper()}")
    shipped = shipped_languages()
    for candidate in candidates:
        if candidate in shipped:
            return candidate
    raise UnknownLanguage(NOT_SHIPPED.format(code=repr(code), shipped=", ".join(shipped)))


@dataclass(frozen=True)
class Translator:
    """The texts of one language; English where a text has no translation."""

    language: str
    _catalog: gettext.NullTranslations

    def gettext(self, message: str) -> str:
        """``message`` in this language (a text marked with ``NC_`` under its context)."""
        if isinstance(message, InContext):
            return self._catalog.pgettext(message.context, message)
        return self._catalog.gettext(message)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        """The singular or plural form for ``n``, in this language."""
        return self._catalog.ngettext(singular, plural, n)

    def pgettext(self, context: str, message: str) -> str:
        """``message`` in this language, told apart from the same English word by ``context``."""
        return self._catalog.pgettext(context, message)

    @property
    def locale(self) -> str:
        """The Babel locale of this language (``zh_CN``, ``de``, ``en``)."""
        return self.language


@cache
def translator(language: str = DEFAULT_LANGUAGE) -> Translator:
    """The translator of ``language`` (any spelling :func:`normalise_language` takes)."""
    code = normalise_language(language)
    if code == DEFAULT_LANGUAGE:
        return Translator(code, gettext.NullTranslations())
    catalog = gettext.translation(DOMAIN, localedir=LOCALES, languages=[code])
    return Translator(code, catalog)
