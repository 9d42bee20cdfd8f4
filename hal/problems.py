"""What a device reports when it fails or recovers: every sentence once, with named fields.

The hardware layer writes these in English (a :class:`~hal.events.DeviceStatus`'s
``detail``, a :class:`~hal.events.ScanRejected`'s ``reason``, the log, a station's
health on the bus); each is a template marked for the catalogs, so that the board's
Diagnostics screen and ``andon hal-monitor`` show it in the reader's language
(:func:`andon.i18n.device_problems.shown`). Device names, ports and the operating
system's words stay as they are.
"""

from __future__ import annotations

from andon.i18n.markers import N_, registered

# -- scanners ----------------------------------------------------------------------------
CANNOT_OPEN = N_("cannot open {device}: {error}")
READ_FAILED = N_("read failed on {device}: {error}")
OPEN_AGAIN = N_("{device} open again")
RETRYING = N_("{problem}; retrying every {seconds} s")
UNMAPPED_KEYS = N_("unmapped keys {keys}")
EMPTY_CODE = N_("empty code")
TOO_LONG = N_("longer than {limit} characters")
NOT_TEXT = N_("not text ({count} bytes of binary data)")
CONTROL_CHARACTER = N_("contains the control character {char}")

# -- PNS lamp towers ---------------------------------------------------------------------
TOWER_NO_ANSWER = N_("PNS tower {address}: no answer within {seconds} s")
TOWER_CLOSED = N_("PNS tower {address}: the tower closed the connection")
TOWER_FAILED = N_("PNS tower {address}: {error}")
TOWER_REFUSED = N_("PNS tower {address} refused (NAK) the frame {frame}")
TOWER_ODD_REPLY = N_("PNS tower {address} answered {reply}, not ACK/NAK, to the frame {frame}")
TOWER_AGAIN = N_("PNS tower {address} answers again")

TEMPLATES: tuple[str, ...] = registered(globals())
"""Every device problem and recovery, the most specific first."""
