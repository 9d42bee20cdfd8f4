"""A month of history for the report benchmark: 10 lines × 10 stations of the demo plant.

:func:`bench_site` writes a plant (the demo plant with ten more lines, takt 60 s)
and its station files; :func:`history_events` yields what each station would
have journaled over ``days``: a count every 65 s at every station (about 1 330
events a station a day) and an hourly help call, acknowledged after 90 s and
resolved with a reason card after 6 min. 30 days × 100 stations make about
4 M events. :func:`cached_history` stores them once in an SQLite history kept
in a cache folder, so the minutes of generation are spent once per machine.
"""

from __future__ import annotations

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
from andon.historian.stores import open_store

GENERATOR = 1
"""Bumped when the generated history changes (names the cached file)."""
COUNT_EVERY_S = 65
CALL_EVERY = 55
"""A call every 55 counts (about an hour)."""
START = datetime(2026, 1, 5, tzinfo=UTC)
"""The first day generated (a Monday)."""
BATCH = 20_000

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


def store_history(url: str, days: int, lines: int, per_line: int) -> int:
    """Generate the benchmark's history into ``url``; the number of events stored."""
    stored = 0
    with open_store(url) as store:
        for path in station_paths(lines, per_line):
            batch: list[EventMessage] = []
            for message in station_events(path, days):
                batch.append(message)
                if len(batch) >= BATCH:
                    stored += store.insert(batch)
                    batch = []
            stored += store.insert(batch)
    return stored


def cached_history(cache: Path, days: int, lines: int, per_line: int) -> tuple[Path, bool]:
    """The SQLite history of this size in ``cache`` (generated when absent); (file, made now)."""
    cache.mkdir(parents=True, exist_ok=True)
    path = cache / f"history-g{GENERATOR}-{days}d-{lines}x{per_line}.sqlite"
    if path.exists():
        return path, False
    partial = path.with_suffix(".partial")
    for stale in (partial, Path(f"{partial}-wal"), Path(f"{partial}-shm")):
        stale.unlink(missing_ok=True)
    store_history(f"sqlite:///{partial}", days, lines, per_line)
    with sqlite3.connect(partial) as db:  # one file to keep: the WAL folded in
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    partial.rename(path)
    for left in (Path(f"{partial}-wal"), Path(f"{partial}-shm")):
        left.unlink(missing_ok=True)
    return path, True
