"""The words of the shop floor that every screen, alert and report shares.

Marked here once for the catalogs; shown through a :class:`~andon.i18n.Translator`.
The glossary in ``docs/i18n.md`` gives the seed documents' terms for each.
The board, the reports, the alerts and the web view all take their words from
here: ``word(CALL_TYPE_WORDS, "help", translator("zh_CN"))`` → ``帮助``;
``pace_word("too_fast", tr)``. Names the plant gives in its configuration
(call types, reasons, parts, roles) come with their own translations there
(``label_in(language)``, ``name_in(language)``).
"""

from __future__ import annotations

from collections.abc import Mapping

from andon.domain.calls import BIN_SENSOR, REASON_CARD, STATION_BUTTON, STATION_ITSELF
from andon.i18n.catalog import Translator
from andon.i18n.markers import N_, NC_

PACE_WORDS = {
    "normal": N_("NORMAL"),
    "too_fast": N_("TOO FAST"),
    "too_slow": N_("TOO SLOW"),
}
"""The judge's three states (seed 000: normal / too fast / too slow)."""

NOT_JUDGED = N_("NOT JUDGED")
NO_DATA = N_("NO DATA")
LINE_STOPPED = N_("LINE STOPPED")
ON_PLAN = N_("ON PLAN")

LINK_WORDS = {
    "ok": N_("ONLINE"),
    "unknown": NO_DATA,
    "stale": N_("STALE"),
    "offline": N_("OFFLINE"),
}
"""How fresh a station's data is on a board."""

CALL_STATUS_WORDS = {
    "raised": N_("RAISED"),
    "acknowledged": N_("TAKEN"),
    "resolved": N_("RESOLVED"),
    "cancelled": N_("CANCELLED"),
}
"""A call's life: raised → acknowledged (taken) → resolved, or cancelled."""

CALL_TYPE_WORDS = {
    "help": N_("Help"),
    "quality": N_("Quality"),
    "equipment": N_("Equipment"),
    "material": N_("Material"),
}
"""The built-in call types; a plant's own call types carry their names in the config."""

FIGURE_WORDS = {
    "plan": N_("Plan"),
    "actual": N_("Actual"),
    "difference": N_("Difference"),
    "variance": N_("Variance"),
    "achievement": N_("Plan achievement"),
    "takt": N_("Takt"),
    "availability": N_("Availability"),
    "performance": N_("Performance"),
    "quality": NC_("OEE factor", "Quality"),
    "oee": N_("OEE"),
    "downtime": N_("Downtime"),
    "minor_stops": N_("Minor stops"),
    "mtta": N_("Mean time to acknowledge"),
    "mttr": N_("Mean time to repair"),
    "cause": N_("Cause"),
    "unexplained": N_("Unexplained"),
}
"""The figures of the board, the reports and the alerts (docs/figures.md defines each).
``Quality`` here is the Q of OEE (good units ÷ all units: 良品率), told apart by its
context from the call type ``Quality`` (a quality call: 质量)."""

STOP_WORDS = {
    "line_stop": N_("Line stop"),
    "fixed_position_stop": N_("Fixed-position stop"),
    "no_count": N_("No count"),
    "fault": N_("Equipment fault"),
    "changeover": N_("Changeover"),
    "full_work": N_("Full-work stop"),
    "reason_missing": N_("Reason missing"),
    "call": N_("Fixed-position stop"),
}
"""Kinds of stop and loss (seed 002's loss tree, seed 004's full-work system)."""

STOP_SOURCE_WORDS = {
    "line_stop": N_("line stop"),
    "fault": N_("machine fault"),
    "no_count": N_("no count"),
    "changeover": N_("changeover"),
}
"""What stopped, as it stands in a list or a sentence: the stop lists and Pareto of the
board and the web view, the History screen and the reports (``docs/figures.md``)."""

REASON_MISSING = N_("{source}: reason missing")
"""The Pareto bar of the stops past the minor-stop threshold still without a reason, for a
source :data:`REASON_MISSING_WORDS` lacks."""

REASON_MISSING_WORDS = {
    "line_stop": N_("Line stop: reason missing"),
    "fault": N_("Machine fault: reason missing"),
    "no_count": N_("No count: reason missing"),
    "changeover": N_("Changeover: reason missing"),
}
"""The same bar of each known source, one whole text each: a row of the Pareto begins
with a capital like the reasons' rows beside it."""

