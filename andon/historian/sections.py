"""Each closed shift's figures of a line, kept in the history so long reports need not fold.

A report's line is a list of shift sections (:func:`andon.historian.report.shift_section`:
plan and actual, the hourly rows, pace, KPIs, downtime by reason, every call with its
times, the stops and line stops), and its summary is added up from those sections
(:mod:`andon.historian.summary`). A section holds the facts, not averages: the
medians and p90 of the summary are taken over the calls the sections list.

A section is kept only for a shift that is closed for every station of the line:
the shift ended by the report's end and each station's fold passed the shift's end
over contiguous seqs (it kept a checkpoint there, :mod:`andon.historian.checkpoints`).
It is filed under two fingerprints: of the line's rules (its stations, their rules,
the counting station, the plant's time zone), and of the code that computes the
figures (:func:`code_fingerprint`), so changed rules or an upgraded andon find no
section and fold again. Storing events never touches sections: before a report
reads a line's sections it drops those a back-fill may have changed, the ones for
which a station of the line lacks the checkpoint at the shift's end made no later
than the section (:data:`andon.historian.batch.STALE_SECTIONS`), and folds those
shifts again. A back-fill of one line's station leaves the other lines' sections.
"""

from __future__ import annotations

import hashlib
import json
import logging
from datetime import datetime, timedelta
from functools import cache
from importlib import resources
from typing import Any

from andon.domain.calendar import ShiftWindow
from andon.historian.store import HistoryError, HistoryStore

log = logging.getLogger(__name__)
_TICK = timedelta(milliseconds=1)
"""Past the last shift start in a half-open range: SQLite keeps instants to the millisecond."""

FIGURE_CODE: tuple[tuple[str, str | None], ...] = (
    ("andon.domain", None),
    ("andon.simulate", None),
    ("andon.historian", "derive.py"),
    ("andon.historian", "report.py"),
    ("andon.historian", "sections.py"),
)
"""The modules a section's figures come from: (package, one file or every ``.py``)."""


@cache
def code_fingerprint() -> str:
    """A hash of the source of every module that computes a section's figures."""
    digest = hashlib.sha256()
    for package, name in FIGURE_CODE:
        root = resources.files(package)
        files = [root / name] if name else [f for f in root.iterdir() if f.name.endswith(".py")]
        for file in sorted(files, key=lambda f: f.name):
            digest.update(f"{package}/{file.name}\0".encode())
            digest.update(file.read_bytes())
            digest.update(b"\0")
    return digest.hexdigest()


SECTION_VERSION = 2
"""What a kept section holds; a new one makes the report fold its shifts again
(2: whether the shift was recorded at all)."""


def line_fingerprint(stations: dict[str, str], counting: str | None, zone: str) -> str:
    """A hash of a line's rules: each station path with its rules' fingerprint, the
    counting station and the plant's time zone."""
    text = json.dumps(
        {
            "stations": sorted(stations.items()),
            "counting": counting,
            "zone": zone,
            "section": SECTION_VERSION,
        },
        separators=(",", ":"),
    )
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def load(
    store: HistoryStore,
    line: str,
    rules: str,
    stations: dict[str, str],
    windows: list[ShiftWindow],
) -> dict[datetime, dict[str, Any]]:
    """The sections held for ``windows``, by shift start, after dropping the stale ones
    (``stations``: each station path of the line with its rules' fingerprint)."""
    if not windows:
        return {}
    starts = {w.start for w in windows}
    first, last = min(starts), max(starts)
    try:
        store.drop_stale_shift_sections(line, rules, stations, first, last + _TICK)
        rows = store.shift_sections(line, rules, code_fingerprint(), first, last + _TICK)
    except HistoryError as exc:
        log.warning("%s: shift sections not read: %s", line, exc)
        return {}
    return {at: json.loads(text) for at, text in rows if at in starts}


def keep(
    store: HistoryStore, line: str, rules: str, sections: list[tuple[ShiftWindow, dict[str, Any]]]
) -> None:
    """Keep the sections of closed shifts; a database that refuses the write is logged."""
    rows = [(w.start, w.end, json.dumps(data, separators=(",", ":"))) for w, data in sections]
    try:
        store.save_shift_sections(line, rules, code_fingerprint(), rows)
    except HistoryError as exc:
        log.warning("%s: shift sections not kept: %s", line, exc)


def closed(window: ShiftWindow, until: datetime, passed: list[set[datetime]]) -> bool:
    """Whether a shift is closed for every station: ended by ``until``, and every
    station's fold passed its end over contiguous seqs (``passed``: the checkpoint
    instants of this fold of each station that has sent events; one that never did
    is left out, so it blocks no section)."""
    return window.end <= until and all(window.end in marks for marks in passed)
