"""The board's screens, one per view: overview, line, calls, store, station, diagnostics."""