MINOR_STOPS = N_("Minor stops")
"""The Pareto bar of the stops shorter than the minor-stop threshold (performance loss)."""

STOP_CLASS_WORDS = {
    "minor": N_("minor stop"),
    "downtime": N_("downtime"),
}
"""A stop shorter than the minor-stop threshold (performance loss) or longer (availability)."""

SCREEN_WORDS = {
    "overview": N_("Overview"),
    "line": N_("Line"),
    "station": N_("Station"),
    "calls": N_("Open calls"),
    "store": N_("Material calls"),
    "maintenance": N_("Maintenance"),
    "diagnostics": N_("Diagnostics"),
    "history": N_("History"),
    "hourly": N_("Hourly performance"),
    "pareto": N_("Stop reasons"),
    "quit": N_("Quit"),
    "back": N_("Back"),
    "connection_lost": N_("Connection lost"),
    "kanban": N_("Kanban"),
    "andon": N_("Andon"),
}
"""Screen titles and the keys of the footer."""

SIGNAL_WORDS = {
    "line_stopped": LINE_STOPPED,
    "fault": N_("Machine fault"),
    "blocked": N_("Full-work stop"),
    "too_fast": PACE_WORDS["too_fast"],
    "too_slow": PACE_WORDS["too_slow"],
    "running": N_("Running"),
    "idle": N_("Idle"),
    "no_shift": N_("No shift"),
    "offline": N_("OFFLINE"),
    "alarm": N_("Journal alarm"),
}
"""A station's signals (the ``when`` of the lamp rules, ``docs/lamps.md``) as people read them."""

ALARM_WORDS = {
    "journal": N_("The station cannot write its journal (storage full or read-only)"),
    "broker": N_("The broker cannot be reached"),
    "historian": N_("The history cannot be written"),
    "stale": N_("No data from the station for a while"),
}
"""The alarms a screen, a report or an alert may name, as whole sentences."""

REASON_CATEGORY_WORDS = {
    "availability": FIGURE_WORDS["availability"],
    "performance": FIGURE_WORDS["performance"],
    "quality": FIGURE_WORDS["quality"],
}
"""The OEE factor a reason code reduces (``category`` of ``[[reasons]]``)."""

PLANNED = N_("planned")
UNPLANNED = N_("unplanned")

ROLE_WORDS = {
    "team_leader": N_("Team leader"),
    "supervisor": N_("Supervisor"),
    "maintenance": N_("Maintenance"),
    "material_handler": N_("Material handler"),
    "quality": N_("Quality"),
}
"""The built-in roles (``[roles]`` relabels them or adds more)."""


def pace_word(pace: str | None, tr: Translator) -> str:
    """The word of a pace state (``None`` or unknown: ``NOT JUDGED``) in ``tr``'s language."""
    return tr.gettext(PACE_WORDS.get(pace or "", NOT_JUDGED))


def word(table: Mapping[str, str], key: str, tr: Translator, *, default: str = "") -> str:
    """``table[key]`` in ``tr``'s language; ``default`` (or the key) when the table lacks it."""
    found = table.get(key)
    return tr.gettext(found) if found is not None else (default or key)


def stop_source(source: str, tr: Translator) -> str:
    """What stopped (``line_stop`` or the reports' ``line stop``) in ``tr``'s language:
    ``machine fault``, ``停线``; a source the table lacks as it is, spaced."""
    key = source.replace(" ", "_")
    return word(STOP_SOURCE_WORDS, key, tr, default=key.replace("_", " "))


def reason_missing(source: str, tr: Translator) -> str:
    """``Machine fault: reason missing``: the stops of ``source`` still without a reason."""
    found = REASON_MISSING_WORDS.get(source.replace(" ", "_"))
    if found is not None:
        return tr.gettext(found)
    what = stop_source(source, tr)
    # a source the table lacks begins the row with a capital like the others (Tool wear)
    return tr.gettext(REASON_MISSING).format(source=what[:1].upper() + what[1:])


DEVICE_ACTORS = frozenset({BIN_SENSOR, STATION_BUTTON, REASON_CARD, STATION_ITSELF})
"""Who acted when no person did: andon's own names, written in English in the journal."""


def who(name: str, tr: Translator) -> str:
    """Who raised, took or closed a call: a person's name as written, a device in ``tr``'s
    language (``bin sensor``, ``料箱传感器``; ``station button``, ``reason card``)."""
    return tr.gettext(name) if name in DEVICE_ACTORS else name
