"""What a terminal command writes, in the language of the person at the terminal.

Only light modules are imported here: every command module imports this one when
``andon`` starts.

Commands typed by a plant engineer follow the terminal's language as gettext
programs do (``LANGUAGE``, ``LC_ALL``, ``LC_MESSAGES``, ``LANG``; English for
``C`` or a language andon does not ship). Every text is a whole sentence with
named fields, marked for the catalogs where it is defined; a sentence another
part of andon raised in English (a configuration error, a report that cannot be
made) is found again from its template and written in the reader's language.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from andon.i18n.catalog import Translator, translator
from andon.i18n.markers import N_

if TYPE_CHECKING:
    from andon.config.errors import ConfigError, ConfigIssue

ERROR = N_("error: {error}")
OPTION = N_("{option}: {error}")
"""A command-line option the command cannot use, and why."""
CONFIG_ERROR = N_("{file}: {count} configuration error")
CONFIG_ERRORS = N_("{file}: {count} configuration errors")


def terminal() -> Translator:
    """The translator of the person at the terminal (read from the environment each time)."""
    from andon.config.messages import terminal_language

    return translator(terminal_language())


def say(message: str, tr: Translator | None = None, **fields: object) -> str:
    """``message`` in the terminal's language (or ``tr``'s), its fields filled in."""
    return (tr or terminal()).gettext(message).format(**fields)


def shown(text: str, templates: Iterable[str], tr: Translator | None = None) -> str:
    """``text`` in the terminal's language when one of ``templates`` wrote it, else as it is."""
    from andon.i18n.sentences import translated

    return translated(text, templates, tr or terminal())


def language(error: object, tr: Translator | None = None) -> str:
    """``--language: …``: a language code andon does not ship, in the reader's language."""
    from andon.i18n.catalog import TEMPLATES

    return say(OPTION, tr, option="--language", error=shown(str(error), TEMPLATES, tr))


def hardware(error: object, tr: Translator | None = None) -> str:
    """What the hardware layer said (an error of :mod:`hal.errors`, a device's problem of
    :mod:`hal.problems`) in the reader's language; another text as it is."""
    from andon.i18n.device_problems import shown as device

    return device(str(error), tr or terminal())


def broker(error: object, tr: Translator | None = None) -> str:
    """A broker setting, password file (:mod:`andon.bus.credentials`) or ``HOST:PORT``
    (:mod:`andon.bus.settings`) that cannot be used in the reader's language; another text
    as it is."""
    from andon.bus.credentials import TEMPLATES
    from andon.bus.settings import TEMPLATES as ADDRESS
    from andon.i18n.markers import most_specific_first

    return shown(str(error), most_specific_first((*TEMPLATES, *ADDRESS)), tr)


def with_hardware(error: object, templates: Iterable[str], tr: Translator | None = None) -> str:
    """``error`` in the reader's language when one of ``templates`` or the hardware layer
    (:func:`hardware`) wrote it, the most specific template first; another text as it is."""
    from andon.i18n.device_problems import TEMPLATES as HARDWARE
    from andon.i18n.markers import most_specific_first
    from andon.i18n.sentences import find

    tr = tr or terminal()
    others = most_specific_first(templates)
    found = find(str(error), most_specific_first((*others, *HARDWARE)))
    if found is not None and found[0] in others:
        return shown(str(error), others, tr)
    return hardware(error, tr)


def starting(error: object, tr: Translator | None = None) -> str:
    """Why a device cannot start: a hardware error or device problem (:func:`hardware`), a
    broker setting, password or TLS file (:mod:`andon.bus.credentials`), ``--broker``
    address (:mod:`andon.bus.settings`) or journal (:mod:`andon.journal.errors`) that
    cannot be used, in the reader's language; another text as it is."""
    from andon.bus.credentials import TEMPLATES as BROKER
    from andon.bus.settings import TEMPLATES as ADDRESS
    from andon.journal.errors import TEMPLATES as JOURNAL

    return with_hardware(error, (*BROKER, *ADDRESS, *JOURNAL), tr)


def provision(error: object, tr: Translator | None = None) -> str:
    """A provisioning error (:mod:`andon.provision.errors`) in the reader's language, the
    configuration problems it lists each in it too; another text as it is."""
    from andon.config.errors import ConfigIssue
    from andon.i18n.sentences import translated
    from andon.provision.errors import TEMPLATES, ProvisionError, lines

    tr = tr or terminal()
    if not isinstance(error, ProvisionError) or not error.template:
        # a program's error inside a sentence: a broker setting's is one of andon's too
        return translated(str(error), TEMPLATES, tr, {"error": broker})
    found = [
        issue(p, tr) if isinstance(p, ConfigIssue) else shown(str(p), TEMPLATES, tr)
        for p in error.problems
    ]
    return say(error.template, tr, problems=lines(found))


def issue(problem: ConfigIssue, tr: Translator | None = None) -> str:
    """A configuration problem as ``file: key: message``, the message in the reader's language."""
    from andon.config.messages import shown_issue

    return shown_issue(problem, (tr or terminal()).language)


def failed(error: object, templates: Iterable[str] = (), tr: Translator | None = None) -> str:
    """``error: ...``, the error's sentence in the reader's language when a template wrote it."""
    return say(ERROR, tr, error=shown(str(error), templates, tr))


def config_error(error: ConfigError, tr: Translator | None = None) -> str:
    """A file's configuration errors as :class:`~andon.config.errors.ConfigError` lists them,
    in the reader's language."""
    tr = tr or terminal()
    count = len(error.errors)
    head = say(CONFIG_ERROR if count == 1 else CONFIG_ERRORS, tr, file=error.file, count=count)
    return "\n".join([head, *(f"  {issue(problem, tr)}" for problem in error.errors)])
