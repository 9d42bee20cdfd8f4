"""MQTT topics: the ISA-95 hierarchy of a Unified Namespace.

A station publishes under ``<prefix>/<site>/<area>/<line>/<station>/``:

=================  ====  ======  ==============================================
channel            QoS   retain  what
=================  ====  ======  ==============================================
``state``          1     yes     snapshot of the station (pace, counts, calls)
``status``         1     yes     online/offline; the Last Will says offline
``events``         1     no      the event stream (seq + id, consumers dedupe)
``cmd/<name>``     1     no      commands to the station (acknowledge, …)
``reply``          1     no      the station's answer to each command
=================  ====  ======  ==============================================

Boards, notifiers and store boards announce themselves under
``<prefix>/<site>/_<kind>s/<name>/status`` (e.g. ``andon/plant1/_boards/tv1/status``),
retained, with a Last Will. Segments starting with ``_`` are reserved for them, so
the area of a station never starts with ``_``.

Subscribers use :class:`StationFilter`: ``None`` levels become ``+``.
``StationFilter(prefix).events()`` is every station's event stream,
``address.line_filter().state()`` every state snapshot of one line. The filter
``any_channel()`` (``…/+``) matches state, status, events and reply of the
selected stations and never a consumer's status (those are one level shorter).
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Literal

STATE = "state"
STATUS = "status"
EVENTS = "events"
REPLY = "reply"
CMD = "cmd"
STATION_CHANNELS = frozenset({STATE, STATUS, EVENTS, REPLY})
"""Channels that are a single topic level (``cmd`` has a second level: the command)."""

ConsumerKind = Literal["board", "notifier", "store", "historian"]
CONSUMER_KINDS: tuple[ConsumerKind, ...] = ("board", "notifier", "store", "historian")


@dataclass(frozen=True)
class ChannelPolicy:
    """How messages of one channel are published."""

    qos: int
    retain: bool


_POLICIES = {
    STATE: ChannelPolicy(qos=1, retain=True),
    STATUS: ChannelPolicy(qos=1, retain=True),
    EVENTS: ChannelPolicy(qos=1, retain=False),
    REPLY: ChannelPolicy(qos=1, retain=False),
    CMD: ChannelPolicy(qos=1, retain=False),
}


def policy(channel: str) -> ChannelPolicy:
    """QoS and retain flag of a channel (``"cmd/<name>"`` or ``"cmd"`` for commands)."""
    key = CMD if channel == CMD or channel.startswith(CMD + "/") else channel
    try:
        return _POLICIES[key]
    except KeyError:
        raise ValueError(f"unknown channel {channel!r}") from None


def check_segment(value: str, what: str = "segment") -> str:
    """A topic level: non-empty, without ``/``, ``+``, ``#`` or NUL; returns it unchanged."""
    if not isinstance(value, str) or not value:
        raise ValueError(f"{what}: expected a non-empty topic level, got {value!r}")
    bad = sorted({c for c in value if c in "/+#\0"})
    if bad:
        raise ValueError(f"{what}: {value!r} must not contain {' '.join(bad)!s}")
    if value.startswith("$"):
        raise ValueError(f"{what}: {value!r} must not start with '$' (broker-reserved)")
    return value


def _check_station_segment(value: str, what: str) -> str:
    check_segment(value, what)
    if value.startswith("_"):
        raise ValueError(f"{what}: {value!r} must not start with '_' (reserved for consumers)")
    return value


@dataclass(frozen=True)
class StationAddress:
    """Where one station lives in the namespace."""

    prefix: str
    site: str
    area: str
    line: str
    station: str

    def __post_init__(self) -> None:
        check_segment(self.prefix, "prefix")
        for f in fields(self)[1:]:
            _check_station_segment(getattr(self, f.name), f.name)

    @classmethod
    def from_path(cls, path: str, prefix: str = "andon") -> StationAddress:
        """From ``"site/area/line/station"`` (the form of :attr:`path`)."""
        parts = path.split("/")
        if len(parts) != 4:
            raise ValueError(f"expected 'site/area/line/station', got {path!r}")
        return cls(prefix, *parts)

    @property
    def path(self) -> str:
        """``site/area/line/station``: the station's identity, without the prefix."""
        return f"{self.site}/{self.area}/{self.line}/{self.station}"

    @property
    def base(self) -> str:
        """``prefix/site/area/line/station``: the parent of every channel."""
        return f"{self.prefix}/{self.path}"

    def state(self) -> str:
        return f"{self.base}/{STATE}"

    def status(self) -> str:
        return f"{self.base}/{STATUS}"

    def events(self) -> str:
        return f"{self.base}/{EVENTS}"

    def reply(self) -> str:
        return f"{self.base}/{REPLY}"

    def cmd(self, name: str) -> str:
        """The topic of one command; ``cmd("+")`` subscribes to all of them."""
        if name != "+":
            check_segment(name, "command")
        return f"{self.base}/{CMD}/{name}"

    def line_filter(self) -> StationFilter:
        """All stations of this station's line."""
        return StationFilter(self.prefix, self.site, self.area, self.line)

    def area_filter(self) -> StationFilter:
        """All stations of this station's area."""
        return StationFilter(self.prefix, self.site, self.area)


