"""What the hardware layer says, in the reader's language.

The hardware layer writes its sentences in English: a device's problem or recovery
(:mod:`hal.problems`, a station's health carries it on the bus as it was written)
and the errors it raises when a device cannot be built, opened or driven
(:mod:`hal.errors`). :func:`shown` finds the template and writes its translation
with the same fields; an error inside a sentence ("cannot build the station's
devices: …", "…; retrying every … s") is translated too when the hardware layer
wrote it. A text no template wrote (a device's or the operating system's own
words) is shown as sent.
"""

from __future__ import annotations

from collections.abc import Mapping

from andon.i18n.catalog import Translator
from andon.i18n.markers import N_, most_specific_first
from andon.i18n.sentences import FieldWords, find, translated
from hal.errors import TEMPLATES as ERRORS
from hal.problems import RETRYING
from hal.problems import TEMPLATES as PROBLEMS

TEMPLATES: tuple[str, ...] = most_specific_first((*ERRORS, *PROBLEMS))
"""Every sentence of the hardware layer, the most specific first."""

_INNER: FieldWords = {
    "problem": lambda inner, tr: shown(inner, tr),
    "error": lambda inner, tr: shown(inner, tr),
}
"""Fields that may hold another sentence of the hardware layer."""


def shown(text: str, tr: Translator) -> str:
    """``text`` as ``tr``'s reader reads it."""
    if find(text, (RETRYING,)) is not None:  # before a problem's own fields swallow it
        return translated(text, (RETRYING,), tr, _INNER)
    return translated(text, TEMPLATES, tr, _INNER)


DEVICE_PROBLEM = N_("{device}: {problem}")
"""One device's problem in a status's ``detail`` (the store's: one line per device)."""


def devices_detail(problems: Mapping[str, str]) -> str:
    """The ``detail`` of a status naming each device with a problem: one whole sentence a
    line, in English, the devices in name order; empty without a problem."""
    lines = (DEVICE_PROBLEM.format(device=d, problem=p) for d, p in sorted(problems.items()))
    return "\n".join(lines)


def shown_detail(detail: str, tr: Translator) -> str:
    """A :func:`devices_detail` as ``tr``'s reader reads it, line by line; another text
    (``stopped``, an older store's) as it is."""
    fields: FieldWords = {"problem": lambda problem, tr: shown(problem, tr)}
    return "\n".join(translated(line, (DEVICE_PROBLEM,), tr, fields) for line in detail.split("\n"))
