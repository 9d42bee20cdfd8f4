"""Which handlers a received topic goes to: topic-filter matching, checked names, a route cache."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from andon.bus.message import Message

Handler = Callable[["Message"], None]

MAX_ROUTES = 10_000
"""Topics whose matching handlers are remembered (a plant has far fewer)."""


def filter_matches(pattern: list[str], topic: list[str]) -> bool:
    """MQTT topic-filter matching on levels already split at ``/`` (``+``, ``#``, ``$``-topics).

    paho's own matcher builds a tree for every call, which costs a board with
    a hundred line filters about a millisecond per new topic.
    """
    if topic and topic[0].startswith("$") and pattern and pattern[0] in ("+", "#"):
        return False
    for index, level in enumerate(pattern):
        if level == "#":
            return True
        if index >= len(topic) or (level != "+" and level != topic[index]):
            return False
    return len(pattern) == len(topic)


def check_topic(topic: str) -> None:
    """Raise ``ValueError`` unless ``topic`` is a topic name one may publish to."""
    if not topic or "+" in topic or "#" in topic or "\0" in topic:
        raise ValueError(f"topic: expected a topic name without wildcards, got {topic!r}")


def check_filter(pattern: str) -> None:
    """Raise ``ValueError`` unless ``pattern`` is a valid MQTT topic filter."""
    levels = pattern.split("/") if pattern else []
    ok = bool(levels) and "\0" not in pattern
    for index, level in enumerate(levels):
        if ("+" in level and level != "+") or ("#" in level and level != "#"):
            ok = False
        if level == "#" and index != len(levels) - 1:
            ok = False
    if not ok:
        raise ValueError(f"pattern: expected a valid MQTT topic filter, got {pattern!r}")


@dataclass
class Subscription:
    """One topic filter: the highest QoS asked for it and its handlers."""

    qos: int
    handlers: list[Handler] = field(default_factory=list)


class Routes:
    """Subscriptions by filter, and for each topic seen the handlers it goes to.

    Not thread-safe on its own: the client holds its lock around every call.
    """

    def __init__(self) -> None:
        self.subscriptions: dict[str, Subscription] = {}
        self._cache: dict[str, list[Handler]] = {}
        self._index: dict[tuple[str, ...], list[tuple[str, list[str]]]] | None = None
        """Filters by their literal levels before the first wildcard."""

    def changed(self) -> None:
        """Forget what was worked out from the subscriptions (call after changing them)."""
        self._cache.clear()
        self._index = None

    def handlers(self, topic: str) -> list[Handler]:
        """The handlers of every subscription matching ``topic`` (remembered per topic)."""
        handlers = self._cache.get(topic)
        if handlers is None:
            handlers = self._match(topic)
            if len(self._cache) >= MAX_ROUTES:
                self._cache.clear()
            self._cache[topic] = handlers
        return handlers

    def _match(self, topic: str) -> list[Handler]:
        # A topic is compared only with the filters whose literal head it starts with.
        if self._index is None:
            self._index = {}
            for pattern in self.subscriptions:
                levels = pattern.split("/")
                literal = 0
                while literal < len(levels) and levels[literal] not in ("+", "#"):
                    literal += 1
                self._index.setdefault(tuple(levels[:literal]), []).append((pattern, levels))
        levels = topic.split("/")
        handlers: list[Handler] = []
        for depth in range(len(levels) + 1):
            for pattern, pattern_levels in self._index.get(tuple(levels[:depth]), ()):
                if filter_matches(pattern_levels, levels):
                    handlers.extend(self.subscriptions[pattern].handlers)
        return handlers