@dataclass(frozen=True)
class StationFilter:
    """A subscription over many stations; ``None`` levels match any value."""

    prefix: str
    site: str | None = None
    area: str | None = None
    line: str | None = None
    station: str | None = None

    def __post_init__(self) -> None:
        check_segment(self.prefix, "prefix")
        for f in fields(self)[1:]:
            value = getattr(self, f.name)
            if value is not None:
                _check_station_segment(value, f.name)

    @property
    def base(self) -> str:
        levels = (self.site, self.area, self.line, self.station)
        return "/".join([self.prefix, *(level or "+" for level in levels)])

    def state(self) -> str:
        return f"{self.base}/{STATE}"

    def status(self) -> str:
        return f"{self.base}/{STATUS}"

    def events(self) -> str:
        return f"{self.base}/{EVENTS}"

    def reply(self) -> str:
        return f"{self.base}/{REPLY}"

    def cmd(self, name: str = "+") -> str:
        if name != "+":
            check_segment(name, "command")
        return f"{self.base}/{CMD}/{name}"

    def any_channel(self) -> str:
        """State, status, events and reply (not commands) of the selected stations."""
        return f"{self.base}/+"


@dataclass(frozen=True)
class ConsumerAddress:
    """A board, notifier or store board: ``<prefix>/<site>/_<kind>s/<name>/status``."""

    prefix: str
    site: str
    kind: ConsumerKind
    name: str

    def __post_init__(self) -> None:
        check_segment(self.prefix, "prefix")
        _check_station_segment(self.site, "site")
        if self.kind not in CONSUMER_KINDS:
            raise ValueError(
                f"kind: expected one of {', '.join(CONSUMER_KINDS)}, got {self.kind!r}"
            )
        check_segment(self.name, "name")

    @property
    def base(self) -> str:
        return f"{self.prefix}/{self.site}/_{self.kind}s/{self.name}"

    def status(self) -> str:
        """Retained online/offline of this consumer (Last Will: offline)."""
        return f"{self.base}/{STATUS}"

    @staticmethod
    def status_filter(
        prefix: str, site: str | None = None, kind: ConsumerKind | None = None
    ) -> str:
        """The status of every consumer (of a site, of a kind)."""
        kind_level = f"_{kind}s" if kind else "+"
        return f"{prefix}/{site or '+'}/{kind_level}/+/{STATUS}"


def parse(topic: str, prefix: str | None = None) -> tuple[StationAddress, str]:
    """Split a station topic into its address and channel (``"events"``, ``"cmd/ack"`` …).

    Raises :class:`ValueError` for anything that is not a station topic of this
    namespace: a foreign prefix, a consumer's topic, a wrong depth, an unknown channel.
    """
    levels = topic.split("/")
    if prefix is not None and levels[0] != prefix:
        raise ValueError(f"not an andon topic (prefix {prefix!r}): {topic!r}")
    if len(levels) == 6 and levels[5] in STATION_CHANNELS:
        channel = levels[5]
    elif len(levels) == 7 and levels[5] == CMD:
        channel = f"{CMD}/{check_segment(levels[6], 'command')}"
    else:
        raise ValueError(
            "not a station topic: expected <prefix>/<site>/<area>/<line>/<station>/"
            f"<state|status|events|reply|cmd/NAME>, got {topic!r}"
        )
    try:
        address = StationAddress(*levels[:5])
    except ValueError as exc:
        raise ValueError(f"not a station topic: {topic!r}: {exc}") from None
    return address, channel


class TopicAddresses:
    """Station topics parsed once each: ``addresses(topic)`` is :func:`parse`'s address.

    Consumers meet the same few thousand topics over and over; topics come from the
    network, so at most ``kept`` are remembered (the rest are parsed every time)."""

    def __init__(self, kept: int = 50_000) -> None:
        self.kept = kept
        self._known: dict[str, StationAddress] = {}

    def __call__(self, topic: str) -> StationAddress:
        """The topic's station address (``ValueError`` as :func:`parse` raises it)."""
        address = self._known.get(topic)
        if address is None:
            address, _ = parse(topic)
            if len(self._known) < self.kept:
                self._known[topic] = address
        return address
