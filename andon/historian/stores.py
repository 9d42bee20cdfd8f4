"""The history store a database URL names: SQLite or PostgreSQL, migrated to the latest schema.

psycopg, PostgreSQL's driver, is loaded only when a PostgreSQL store is opened.
"""

from __future__ import annotations

from pathlib import Path

from andon.historian import errors as E
from andon.historian.postgres import PostgresStore
from andon.historian.store import (
    POSTGRES_PREFIXES,
    SQLITE_PREFIX,
    HistoryError,
    HistoryStore,
    SqliteStore,
)


def open_store(url: str) -> HistoryStore:
    """The store a URL names, migrated to the latest schema."""
    if url.startswith(SQLITE_PREFIX):
        rest = url[len(SQLITE_PREFIX) :]
        if not rest:
            raise HistoryError(E.SQLITE_FILE.format(url=url))
        store: HistoryStore = SqliteStore(Path(rest), url)
    elif url.startswith(POSTGRES_PREFIXES):
        store = PostgresStore(url)
    else:
        raise HistoryError(E.DATABASE_URL.format(url=repr(url)))
    try:
        store.migrate()
    except BaseException:
        store.close()
        raise
    return store
