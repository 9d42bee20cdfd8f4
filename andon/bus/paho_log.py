"""Where paho-mqtt logs: a logger of its own, with its closing chatter turned into debug lines."""

from __future__ import annotations

import logging


class _ClosingNoise(logging.Filter):
    """paho reports its loop running once more without a socket while closing as an
    error: that is debug chatter."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.levelno > logging.DEBUG and str(record.msg).startswith("Client is not connected"):
            record.levelno, record.levelname = logging.DEBUG, "DEBUG"
            return PAHO_LOG.isEnabledFor(logging.DEBUG)
        return True


PAHO_LOG = logging.getLogger("andon.bus.paho")
"""paho logs here directly: a debug line is not even formatted unless debug is on (it
logs two per message, which a busy board would otherwise pay for)."""
PAHO_LOG.addFilter(_ClosingNoise())
