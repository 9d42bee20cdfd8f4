"""Where the messages of a topic go: a station topic of a shown line, or not."""

from __future__ import annotations

from dataclasses import dataclass

from andon.board.catalogue import BoardCatalogue
from andon.bus import topics

ROUTE_LIMIT = 50_000
"""Topics whose routing is remembered (a plant publishes on far fewer)."""


@dataclass(frozen=True)
class Route:
    """Where the messages of one topic go."""

    shown: bool
    """A station topic of a line this board shows (not a command)."""
    path: str = ""
    line: str = ""
    station: str = ""
    channel: str = ""
    error: str = ""
    """Why the topic is not a station topic of this namespace ("" when it is one)."""


class Router:
    """Routes topics for one board's catalogue, remembering each topic's route."""

    def __init__(self, catalogue: BoardCatalogue) -> None:
        self.catalogue = catalogue
        self._lines = {line.id for line in catalogue.lines}
        self._base = [catalogue.prefix, catalogue.site, catalogue.area]
        self._routable_lines = {line for line in self._lines if _valid_line(catalogue, line)}
        """Lines whose topics are routed without :func:`topics.parse` (valid address parts)."""
        self._routes: dict[str, Route] = {}

    def route(self, topic: str) -> Route:
        """Where a topic's messages go (remembered: a station publishes on a few topics)."""
        return self._routes.get(topic) or self._route(topic)

    def _route(self, topic: str) -> Route:
        """Work out (and remember) the route of a topic not seen yet."""
        levels = topic.split("/")
        if (
            len(levels) == 6
            and levels[:3] == self._base
            and levels[3] in self._routable_lines
            and levels[5] in topics.STATION_CHANNELS
            and _plain_segment(levels[4])
        ):
            # What topics.parse would say, without building and checking an address.
            route = Route(True, "/".join(levels[1:5]), levels[3], levels[4], levels[5])
        else:
            try:
                address, channel = topics.parse(topic, self.catalogue.prefix)
            except ValueError as exc:
                route = Route(False, error=str(exc))
            else:
                shown = (
                    address.site == self.catalogue.site
                    and address.area == self.catalogue.area
                    and address.line in self._lines
                    and not channel.startswith(topics.CMD)
                )
                route = Route(shown, address.path, address.line, address.station, channel)
        if len(self._routes) >= ROUTE_LIMIT:
            self._routes.clear()
        self._routes[topic] = route
        return route


def _valid_line(catalogue: BoardCatalogue, line: str) -> bool:
    try:
        topics.StationAddress(catalogue.prefix, catalogue.site, catalogue.area, line, "s")
    except ValueError:
        return False
    return True


def _plain_segment(level: str) -> bool:
    """A station level :class:`~andon.bus.topics.StationAddress` accepts as it is."""
    return (
        bool(level)
        and level[0] not in "$_"
        and "+" not in level
        and "#" not in level
        and "\0" not in level
    )
