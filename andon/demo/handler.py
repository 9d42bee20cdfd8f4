"""The demo's material handler: sees the store board's calls, delivers, scans the kanban.

Like a real handler, they watch the store board (its open calls, oldest first),
walk a full box to the line, and scan the box's supplier kanban on the store's
(simulated) scanner: the store board sends it to the station, which closes the
call. The station's operators then put the box in place (the bin sensor sees it
full again). Times are in plant seconds, on the demo's accelerated clock.
"""

from __future__ import annotations

import logging
import random
import threading
from collections.abc import Callable
from itertools import count

from andon.store.service import StoreBoard
from hal.sim_controller import SimController

log = logging.getLogger(__name__)

Delivered = Callable[[str, str], None]
"""Called with the station's path and the part once its kanban was booked."""


class MaterialHandler:
    """A thread playing the store's material handler on the store board's simulated scanner."""

    def __init__(
        self,
        store: StoreBoard,
        sim: SimController,
        *,
        plant_seconds: Callable[[], float],
        delivered: Delivered,
        deliver_s: tuple[float, float] = (120.0, 600.0),
        seed: int = 0,
    ) -> None:
        self.store = store
        self.sim = sim
        self.plant_seconds = plant_seconds
        self.delivered = delivered
        self.deliver_s = deliver_s
        self.random = random.Random(seed)
        self._cards = count(1)
        self._due: dict[str, float] = {}
        """Call id → when the box reaches the line."""
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="material-handler", daemon=True)

    def start(self) -> MaterialHandler:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=5)

    def _run(self) -> None:
        while not self._stop.wait(0.1):
            try:
                self._serve(self.plant_seconds())
            except Exception:
                log.exception("the simulated material handler stumbled")

    def _serve(self, now: float) -> None:
        calls = self.store.open_calls
        open_ids = {call.call_id for call in calls}
        for call_id in [c for c in self._due if c not in open_ids]:
            del self._due[call_id]
        for call in calls:  # oldest first, as the board lists them
            due = self._due.setdefault(call.call_id, now + self.random.uniform(*self.deliver_s))
            if now < due or not self.sim.ports:
                continue
            del self._due[call.call_id]
            card = f"{next(self._cards) % 10000:04d}"
            before = self.store.scans
            self.sim.scan(sorted(self.sim.ports)[0], f"KB:{call.part}:{card}")
            if self._wait_booked(before):
                self.delivered(call.station, call.part)
            return  # one box at a time

    def _wait_booked(self, scans_before: int, timeout_s: float = 10.0) -> bool:
        """Wait for the store's outcome of the scan: booked (the station took the kanban) or not."""
        waited = 0.0
        while waited < timeout_s and not self._stop.is_set():
            last = self.store.last_scan
            if self.store.scans > scans_before and last is not None:
                return last.booked
            self._stop.wait(0.05)
            waited += 0.05
        return False
