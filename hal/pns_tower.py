"""A PATLITE-compatible LAN tower as a lamp tower backend.

``show()`` returns at once; a small worker thread sends the newest state
and waits for the ACK, so a slow or absent tower never stalls the station.
The tower flashes and buzzes by itself. When a write fails, the error is
kept in :attr:`PnsLampTower.problem`, reported as a
:class:`~hal.events.DeviceStatus` event on the next ``tick()``, and the
newest state is sent again every ``retry_s`` until the tower answers.
"""

from __future__ import annotations

import logging
import threading
from collections import deque

from andon.config.hardware import PnsTower
from hal import problems as P
from hal.clock import Clock
from hal.events import DeviceStatus, EventSink
from hal.patterns import ALL_OFF, TowerState
from hal.pns import PnsClient, PnsError, write_frame
from hal.tower import check_colours

log = logging.getLogger(__name__)


class PnsLampTower:
    """Drives a PNS tower at ``config.host:config.port``."""

    def __init__(
        self,
        config: PnsTower,
        *,
        clock: Clock,
        sink: EventSink | None = None,
        name: str = "tower",
    ) -> None:
        self.config = config
        self.name = name
        self._clock = clock
        self._sink = sink
        self._client = PnsClient(config.host, config.port, timeout_s=config.timeout_s)
        self._state = ALL_OFF
        self._generation = 0
        self._done_generation = -1
        self.problem: str | None = None
        self._reports: deque[tuple[bool, str, float]] = deque()
        self._wake = threading.Condition()
        self._stopping = False
        self._thread = threading.Thread(target=self._run, name=f"pns-{name}", daemon=True)
        self._thread.start()

    @property
    def colours(self) -> tuple[str, ...]:
        return tuple(self.config.colours)

    @property
    def state(self) -> TowerState:
        return self._state

    @property
    def address(self) -> str:
        return self._client.address

    def show(self, state: TowerState) -> None:
        check_colours(state, self.colours)
        with self._wake:
            if state == self._state:
                return
            self._state = state
            self._generation += 1
            self._wake.notify_all()

    def wait_sent(self, timeout: float) -> bool:
        """Wait until the newest state was acknowledged or failed; True if acknowledged."""
        with self._wake:
            self._wake.wait_for(
                lambda: self._done_generation >= self._generation or self._stopping, timeout
            )
            return self._done_generation >= self._generation and self.problem is None

    def tick(self, now: float) -> None:
        """Report a lost or recovered tower (the tower does its own flashing)."""
        while self._reports:
            ok, detail, at = self._reports.popleft()
            if self._sink is not None:
                self._sink(DeviceStatus(device=self.name, ok=ok, detail=detail, at=at))

    def _run(self) -> None:
        while True:
            with self._wake:
                self._wake.wait_for(
                    lambda: self._stopping or self._generation > self._done_generation
                )
                if self._stopping:
                    return
                generation, state = self._generation, self._state
            ok = self._send(state)
            with self._wake:
                self._done_generation = generation
                self._wake.notify_all()
                if not ok:
                    self._pause_before_retry(generation)

    def _pause_before_retry(self, failed: int) -> None:
        """Wait ``retry_s`` (or for a newer state), then schedule the same state again."""
        self._wake.wait_for(
            lambda: self._stopping or self._generation > failed, self.config.retry_s
        )
        if not self._stopping and self._generation == failed:
            self._generation += 1

    def _send(self, state: TowerState) -> bool:
        try:
            self._client.send(write_frame(state, self.colours))
        except PnsError as exc:
            if self.problem != str(exc):
                log.warning("%s", exc)
                self._reports.append((False, str(exc), self._clock()))
            self.problem = str(exc)
            return False
        if self.problem is not None:
            self._reports.append((True, P.TOWER_AGAIN.format(address=self.address), self._clock()))
            self.problem = None
        return True

    def close(self) -> None:
        """Stop the worker, then switch the tower off (best effort); safe to call twice."""
        with self._wake:
            already = self._stopping
            self._stopping = True
            self._wake.notify_all()
        if already:
            return
        self._thread.join()
        if self.problem is None:
            try:
                self._client.send(write_frame(ALL_OFF, self.colours))
            except PnsError as exc:
                log.warning("could not switch the tower off: %s", exc)
        self._client.close()

    @property
    def closed(self) -> bool:
        return self._stopping and not self._thread.is_alive()

    def __repr__(self) -> str:
        return f"<PnsLampTower {self.address} {', '.join(self.colours)}>"
