"""argparse's own words (``usage:``, ``error:``, a missing or unknown argument) in the
terminal's language.

argparse looks its texts up with :func:`gettext.gettext`, in the program's default
gettext domain (the Python documentation's "How to translate the argparse output").
:func:`speak` makes andon's catalogs that domain; the texts are marked here so that
every shipped catalog holds them. They keep argparse's ``%(name)s`` fields.
"""

from __future__ import annotations

import gettext

from andon.i18n.catalog import DOMAIN, LOCALES
from andon.i18n.markers import N_

WORDS = (
    N_("usage: "),
    N_("%(prog)s: error: %(message)s\n"),
    N_("argument %(argument_name)s: %(message)s"),
    N_("positional arguments"),
    N_("%(heading)s:"),
    N_("options"),
    N_("show this help message and exit"),
    N_("unrecognized arguments: %s"),
    N_("the following arguments are required: %s"),
    N_("one of the arguments %s is required"),
    N_("not allowed with argument %s"),
    N_("ignored explicit argument %r"),
    N_("expected one argument"),
    N_("expected at most one argument"),
    N_("expected at least one argument"),
    N_("ambiguous option: %(option)s could match %(matches)s"),
    N_("unexpected option string: %s"),
    N_("invalid %(type)s value: %(value)r"),
    N_("invalid choice: %(value)r (choose from %(choices)s)"),
    N_("unknown parser %(parser_name)r (choices: %(choices)s)"),
    N_("can't open '%(filename)s': %(error)s"),
)
"""The texts of argparse a person at the terminal reads (not its errors of a program)."""


def speak() -> None:
    """Let argparse find its texts in andon's catalogs, in the terminal's language (gettext
    reads ``LANGUAGE``, ``LC_ALL``, ``LC_MESSAGES``, ``LANG`` each time; English without one
    andon ships)."""
    gettext.bindtextdomain(DOMAIN, str(LOCALES))
    gettext.textdomain(DOMAIN)
