"""The PATLITE "PNS" LAN protocol: frames and a small TCP client.

Frame layout, from the PATLITE NHL series user manual, section 3.6 "PNS
Command Reception Function" (the same command family is used by the NH-FV
and LA6 LAN towers):

=========  =========================================  =====================
bytes      field                                      value
=========  =========================================  =====================
0-1        product category                           ``58H 58H`` ("XX")
2          identifier                                 ``53H`` "S" write,
                                                      ``43H`` "C" clear
3          empty                                      ``00H``
4-5        data size, big-endian                      ``00H 06H`` for "S"
6-10       LED units 1..5 (manual: red, amber,        ``00H`` off, ``01H``
           green, blue, white, i.e. tiers from top)   on, ``02H`` flashing
                                                      pattern 1, ``03H``
                                                      flashing pattern 2,
                                                      ``09H`` no change
11         buzzer                                     ``00H`` stop,
                                                      ``01H``-``04H``
                                                      pattern 1-4,
                                                      ``09H`` no change
=========  =========================================  =====================

The tower answers one byte: ACK ``06H`` (done) or NAK ``15H`` (refused).
The manual's own example, "red on + amber flashing pattern 1 + green
flashing pattern 2 + buzzer pattern 4", is
``58 58 53 00 00 06 01 02 03 00 00 04``.

Our mapping: slow flash = flashing pattern 1, fast flash = flashing pattern 2;
buzzer ``rapid`` = pattern 1, ``pulse`` = 2, ``chirp`` = 3, ``continuous`` = 4
(what each numbered pattern sounds like is set on the tower itself).
"""

from __future__ import annotations

import socket
from collections.abc import Sequence

from hal import problems as P
from hal.errors import HalError
from hal.patterns import BuzzerPattern, Pattern, TowerState

PRODUCT_CATEGORY = b"XX"
WRITE = b"S"
CLEAR = b"C"
ACK = 0x06
NAK = 0x15
TIERS = 5
NO_CHANGE = 0x09

LAMP_CODES: dict[Pattern, int] = {
    Pattern.OFF: 0x00,
    Pattern.ON: 0x01,
    Pattern.SLOW: 0x02,
    Pattern.FAST: 0x03,
}
BUZZER_CODES: dict[BuzzerPattern, int] = {
    BuzzerPattern.OFF: 0x00,
    BuzzerPattern.RAPID: 0x01,
    BuzzerPattern.PULSE: 0x02,
    BuzzerPattern.CHIRP: 0x03,
    BuzzerPattern.CONTINUOUS: 0x04,
}


def frame(identifier: bytes, data: bytes = b"") -> bytes:
    """Wrap ``data`` in the PNS header: category, identifier, empty byte, size."""
    if len(identifier) != 1:
        raise ValueError(f"a PNS identifier is one byte, not {identifier!r}")
    return PRODUCT_CATEGORY + identifier + b"\x00" + len(data).to_bytes(2, "big") + data


def write_frame(state: TowerState, colours: Sequence[str]) -> bytes:
    """The "S" frame that shows ``state`` on a tower whose tiers are ``colours`` (top first).

    Tiers the tower has beyond ``colours`` are switched off.
    """
    if len(colours) > TIERS:
        raise ValueError(f"a PNS tower has at most {TIERS} tiers, not {len(colours)}")
    lamps = [LAMP_CODES[state.pattern(colour)] for colour in colours]
    lamps += [LAMP_CODES[Pattern.OFF]] * (TIERS - len(lamps))
    return frame(WRITE, bytes([*lamps, BUZZER_CODES[state.buzzer]]))


def clear_frame() -> bytes:
    """The "C" frame: all lamps off, buzzer stopped."""
    return frame(CLEAR)


class PnsError(HalError):
    """The tower could not be told what to show."""


class PnsRejected(PnsError):
    """The tower answered NAK."""


class PnsConnectionError(PnsError):
    """The tower could not be reached, or the connection broke."""


class _Dropped(OSError):
    """The tower closed the connection without answering."""


class PnsClient:
    """One TCP connection to a PNS tower, opened on the first write and
    re-opened on the next write after it broke.

    A write on a connection the tower has since closed (it restarted, or
    dropped an idle client) is retried once on a fresh connection; frames
    carry the whole state, so repeating one is harmless.
    """

    def __init__(self, host: str, port: int, *, timeout_s: float = 2.0) -> None:
        self.host, self.port, self.timeout_s = host, port, timeout_s
        self._socket: socket.socket | None = None

    @property
    def address(self) -> str:
        return f"{self.host}:{self.port}"

    @property
    def connected(self) -> bool:
        return self._socket is not None

    def send(self, data: bytes) -> None:
        """Send one frame and wait for the tower's ACK.

        Raises :class:`PnsRejected` on NAK and :class:`PnsConnectionError`
        when the tower is unreachable or does not answer in time.
        """
        reused = self._socket is not None
        try:
            reply = self._exchange(data)
        except OSError as first:
            self.close()
            if not reused:
                raise self._connection_error(first) from first
            try:
                reply = self._exchange(data)
            except OSError as second:
                self.close()
                raise self._connection_error(second) from second
        if reply == NAK:
            raise PnsRejected(P.TOWER_REFUSED.format(address=self.address, frame=data.hex(" ")))
        if reply != ACK:
            self.close()
            raise PnsError(
                P.TOWER_ODD_REPLY.format(
                    address=self.address, reply=f"{reply:#04x}", frame=data.hex(" ")
                )
            )

    def _exchange(self, data: bytes) -> int:
        if self._socket is None:
            self._socket = socket.create_connection((self.host, self.port), timeout=self.timeout_s)
            self._socket.settimeout(self.timeout_s)
        self._socket.sendall(data)
        reply = self._socket.recv(1)
        if not reply:
            raise _Dropped("the tower closed the connection")
        return reply[0]

    def _connection_error(self, exc: OSError) -> PnsConnectionError:
        if isinstance(exc, TimeoutError | socket.timeout):
            seconds = f"{self.timeout_s:g}"
            return PnsConnectionError(
                P.TOWER_NO_ANSWER.format(address=self.address, seconds=seconds)
            )
        if isinstance(exc, _Dropped):
            return PnsConnectionError(P.TOWER_CLOSED.format(address=self.address))
        error = str(exc) or type(exc).__name__
        return PnsConnectionError(P.TOWER_FAILED.format(address=self.address, error=error))

    def close(self) -> None:
        if self._socket is not None:
            try:
                self._socket.close()
            finally:
                self._socket = None
