"""Why a report or the history cannot be had, as whole sentences marked for the catalogs.

The historian raises these in English (logs and tests read them);
``andon report`` and ``andon historian`` write them in the terminal's language
(:func:`andon.cli.speech.shown`). Names, ids, times and URLs are kept as written.
"""

from __future__ import annotations

from andon.i18n.markers import N_, registered

NO_LINE = N_("there is no line {line} in plant {site} (its lines: {lines})")
NO_AREA = N_("there is no area {area} in plant {site} (its area: {known})")
NO_EVENTS_SITE_EMPTY = N_("no events of the site from {start} to {end}: the history is empty")
NO_EVENTS_SITE = N_(
    "no events of the site from {start} to {end}: the history holds events from {first} to {last}"
)
NO_EVENTS_LINE_EMPTY = N_("no events of line {id} from {start} to {end}: the history is empty")
NO_EVENTS_LINE = N_(
    "no events of line {id} from {start} to {end}: the history holds events from {first} to {last}"
)
NO_EVENTS_AREA_EMPTY = N_("no events of area {id} from {start} to {end}: the history is empty")
NO_EVENTS_AREA = N_(
    "no events of area {id} from {start} to {end}: the history holds events from {first} to {last}"
)
NO_SITE = N_("there is no site {site} (the sites: {sites})")
NO_LINE_IN_SITE = N_("there is no line {line} in site {site} (their areas: {areas})")
NO_LINE_ANYWHERE = N_("there is no line {line} in any site (their areas: {areas})")
NO_AREA_IN_SITE = N_("there is no area {area} in site {site} (their areas: {areas})")
NO_AREA_ANYWHERE = N_("there is no area {area} in any site (their areas: {areas})")
NO_EVENTS_SITES = N_("no events of the selected sites in the period: {periods}")
SITE_PERIOD = N_("{site} {start} to {end}")
NO_SHIFT_STARTED = N_("no shift of the calendar started in the week before {at}")
PERIOD_KIND = N_("expected one of {kinds}, got {got}")
SQLITE_FILE = N_("{url}: expected a file after sqlite:/// (sqlite:///history.sqlite)")
DATABASE_URL = N_("{url}: expected a database URL starting with sqlite:/// or postgresql://")
SCHEMA_NEWER = N_(
    "{url}: schema version {version} is newer than this andon (knows up to {latest}); upgrade andon"
)
CANNOT_OPEN = N_("{url}: cannot open the history database: {error}")
CANNOT_CONNECT = N_("{url}: cannot connect: {error}")
CANNOT_STORE = N_("{url}: cannot store events: {error}")
RETENTION_FAILED = N_("{url}: retention failed: {error}")

NO_EVENTS = {
    "site": (NO_EVENTS_SITE_EMPTY, NO_EVENTS_SITE),
    "line": (NO_EVENTS_LINE_EMPTY, NO_EVENTS_LINE),
    "area": (NO_EVENTS_AREA_EMPTY, NO_EVENTS_AREA),
}
"""A scope's kind → its sentence for an empty history and for one holding other times."""

TEMPLATES: tuple[str, ...] = registered(globals())
"""Every sentence above, found again by :func:`andon.cli.speech.shown`."""
