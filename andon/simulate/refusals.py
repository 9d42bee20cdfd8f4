"""Why a scripted command was not sent to its station: the simulation's own refusals.

A scenario step that names an open call or a stop the station does not have is
refused by the simulation before the station sees it; the report lists it with
the station's refusals and :func:`shown` writes either in the reader's language.
"""

from __future__ import annotations

from andon.i18n.catalog import Translator
from andon.i18n.markers import N_, registered
from andon.i18n.refusals import shown as station_refusal
from andon.i18n.sentences import translated
from andon.i18n.vocabulary import CALL_TYPE_WORDS, word

NO_OPEN_CALL = N_("no open {call_type} call at {station}")
NO_STOP = N_("no {stop} stop at {station} in this shift")

TEMPLATES: tuple[str, ...] = registered(globals())
"""Every sentence above, the most specific first."""

_FIELDS = {"call_type": lambda value, tr: word(CALL_TYPE_WORDS, value, tr)}


def shown(reason: str, tr: Translator) -> str:
    """A refused input's reason in ``tr``'s language: the simulation's or the station's."""
    said = translated(reason, TEMPLATES, tr, _FIELDS)
    return said if said != reason else station_refusal(reason, tr)
