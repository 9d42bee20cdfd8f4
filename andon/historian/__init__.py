"""The historian: every station's events kept in a database, and the reports read from it."""
