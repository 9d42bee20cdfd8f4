"""A month of history for the report benchmark: 10 lines × 10 stations of the demo plant.

:func:`bench_site` writes a plant (the demo plant with ten more lines, takt 60 s)
and its station files; :func:`history_events` yields what each station would
have journaled over ``days``: a count every 65 s at every station (about 1 330
events a station a day) and an hourly help call, acknowledged after 90 s and
resolved with a reason card after 6 min. 30 days × 100 stations make about
4 M events. :func:`store_history` stores them as the running historian does: the
stations' events in the order they would arrive (each station's in seq order, the
stations taking turns by instant), in the historian's batches, each committed batch
folded by the historian's :class:`~andon.historian.ingest_fold.IngestFold`, so the
history holds every station's checkpoint at every shift end. :func:`cached_history`
does so once into an SQLite history kept in a cache folder, so the minutes of
generation are spent once per machine.
"""

from __future__ import annotations

import heapq
import re
import shutil
import sqlite3
import zlib
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

from andon.bus.messages import EventMessage
from andon.demo.run import DEMO_DIR
from andon.domain import events as ev
from andon.historian.ingest_fold import FoldRules, IngestFold
from andon.historian.service import BATCH_MAX
from andon.historian.store import HistoryStore
from andon.historian.stores import open_store

GENERATOR = 2
"""Bumped when the generated history changes (names the cached file); 2: stored with
the historian's checkpoints."""
COUNT_EVERY_S = 65
CALL_EVERY = 55
"""A call every 55 counts (about an hour)."""
START = datetime(2026, 1, 5, tzinfo=UTC)
"""The first day generated (a Monday)."""

LINE = """
[[lines]]
id = "{line}"
name = "Bench line {n:02d}"
takt_s = 60
ideal_cycle_s = 55
counting_station = "s01"
"""


def bench_site(folder: Path, lines: int, per_line: int) -> Path:
    """The plant and station files of the benchmark in ``folder``; the folder."""
    folder.mkdir(parents=True, exist_ok=True)
    plant = (DEMO_DIR / "plant.toml").read_text(encoding="utf-8")
    plant += "".join(LINE.format(line=f"bench-{n:02d}", n=n) for n in range(1, lines + 1))
    (folder / "plant.toml").write_text(plant, encoding="utf-8")
    for extra in DEMO_DIR.glob("*.toml"):
        if extra.name != "plant.toml" and not extra.name.startswith("station-"):
            shutil.copy(extra, folder / extra.name)
    counting = (DEMO_DIR / "station-a3.toml").read_text(encoding="utf-8")
    other = (DEMO_DIR / "station-a1.toml").read_text(encoding="utf-8")
    for n in range(1, lines + 1):
        for s in range(1, per_line + 1):
            text = counting if s == 1 else other
            text = re.sub(r'(?m)^line = ".*"$', f'line = "bench-{n:02d}"', text)
            text = re.sub(r'(?m)^id = ".*"$', f'id = "s{s:02d}"', text)
            (folder / f"station-bench-{n:02d}-s{s:02d}.toml").write_text(text, encoding="utf-8")
    return folder


def station_paths(lines: int, per_line: int) -> list[str]:
    return [
        f"demo-plant/assembly/bench-{n:02d}/s{s:02d}"
        for n in range(1, lines + 1)
        for s in range(1, per_line + 1)
    ]


def station_events(path: str, days: int) -> Iterator[EventMessage]:
    """One station's journal over ``days`` from :data:`START`, seq from 1."""
    line, station = path.split("/")[-2:]
    seq = 0
    end = START + timedelta(days=days)
    t = START + timedelta(seconds=zlib.crc32(path.encode()) % COUNT_EVERY_S)
    counts = 0
    calls = 0

    def message(event: ev.Event) -> EventMessage:
        nonlocal seq
        seq += 1
        return EventMessage(path, seq, f"{path}#{seq}", event)

    yield message(ev.StationStarted(at=START, version="bench"))
    while t < end:
        yield message(ev.Counted(at=t, good=1))
        counts += 1
        if counts % CALL_EVERY == 0:
            calls += 1
            call = f"{line}.{station}.C{calls}"
            yield message(ev.CallRaised(at=t + timedelta(seconds=5), call_id=call,
                                        call_type="help", source="button"))  # fmt: skip
            yield message(ev.CallAcknowledged(at=t + timedelta(seconds=95), call_id=call,
                                              by="Anna Becker", source="badge"))  # fmt: skip
            yield message(ev.CallResolved(at=t + timedelta(seconds=365), call_id=call,
                                          by="Anna Becker", source="reason_card",
                                          reason="MAT-SHORT"))  # fmt: skip
        t += timedelta(seconds=COUNT_EVERY_S)


def arrivals(days: int, lines: int, per_line: int) -> Iterator[EventMessage]:
    """Every station's journal in the order a historian receives it: each station's
    events in seq order, the stations taking turns by instant."""
    streams = [station_events(path, days) for path in station_paths(lines, per_line)]
    return heapq.merge(*streams, key=lambda m: m.event.at)


def catch_up(store: HistoryStore, fold: IngestFold) -> None:
    """Fold what the history holds past the stations' cursors, as the historian's
    housekeeping does while no event arrives."""
    while not fold.in_step():
        before = fold.folded
        fold.catch_up(store)
        if fold.folded == before:
            return  # nothing more to fold (a gap or an error, logged by the fold)


def store_history(
    url: str, days: int, lines: int, per_line: int, folding: FoldRules | None = None
) -> int:
    """Generate the benchmark's history into ``url`` as the historian stores it (in its
    batches; with ``folding``, each committed batch folded into the stations'
    checkpoints); the number of events stored."""
    stored = 0
    fold = IngestFold(folding) if folding is not None else None
    with open_store(url) as store:
        batch: list[EventMessage] = []
        for message in arrivals(days, lines, per_line):
            batch.append(message)
            if len(batch) >= BATCH_MAX:
                stored += _write(store, fold, batch)
                batch = []
        stored += _write(store, fold, batch)
        if fold is not None:
            catch_up(store, fold)
    return stored


def _write(store: HistoryStore, fold: IngestFold | None, batch: list[EventMessage]) -> int:
    """One batch as the historian's writer commits it, then folds it."""
    done = store.store(batch)
    if fold is not None:
        fold.after(store, batch, done)
    return done.added


def cached_history(
    cache: Path, days: int, lines: int, per_line: int, folding: FoldRules
) -> tuple[Path, bool]:
    """The SQLite history of this size in ``cache`` (generated and folded when absent);
    (file, made now)."""
    cache.mkdir(parents=True, exist_ok=True)
    path = cache / f"history-g{GENERATOR}-{days}d-{lines}x{per_line}.sqlite"
    if path.exists():
        return path, False
    partial = path.with_suffix(".partial")
    for stale in (partial, Path(f"{partial}-wal"), Path(f"{partial}-shm")):
        stale.unlink(missing_ok=True)
    store_history(f"sqlite:///{partial}", days, lines, per_line, folding)
    with sqlite3.connect(partial) as db:  # one file to keep: the WAL folded in
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    partial.rename(path)
    for left in (Path(f"{partial}-wal"), Path(f"{partial}-shm")):
        left.unlink(missing_ok=True)
    return path, True
