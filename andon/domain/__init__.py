"""The pure functional core: shift calendar, takt, plan curve, pace, KPIs, calls and state.

Nothing in this package reads the clock, touches a file or starts a thread: every instant
is passed in as a timezone-aware datetime, so every rule can be tested in microseconds.
"""
