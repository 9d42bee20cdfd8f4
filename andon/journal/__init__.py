"""The station's journal: append-only, hash-chained SQLite with an outbox."""
