"""``andon bench``: how fast the terminal is, measured against references of the same run.

Each figure is measured on this machine, next to a reference measured in the
same run (raw paho round trip, a plain paho subscriber, the simulated HAL
alone, a bare Python interpreter), so the ratio means something on any
machine. :func:`andon.bench.suite.run_suite` runs everything and returns a
:class:`~andon.bench.figures.Report`; ``--quick`` keeps it under a minute.
"""
