"""The names of the doctor's checks, in the order they run (imported by the CLI before
the checks themselves, so ``andon doctor --help`` stays light)."""

from __future__ import annotations

CHECKS = ("config", "pins", "scanner", "credentials", "broker", "mosquitto", "clock", "disk")
"""Every check; ``config`` runs always, the others can be left out with ``--skip``."""
