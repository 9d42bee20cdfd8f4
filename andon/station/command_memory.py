"""What the station answered to each command id, so that a repeated command is not redone.

A broker redelivers a QoS 1 command after a reconnect, and after a station restart
from the persistent session. The answer to a command id is kept in memory for the
recent ones and in the journal, in the transaction of the events the command
produced: it is exactly as durable as what the command did. A repeat is answered
with the first outcome and not done again.
"""

from __future__ import annotations

import logging
import threading
from collections import OrderedDict

from andon.journal.store import Journal, JournalError

log = logging.getLogger(__name__)

REMEMBERED_IN_MEMORY = 1000
"""Command ids whose outcome is also kept in memory (the journal keeps many more)."""


class CommandMemory:
    """Outcomes by command id: memory first, then the journal (thread-safe)."""

    def __init__(self, journal: Journal | None, size: int = REMEMBERED_IN_MEMORY) -> None:
        self.journal = journal
        self.size = size
        self._lock = threading.Lock()
        self._recent: OrderedDict[str, tuple[bool, str]] = OrderedDict()

    def recall(self, command_id: str) -> tuple[bool, str] | None:
        """(accepted, reason) of an id answered before, or None for a new one."""
        with self._lock:
            found = self._recent.get(command_id)
        if found is not None or self.journal is None:
            return found
        try:
            kept = self.journal.command_outcome(command_id)
        except JournalError as exc:
            log.warning("command outcomes cannot be read: %s", exc)
            return None
        return None if kept is None else (kept.accepted, kept.reason)

    def keep(self, command_id: str, accepted: bool, reason: str) -> None:
        """Remember an outcome in memory (the journal keeps it through the core or
        :meth:`Journal.remember_commands`)."""
        with self._lock:
            self._recent[command_id] = (accepted, reason)
            self._recent.move_to_end(command_id)
            while len(self._recent) > self.size:
                self._recent.popitem(last=False)
