"""Turning a scanner's byte stream into codes: split on the terminator, reject
what is not a code.

A line counts as a code when it is UTF-8 text without control characters
(tab and the GS1 group separator ``\\x1d`` are allowed) and no longer than
``max_length`` characters. Stray CR/LF around a code (a scanner sending CR LF
when CR is configured) is ignored, and so are empty lines. A line that runs
past ``max_length`` without a terminator is rejected once and skipped up to
the next terminator, so a scanner stuck sending garbage cannot grow memory.
"""

from __future__ import annotations

import unicodedata

from hal import problems as P
from hal.events import Scanned, ScanRejected

_ALLOWED_CONTROLS = {"\t", "\x1d"}


def _reason_to_reject(text: str, max_length: int) -> str | None:
    if len(text) > max_length:
        return P.TOO_LONG.format(limit=max_length)
    for char in text:
        if char not in _ALLOWED_CONTROLS and unicodedata.category(char).startswith("C"):
            return P.CONTROL_CHARACTER.format(char=repr(char))
    return None


class ScanLineAssembler:
    """Feed bytes in, get :class:`Scanned` / :class:`ScanRejected` events out."""

    def __init__(self, scanner: str, *, terminator: bytes, max_length: int) -> None:
        if not terminator:
            raise ValueError("a scanner needs a terminator")
        self.scanner = scanner
        self.terminator = terminator
        self.max_length = max_length
        self._buffer = bytearray()
        self._skipping = False

    def feed(self, data: bytes, at: float) -> list[Scanned | ScanRejected]:
        """Add received bytes; returns the lines completed by them."""
        events: list[Scanned | ScanRejected] = []
        self._buffer.extend(data)
        while True:
            end = self._buffer.find(self.terminator)
            if end < 0:
                break
            line = bytes(self._buffer[:end])
            del self._buffer[: end + len(self.terminator)]
            if self._skipping:
                self._skipping = False
                continue
            event = self.line(line, at)
            if event is not None:
                events.append(event)
        # Bytes per character are at most 4 in UTF-8; allow for stray CR/LF too.
        if not self._skipping and len(self._buffer) > 4 * self.max_length + 2:
            self._buffer.clear()
            self._skipping = True
            events.append(self._rejected(P.TOO_LONG.format(limit=self.max_length), at))
        elif self._skipping:
            self._buffer.clear()
        return events

    def line(self, raw: bytes, at: float) -> Scanned | ScanRejected | None:
        """Judge one complete line (without its terminator); None for an empty line."""
        raw = raw.strip(b"\r\n")
        if not raw:
            return None
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            return self._rejected(P.NOT_TEXT.format(count=len(raw)), at)
        reason = _reason_to_reject(text, self.max_length)
        if reason is not None:
            return self._rejected(reason, at)
        return Scanned(scanner=self.scanner, text=text, at=at)

    def _rejected(self, reason: str, at: float) -> ScanRejected:
        return ScanRejected(scanner=self.scanner, reason=reason, at=at)

    def reset(self) -> None:
        """Forget a partial line (after the scanner was unplugged)."""
        self._buffer.clear()
        self._skipping = False
