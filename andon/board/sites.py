"""Every site at the enterprise broker, for the enterprise overview: rows per site, area, line.

:class:`SitesModel` takes the retained ``state`` and ``status`` of every
station under the enterprise prefix (``<enterprise>/<site>/<area>/<line>/<station>/…``)
and each site's bridge status (``<enterprise>/<site>/_bridges/enterprise/status``,
``1`` connected, ``0`` its Last Will: the WAN is down). :meth:`SitesModel.rows`
groups the stations a :class:`Selection` covers by the next level down: one row per
site, per area of a site, per line of an area, per station of a line; that is the
site / area / line picker. A malformed payload is counted and logged, never raised.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass, field
from datetime import datetime

from andon.bus.messages import MessageError, decode, parse_state
from andon.bus.topics import parse

log = logging.getLogger(__name__)

BRIDGE_STATUS = "_bridges/enterprise/status"
LEVELS = ("site", "area", "line", "station")


@dataclass(frozen=True)
class Selection:
    """Where the picker stands: nothing (every site), a site, an area of it, a line of that."""

    site: str | None = None
    area: str | None = None
    line: str | None = None

    @property
    def level(self) -> str:
        """What one row is at this selection: ``site``, ``area``, ``line`` or ``station``."""
        return LEVELS[sum(1 for v in (self.site, self.area, self.line) if v is not None)]

    def down(self, key: str) -> Selection:
        """The selection one level down, into the row ``key``."""
        if self.site is None:
            return Selection(key)
        if self.area is None:
            return Selection(self.site, key)
        if self.line is None:
            return Selection(self.site, self.area, key)
        return self

    def up(self) -> Selection:
        if self.line is not None:
            return Selection(self.site, self.area)
        if self.area is not None:
            return Selection(self.site)
        return Selection()

    def covers(self, path: tuple[str, str, str, str]) -> bool:
        wanted = (self.site, self.area, self.line)
        return all(w is None or w == p for w, p in zip(wanted, path, strict=False))


@dataclass
class StationSeen:
    """What the enterprise broker last said about one station."""

    online: bool | None = None
    good: int = 0
    planned: float = 0.0
    open_calls: int = 0
    at: str = ""


@dataclass(frozen=True)
class SiteRow:
    """One row of the overview: a site, an area, a line or a station, added up."""

    key: str
    stations: int
    online: int
    good: int
    planned: float
    open_calls: int
    wan: bool | None
    """The site's bridge (site rows only; None: not heard, or not a site row)."""


@dataclass
class SitesModel:
    """The enterprise's stations as the enterprise broker shows them."""

    prefix: str
    stations: dict[tuple[str, str, str, str], StationSeen] = field(default_factory=dict)
    bridges: dict[str, bool] = field(default_factory=dict)
    rejected: int = 0
    updated_at: datetime | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def ingest(self, topic: str, payload: bytes, now: datetime) -> bool:
        """Take one message; False when it was not for this model or was malformed."""
        levels = topic.split("/")
        if levels[0] != self.prefix:
            return False
        if len(levels) == 5 and "/".join(levels[2:]) == BRIDGE_STATUS:
            if payload not in (b"0", b"1"):
                return self._reject(topic, "expected 0 or 1")
            with self._lock:
                self.bridges[levels[1]] = payload == b"1"
                self.updated_at = now
            return True
        try:
            address, channel = parse(topic, self.prefix)
            if channel == "state":
                state = parse_state(payload)
            elif channel == "status":
                status = decode(payload)
                if not isinstance(status.get("online"), bool):
                    raise MessageError("status.online: expected true or false")
            else:
                return False
        except (ValueError, MessageError) as exc:
            return self._reject(topic, str(exc))
        key = (address.site, address.area, address.line, address.station)
        with self._lock:
            seen = self.stations.setdefault(key, StationSeen())
            if channel == "state":
                seen.good = state["good"]
                seen.planned = float(state["planned"])
                seen.open_calls = len(state["open_calls"])
                seen.at = state["at"]
            else:
                seen.online = status["online"]
            self.updated_at = now
        return True

    def _reject(self, topic: str, why: str) -> bool:
        self.rejected += 1
        log.warning("enterprise overview: rejected payload on %s: %s", topic, why)
        return False

    def sites(self) -> list[str]:
        with self._lock:
            return sorted({k[0] for k in self.stations} | set(self.bridges))

    def rows(self, selection: Selection) -> list[SiteRow]:
        """The rows at ``selection``: its stations grouped by the next level, in name order."""
        depth = LEVELS.index(selection.level)
        groups: dict[str, list[StationSeen]] = {}
        with self._lock:
            if selection.level == "site":
                groups = {site: [] for site in self.bridges}
            for path, seen in self.stations.items():
                if selection.covers(path):
                    groups.setdefault(path[depth], []).append(seen)
            bridges = dict(self.bridges)
        return [
            SiteRow(
                key=key,
                stations=len(members),
                online=sum(1 for s in members if s.online),
                good=sum(s.good for s in members),
                planned=sum(s.planned for s in members),
                open_calls=sum(s.open_calls for s in members),
                wan=bridges.get(key) if selection.level == "site" else None,
            )
            for key, members in sorted(groups.items())
        ]
