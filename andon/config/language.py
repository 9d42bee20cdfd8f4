"""The ``language`` keys: which shipped catalog a plant, board or person reads."""

from __future__ import annotations

from typing import Annotated

from pydantic import AfterValidator
from pydantic_core import PydanticCustomError

from andon.config import wording as W
from andon.config.errors import describe_value
from andon.config.fields import Text
from andon.i18n.catalog import UnknownLanguage, normalise_language, shipped_languages, translator


def _check_language(value: str) -> str:
    try:
        return normalise_language(value)
    except UnknownLanguage:
        raise PydanticCustomError(
            "language",
            W.LANGUAGE.format(shipped=", ".join(shipped_languages()), got=describe_value(value)),
        ) from None


Language = Annotated[str, AfterValidator(_check_language)]
"""A shipped language code, stored as the catalogs spell it (``zh-cn`` → ``zh_CN``)."""

Translations = dict[Language, Text]
"""A name from the configuration in other languages, e.g. ``{ zh_CN = "刀具破损" }``."""


def in_language(default: str, translations: Translations, language: str) -> str:
    """``default`` in ``language``: the configuration's own translation when it gives one,
    else the catalog's when ``default`` is one of andon's own words (``"Help"``,
    ``"Changeover"``), else ``default`` as written."""
    code = normalise_language(language)
    if code in translations:
        return translations[code]
    return translator(code).gettext(default) if default else default
