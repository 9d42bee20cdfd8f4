"""Why the alert queue cannot be used: every sentence once, with named fields.

The queue raises these in English (the notifier's log stays in one language);
``andon notify`` finds the template again and writes it in the terminal's language.
"""

from __future__ import annotations

from andon.i18n.markers import N_, registered

A_DIRECTORY = N_("alert queue {path} is a directory")
CANNOT_OPEN = N_("cannot open alert queue {path}: {error}")
NOT_A_QUEUE = N_("{path} is an SQLite file but not an andon alert queue")
OTHER_FORMAT = N_("{path} is an alert queue of format {found}, not {expected}")
FAILED = N_("alert queue {path}: {error}")
NO_FREE_CODE = N_("could not draw a free reply code; too many live alerts")

TEMPLATES: tuple[str, ...] = registered(globals())
"""Every sentence above, the most specific first."""


class QueueError(Exception):
    """The queue file cannot be used (unreadable, not a queue, disk full)."""
