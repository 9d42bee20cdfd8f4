"""Why a station's journal cannot be opened: every sentence once, with named fields.

The journal raises these in English (the station's log stays in one language);
``andon station`` and the other commands that open a journal find the template
again and write it in the terminal's language.
"""

from __future__ import annotations

from andon.i18n.markers import N_, registered

NO_JOURNAL = N_("journal {path} does not exist")
CANNOT_READ = N_("cannot read journal {path}: {error}")
OWNER = N_("journal {path} belongs to station {owner}")
OTHER_OWNER = N_("journal {path} belongs to station {owner}, not {expected}")
A_DIRECTORY = N_("journal {path} is a directory")
CANNOT_OPEN = N_("cannot open journal {path}: {error}")
NOT_A_JOURNAL = N_("{path} is an SQLite file but not an andon journal")
NO_WAL = N_("journal {path}: cannot use WAL mode (got {mode})")
OTHER_FORMAT = N_("{path} is not an andon journal of format {expected} (found {found})")

TEMPLATES: tuple[str, ...] = registered(globals())
"""Every sentence above, the most specific first."""
