"""The played past weeks put into the data folder as one step, finished after a stop.

The past weeks are played into scratch journals (:mod:`andon.demo.past_weeks`);
only once every shift is played do they come into the data folder:

1. each scratch journal is copied beside its place as ``<journal>.part``;
2. a marker (:data:`MARKER`) says the copies are complete;
3. each copy is renamed into its place, and the history is given every event of
   those journals (stored as the historian stores them: an event it holds
   already is not stored again);
4. the marker is removed.

A stop before the marker leaves the data folder as it was (the copies are
removed at the next start, which plays the weeks again); a stop after it is
finished at the next start (:func:`finish_interrupted`), before the stations
start. Either way no station starts on part of the past weeks.
"""

from __future__ import annotations

import logging
import os
import sqlite3
from collections.abc import Iterable
from pathlib import Path

from andon.bus.messages import EventMessage
from andon.config.station import StationFile
from andon.domain import event_decoding
from andon.historian.stores import open_store
from andon.journal.store import Journal
from andon.simulate.runner import journal_file
from andon.station.assemble import station_address

log = logging.getLogger(__name__)

MARKER = "past-weeks.placing"
"""In the data folder while the played journals are put in place."""
PART = ".part"
BATCH = 5000


def _key(config: StationFile) -> str:
    return f"{config.line}/{config.id}"


def _sync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def stage(scratch: Path, data_dir: Path, stations: Iterable[StationFile]) -> None:
    """Copy each station's scratch journal beside its place, then write the marker."""
    for config in stations:
        source = journal_file(scratch, _key(config))
        if not source.exists():
            continue
        part = journal_file(data_dir, _key(config)).with_suffix(".sqlite" + PART)
        part.unlink(missing_ok=True)
        src, dst = sqlite3.connect(source), sqlite3.connect(part)
        try:
            src.backup(dst)  # a consistent copy, whatever the scratch journal's WAL holds
        finally:
            dst.close()
            src.close()
        _sync(part)
    marker = data_dir / MARKER
    written = marker.with_suffix(".tmp")
    written.write_text("the past weeks are being put in place\n", encoding="utf-8")
    _sync(written)
    os.replace(written, marker)
    _sync(data_dir)


def finish(stations: Iterable[StationFile], data_dir: Path, history_url: str) -> int:
    """Rename the copies into place, store their events in the history, remove the marker.

    Returns the number of events new to the history.
    """
    configs = list(stations)
    for config in configs:
        final = journal_file(data_dir, _key(config))
        part = final.with_suffix(".sqlite" + PART)
        if part.exists():
            os.replace(part, final)
    _sync(data_dir)
    added = 0
    with open_store(history_url) as store:
        for config in configs:
            path = journal_file(data_dir, _key(config))
            if not path.exists():
                continue
            messages = _messages(path, station_address(config).path)
            for start in range(0, len(messages), BATCH):
                added += store.insert(messages[start : start + BATCH])
    (data_dir / MARKER).unlink(missing_ok=True)
    return added


def _messages(path: Path, station: str) -> list[EventMessage]:
    with Journal(path, owner=station) as journal:
        return [
            EventMessage(station, row.seq, row.id, event_decoding.from_dict(row.kind, row.payload))
            for row in journal.rows()
        ]


def finish_interrupted(stations: Iterable[StationFile], data_dir: Path, history_url: str) -> bool:
    """At start: finish putting the past weeks in place after a stop (True if there was
    one), or remove the copies of a stop before they were complete."""
    configs = list(stations)
    if (data_dir / MARKER).exists():
        added = finish(configs, data_dir, history_url)
        log.info("history: the past weeks put in place after a stop (%d events stored)", added)
        return True
    for config in configs:
        journal_file(data_dir, _key(config)).with_suffix(".sqlite" + PART).unlink(missing_ok=True)
    return False
