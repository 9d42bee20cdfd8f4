"""The plant's own language: message catalogs (gettext, managed with Babel) and locale formats.

Every word a user reads goes through :func:`translator`; numbers, percentages, times
and durations through :mod:`andon.i18n.formats`. Catalogs live in ``locales/<lang>``
and ship compiled in the wheel; English is the fallback.
"""

from andon.i18n.catalog import (
    DEFAULT_LANGUAGE,
    Translator,
    normalise_language,
    shipped_languages,
    translator,
)
from andon.i18n.markers import N_, NC_

__all__ = [
    "DEFAULT_LANGUAGE",
    "NC_",
    "N_",
    "Translator",
    "normalise_language",
    "shipped_languages",
    "translator",
]
