"""Keeping the catalogs in step with the code: extract, update, compile, check (Babel)."""

from __future__ import annotations

import io
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from babel import Locale, UnknownLocaleError
from babel.messages.catalog import Catalog, Message
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

from andon.i18n.catalog import DOMAIN, LOCALES

SOURCE_ROOT = LOCALES.parents[2]
"""The checkout (or installed tree) holding ``andon/`` and ``hal/``."""
TEMPLATE = LOCALES.parent / f"{DOMAIN}.pot"
KEYWORDS = {
    "N_": None,
    "NC_": ((1, "c"), 2),
    "_": None,
    "gettext": None,
    "ngettext": (1, 2),
    "pgettext": ((1, "c"), 2),
}
METHODS = [("andon/**.py", "python"), ("hal/**.py", "python")]
WIDTH = 100
HEADER = {
    "project": "andon",
    "copyright_holder": "the andon contributors",
    "msgid_bugs_address": "",
    "fuzzy": False,
}


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a language's catalog."""

    language: str
    message: str
    what: str

    def __str__(self) -> str:
        return f"{self.language}: {self.message!r}: {self.what}"


def extract(root: Path = SOURCE_ROOT) -> Catalog:
    """Every text marked for translation in ``andon/`` and ``hal/``, with where it stands."""
    template = Catalog(domain=DOMAIN, **HEADER)
    for filename, lineno, message, comments, context in extract_from_dir(
        root, method_map=METHODS, keywords=KEYWORDS, comment_tags=("Translators:",)
    ):
        if filename.startswith("andon/i18n/maintain"):
            continue
        template.add(
            message, locations=[(filename, lineno)], context=context, auto_comments=comments
        )
    return template


def po_path(language: str) -> Path:
    return LOCALES / language / "LC_MESSAGES" / f"{DOMAIN}.po"


def read_catalog(language: str) -> Catalog:
    with po_path(language).open("rb") as stream:
        return read_po(stream, locale=language, domain=DOMAIN)


def _write(catalog: Catalog, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    buffer = io.BytesIO()
    write_po(buffer, catalog, width=WIDTH, omit_header=False, sort_output=True)
    path.write_bytes(buffer.getvalue())


def write_template(template: Catalog) -> None:
    """Write the template (``andon.pot``) translators start from."""
    _write(template, TEMPLATE)


def update(language: str, template: Catalog) -> Catalog:
    """Bring one language's catalog in line with the template (new texts empty, old ones gone)."""
    path = po_path(language)
    if path.exists():
        catalog = read_catalog(language)
    else:
        catalog = Catalog(locale=language, domain=DOMAIN, **HEADER)
    catalog.update(template, no_fuzzy_matching=True)
    catalog.obsolete.clear()
    _write(catalog, path)
    return catalog


def compiled(language: str) -> bytes:
    """The ``.mo`` file of a language's catalog, as :func:`compile_catalog` writes it."""
    buffer = io.BytesIO()
    write_mo(buffer, read_catalog(language), use_fuzzy=False)
    return buffer.getvalue()


def compile_catalog(language: str) -> Path:
    """Compile a language's ``.po`` into the ``.mo`` andon loads at run time."""
    target = po_path(language).with_suffix(".mo")
    target.write_bytes(compiled(language))
    return target


def problems(language: str, template: Catalog) -> Iterator[Problem]:
    """What keeps a language from being complete: missing, empty or fuzzy texts, lost fields."""
    try:
        Locale.parse(language)
    except (ValueError, UnknownLocaleError):
        yield Problem(language, "-", "Babel has no locale data for this code (numbers, dates)")
    catalog = read_catalog(language)
    for message in template:
        if not message.id:
            continue
        found = catalog.get(message.id, context=message.context)
        if found is None:
            yield Problem(language, str(message.id), "not in the catalog")
        elif not found.string:
            yield Problem(language, str(message.id), "not translated")
        elif found.fuzzy:
            yield Problem(language, str(message.id), "marked fuzzy (to be checked)")
        elif not fields_kept(message, found):
            yield Problem(language, str(message.id), "its {fields} differ from the English")
    mo = po_path(language).with_suffix(".mo")
    if not mo.exists() or mo.read_bytes() != compiled(language):
        yield Problem(language, "-", "the compiled catalog is older than the .po: compile it")


def fields_kept(english: Message, translated: Message) -> bool:
    """True when every translated form keeps the ``{fields}`` of the English it translates."""
    return all(fields(form) == fields(source) for form, source in _forms(english, translated))


def _forms(english: Message, translated: Message) -> list[tuple[str, str]]:
    """Each translated form with the English it must keep the fields of: a plural text has
    as many forms as the language has plurals (Chinese one, German two), each compared
    with the English plural."""
    if isinstance(english.id, str):
        return [(str(translated.string), english.id)]
    forms = (
        translated.string if isinstance(translated.string, tuple | list) else (translated.string,)
    )
    return [(str(form), str(english.id[-1])) for form in forms]


def fields(text: str) -> list[str]:
    """The ``{name}`` fields of a text, in order of name (translations may reorder them)."""
    import string

    return sorted(name for _, name, _, _ in string.Formatter().parse(text) if name is not None)
