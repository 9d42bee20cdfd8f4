"""A station's ``health`` as the diagnostics screen shows it: flags and one row per scanner.

A station's health comes off the network: every value is checked, and a malformed
one shows ``–`` instead of stopping the board.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from rich.text import Text

from andon.board.formatting import age
from andon.board.widgets.keyed_table import Row
from andon.i18n import N_, Translator
from andon.i18n.device_problems import shown

COUNTER_WORDS = {
    "unjournaled": N_("unjournaled {count}"),
    "in_flight": N_("in flight {count}"),
    "unpublished": N_("unpublished {count}"),
    "bad_commands": N_("bad commands {count}"),
    "unreadable_rows": N_("unreadable rows {count}"),
}
"""The backlog counters of a station's health, as the stations table names them."""


def _is_count(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _count(value: object) -> str:
    return str(value) if _is_count(value) else "–"


def _instant(value: object) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        t = datetime.fromisoformat(value)
    except ValueError:
        return None
    return t if t.tzinfo is not None else None


def health_flags(health: Mapping[str, Any], tr: Translator) -> list[str]:
    """What is wrong in a station's ``health``: journal errors, backlogs, its broker link."""
    _ = tr.gettext
    flags = []
    if health.get("journal_error"):
        flags.append(_("journal: {error}").format(error=health["journal_error"]))
    for key, words in COUNTER_WORDS.items():
        value = health.get(key)
        if _is_count(value) and value > 0:
            flags.append(_(words).format(count=value))
    if health.get("broker") is False:
        flags.append(_("no broker link"))
    return flags


def scanner_rows(path: str, health: Mapping[str, Any], now: datetime, tr: Translator) -> list[Row]:
    """One row per scanner in a station's ``health``: link, last scan age, bad lines, errors."""
    _ = tr.gettext
    scanners = health.get("scanners")
    if not isinstance(scanners, Mapping):
        return []
    rows: list[Row] = []
    for name in sorted(str(n) for n in scanners):
        info = scanners[name]
        if not isinstance(info, Mapping):
            info = {}
        links = {True: Text(_("✓ ok")), False: Text(_("✕ LOST"), "bold red")}
        link = links.get(info.get("connected"), Text("–"))
        last = _instant(info.get("last_scan_at"))
        last_age = age((now - last).total_seconds() if last is not None else None, tr)
        rejected, errors = info.get("rejected"), info.get("errors")
        bad = _is_count(rejected) and rejected > 0
        failed = _is_count(errors) and errors > 0
        rows.append(
            (
                f"{path}#{name}",
                [
                    path,
                    name,
                    link,
                    last_age,
                    _count(info.get("scans")),
                    Text(_count(rejected), "bold yellow" if bad else ""),
                    Text(_count(errors), "bold red" if failed else ""),
                    Text(shown(str(info.get("last_error") or ""), tr), "red"),
                ],
            )
        )
    return rows
