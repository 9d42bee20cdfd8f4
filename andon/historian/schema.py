"""The historian's schema, versioned: numbered migrations, one SQL text per database.

Both databases hold the same tables and columns. PostgreSQL partitions ``events``
by month of the event's instant (native declarative partitioning; a partition is
made when the first event of its month arrives), so retention drops whole
partitions. A partitioned table's primary key must contain the partition key, so
there it is ``(station, seq, at)``: an event's instant never changes (journals are
append-only), so a repeated ``(station, seq)`` is still refused as a duplicate.
``streams`` remembers the last seq stored per station, which retention never
deletes: history removed on purpose is not fetched again.

``checkpoints`` (version 2) keeps each station's folded state at shift ends
(:mod:`andon.historian.checkpoints`): the state before the event ``seq``, under
the rules whose fingerprint is ``rules``. ``shift_sections`` (version 3) keeps
each closed shift's figures of a line (:mod:`andon.historian.sections`) under the
fingerprint of the line's rules and of the code that computes the figures.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Migration:
    """One step of the schema; applied once, in ``version`` order, in one transaction."""

    version: int
    name: str
    sqlite: tuple[str, ...]
    postgresql: tuple[str, ...]


MIGRATIONS: tuple[Migration, ...] = (
    Migration(
        version=1,
        name="events and streams",
        sqlite=(
            """CREATE TABLE events (
                station TEXT NOT NULL,
                seq INTEGER NOT NULL,
                id TEXT NOT NULL,
                kind TEXT NOT NULL,
                at TEXT NOT NULL,
                data TEXT NOT NULL,
                received_at TEXT NOT NULL,
                PRIMARY KEY (station, seq)
            ) WITHOUT ROWID""",
            "CREATE INDEX events_station_at ON events (station, at)",
            "CREATE INDEX events_at ON events (at)",
            """CREATE TABLE streams (
                station TEXT PRIMARY KEY,
                last_seq INTEGER NOT NULL,
                updated_at TEXT NOT NULL
            )""",
        ),
        postgresql=(
            """CREATE TABLE events (
                station TEXT NOT NULL,
                seq BIGINT NOT NULL,
                id TEXT NOT NULL,
                kind TEXT NOT NULL,
                at TIMESTAMPTZ NOT NULL,
                data JSONB NOT NULL,
                received_at TIMESTAMPTZ NOT NULL,
                PRIMARY KEY (station, seq, at)
            ) PARTITION BY RANGE (at)""",
            "CREATE INDEX events_station_at ON events (station, at)",
            "CREATE INDEX events_at ON events (at)",
            """CREATE TABLE streams (
                station TEXT PRIMARY KEY,
                last_seq BIGINT NOT NULL,
                updated_at TIMESTAMPTZ NOT NULL
            )""",
        ),
    ),
    Migration(
        version=2,
        name="checkpoints",
        sqlite=(
            """CREATE TABLE checkpoints (
                station TEXT NOT NULL,
                rules TEXT NOT NULL,
                at TEXT NOT NULL,
                seq INTEGER NOT NULL,
                state TEXT NOT NULL,
                made_at TEXT NOT NULL,
                PRIMARY KEY (station, rules, at)
            ) WITHOUT ROWID""",
        ),
        postgresql=(
            """CREATE TABLE checkpoints (
                station TEXT NOT NULL,
                rules TEXT NOT NULL,
                at TIMESTAMPTZ NOT NULL,
                seq BIGINT NOT NULL,
                state TEXT NOT NULL,
                made_at TIMESTAMPTZ NOT NULL,
                PRIMARY KEY (station, rules, at)
            )""",
        ),
    ),
    Migration(
        version=3,
        name="shift sections",
        sqlite=(
            """CREATE TABLE shift_sections (
                line TEXT NOT NULL,
                rules TEXT NOT NULL,
                code TEXT NOT NULL,
                start_at TEXT NOT NULL,
                end_at TEXT NOT NULL,
                data TEXT NOT NULL,
                made_at TEXT NOT NULL,
                PRIMARY KEY (line, rules, code, start_at)
            ) WITHOUT ROWID""",
            "CREATE INDEX shift_sections_end ON shift_sections (end_at)",
        ),
        postgresql=(
            """CREATE TABLE shift_sections (
                line TEXT NOT NULL,
                rules TEXT NOT NULL,
                code TEXT NOT NULL,
                start_at TIMESTAMPTZ NOT NULL,
                end_at TIMESTAMPTZ NOT NULL,
                data TEXT NOT NULL,
                made_at TIMESTAMPTZ NOT NULL,
                PRIMARY KEY (line, rules, code, start_at)
            )""",
            "CREATE INDEX shift_sections_end ON shift_sections (end_at)",
        ),
    ),
)

LATEST = MIGRATIONS[-1].version

VERSIONS_TABLE = {
    "sqlite": """CREATE TABLE IF NOT EXISTS schema_migrations (
        version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)""",
    "postgresql": """CREATE TABLE IF NOT EXISTS schema_migrations (
        version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TIMESTAMPTZ NOT NULL)""",
}
