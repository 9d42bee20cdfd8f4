"""Historian ingest rate: the board's stream, from the broker into the SQLite history.

As for the board (:mod:`andon.bench.ingest`): the historian first leaves a
persistent session with the broker, the stream is published while it is away,
and then it reconnects and stores everything as fast as it can. The rate runs
from the first event it received to the last one committed (as the board's runs
from its first message to its last event), so it includes every batch's
transaction and the fold that keeps the stations' checkpoints (each station under a
demo station's rules). Afterwards the history
must hold every station's stream 1..N once: "no event lost".
"""

from __future__ import annotations

import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from andon.bench import figures as f
from andon.bench import words as W
from andon.bench.figures import Figure, Reference
from andon.bench.payloads import DEMO_DIR, PREFIX, SITE, FakeStation, count_events, plant, stream
from andon.bench.pg_server import start_postgres
from andon.bench.publishing import publish_all
from andon.bench.raw_mqtt import RawClient
from andon.bus.credentials import BrokerSettings
from andon.config.loader import load_plant, load_station
from andon.historian.ingest_fold import FoldRules
from andon.historian.service import Historian
from andon.historian.stores import open_store
from andon.station.build import station_rules


@dataclass(frozen=True)
class HistorianIngest:
    stations: int
    events: int
    seconds: float
    lost: int
    bytes_per_event: float
    cpu_per_event_ms: float = 0.0
    """This process's CPU time over the drain (bus thread, follower, writer), per event."""

    @property
    def rate(self) -> float:
        return self.events / self.seconds if self.seconds > 0 else 0.0


def measure_historian_ingest(
    port: int, lines: int, per_line: int, per_station: int, database: str | None = None
) -> HistorianIngest:
    """Stream ``per_station`` events of ``lines × per_line`` stations into a fresh history
    (a new SQLite file, or ``database``: the URL of an empty PostgreSQL database)."""
    stations = plant(lines, per_line)
    retained, messages = stream(stations, per_station, datetime.now(UTC))
    events = count_events(messages)
    settings = BrokerSettings(
        host="127.0.0.1", port=port, client_id="bench-historian", clean_session=False
    )
    with tempfile.TemporaryDirectory(prefix="andon-bench-history-") as tmp:
        path = Path(tmp) / "history.sqlite"
        url = database or f"sqlite:///{path}"
        folding = demo_rules(stations)
        # An empty session first: one left by an earlier round holds the streams published since.
        RawClient(port, settings.client_id, clean_session=True).start().stop()
        first = Historian(PREFIX, SITE, url, settings, name="bench", folding=folding).start()
        first.bus.wait_connected(10)  # type: ignore[union-attr]
        first.stop()  # leaves the persistent session with its subscriptions
        timeout_s = 60.0 + len(messages) / 500
        publish_all(port, retained + messages, timeout_s)
        historian = Historian(PREFIX, SITE, url, settings, name="bench", folding=folding)
        start = time.monotonic()
        cpu_start = time.process_time()
        historian.start()
        deadline = start + timeout_s
        try:
            while historian.stats.stored < events and time.monotonic() < deadline:
                time.sleep(0.01)
            stats = historian.stats
            first = stats.first_event_at if stats.first_event_at is not None else start
            seconds = (stats.last_commit_at or time.monotonic()) - first
            cpu = time.process_time() - cpu_start
        finally:
            historian.stop()
        with open_store(url) as store:
            lost = sum(
                per_station - len(set(store.seqs(s.address.path)) & set(range(1, per_station + 1)))
                for s in stations
            )
        size = sum(f.stat().st_size for f in Path(tmp).iterdir())
    cpu_ms = cpu * 1000 / max(1, events)
    return HistorianIngest(len(stations), events, seconds, lost, size / max(1, events), cpu_ms)


def demo_rules(stations: list[FakeStation]) -> FoldRules:
    """Every bench station folded with a demo station's rules and the demo calendar, so
    the historian keeps checkpoints as it stores, as on a plant."""
    rules = station_rules(load_station(DEMO_DIR / "station-a1.toml"))
    calendar = load_plant(DEMO_DIR / "plant.toml").domain_calendar()
    return FoldRules({s.address.path: rules for s in stations}, calendar)


def fresh_database(server_url: str, name: str) -> str:
    """Make the empty database ``name`` on a PostgreSQL server; its URL."""
    import psycopg

    with psycopg.connect(server_url, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {name}")
        conn.execute(f"CREATE DATABASE {name}")
    return server_url.replace("@/postgres?", f"@/{name}?")


def postgresql_figures(
    port: int,
    lines: int,
    per_line: int,
    per_station: int,
    sqlite: HistorianIngest,
    say: Callable[[str], None],
) -> list[Figure]:
    """The same stream into a throw-away PostgreSQL: rate and CPU per event (none when
    PostgreSQL 15 or psycopg is not installed)."""
    rate_name = W.HISTORIAN_INGEST_PG
    cpu_name = W.CPU_HISTORIAN_PG
    server = start_postgres()
    if server is None:
        why = W.NO_POSTGRESQL
        return [
            f.skipped("historian_ingest_postgresql", rate_name, "events/s", why),
            f.skipped("cpu_historian_postgresql", cpu_name, "ms", why),
        ]
    try:
        say(W.MEASURE_HISTORIAN_PG)
        url = fresh_database(server.url, "andon_bench_ingest")
        pg = measure_historian_ingest(port, lines, per_line, per_station, url)
    finally:
        server.stop()
    return [
        f.single(
            "historian_ingest_postgresql",
            rate_name,
            "events/s",
            pg.rate,
            samples=pg.events,
            reference=Reference(W.INTO_SQLITE, sqlite.rate, "events/s"),
            note=W.NOTE_HISTORIAN_PG.format(events=pg.events, lost=pg.lost),
        ),
        f.single(
            "cpu_historian_postgresql",
            cpu_name,
            "ms",
            pg.cpu_per_event_ms,
        ),
    ]
