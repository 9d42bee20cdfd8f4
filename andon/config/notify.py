"""The notifier file (``kind = "notify"``): who gets which alert, through which channel.

A notifier routes escalations of andon calls to people. ``[[channels]]`` are
Apprise services (e-mail, chat, push, SMS gateways) whose URLs, which carry
credentials, live in a file or an environment variable, never in this file.
``[[contacts]]`` say which shifts a person of the plant works and their address
on each channel; ``[[routes]]`` say which calls (type, line, escalation level,
role, shift) go to which channels; ``[[shift_reports]]`` which shift-end reports
go to whom.

:func:`load_notify` reads such a file and its plant file and reports every
problem at once, with the file, the key path and what was expected.
"""

from __future__ import annotations

import ipaddress
import re
from pathlib import Path
from typing import Any, Literal

from pydantic import Field, ValidationInfo, field_validator, model_validator
from pydantic_core import PydanticCustomError

from andon.config import wording as W
from andon.config.base import ConfigModel
from andon.config.errors import (
    Problems,
    describe_value,
)
from andon.config.fields import Code, ConfigPath, Identifier, SchemaVersion, Text
from andon.config.language import Language
from andon.config.plant import PlantFile, PlantMember
from andon.config.shift_report import ShiftReportConfig, check_shift_reports
from andon.i18n.catalog import Translator

OFF_SHIFT = "off_shift"
"""The shift name that means "no shift of the calendar is running"."""

QUEUE_DIR = Path("/var/lib/andon")

SendTo = Literal["people", "group"]
AckStyle = Literal["link", "code", "both", "none"]
Interrupted = Literal["resend", "report"]

_ENV_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


def _inline_secret(value: Any) -> None:
    raise PydanticCustomError(
        "inline_secret",
        W.INLINE_URL,
    )


class ChannelConfig(ConfigModel):
    """One Apprise service (``[[channels]]``) and how alerts are paced through it."""

    id: Identifier
    label: Text | None = None
    urls_file: ConfigPath | None = None
    """A file holding the channel's Apprise URL (``#`` comments and blank lines ignored)."""
    url_env: str | None = None
    """An environment variable holding the channel's Apprise URL."""
    url: None = Field(default=None, exclude=True, repr=False)
    """Rejected when present: URLs carry secrets."""
    urls: None = Field(default=None, exclude=True, repr=False)
    """Rejected when present: URLs carry secrets."""
    send_to: SendTo = "people"
    """``people``: one alert per person on duty (the URL holds ``{to}``); ``group``: one
    alert to the channel itself (a chat room, a shared pager), naming who is on duty."""
    ack: AckStyle = "both"
    """How the alert offers to acknowledge: an action link, a reply code, both, or none."""
    language: Language | None = None
    """What this channel's group alerts speak (``send_to = "group"``); personal alerts speak
    their recipient's language. Default: the plant's ``[site] language``."""
    rate_per_minute: float = Field(default=30, gt=0)
    """Alerts sent through this channel per minute, on average."""
    burst: int = Field(default=5, ge=1)
    """Alerts that may go out back to back before ``rate_per_minute`` applies."""
    attempts: int = Field(default=5, ge=1, le=100)
    """Tries per alert before it is reported failed."""
    backoff_s: float = Field(default=10, gt=0)
    """Wait after the first failed try; it doubles after each further failure."""
    max_backoff_s: float = Field(default=600, gt=0)
    interrupted: Interrupted = "resend"
    """An alert whose sending a crash interrupted: send it again after the restart
    (``resend``: never lost, rarely twice) or report it failed (``report``: never twice)."""

    _no_url = field_validator("url", "urls", mode="before")(_inline_secret)

    @field_validator("url_env", mode="after")
    @classmethod
    def _env_name(cls, value: str | None) -> str | None:
        if value is not None and not _ENV_NAME.match(value):
            raise PydanticCustomError(
                "env_name",
                W.ENV_NAME.format(got=describe_value(value)),
            )
        return value

    @model_validator(mode="after")
    def _one_source(self) -> ChannelConfig:
        problems = Problems()
        if (self.urls_file is None) == (self.url_env is None):
            problems.add(
                (),
                W.ONE_SOURCE,
            )
        if self.max_backoff_s < self.backoff_s:
            problems.add(
                ("max_backoff_s",),
                W.AT_LEAST_BACKOFF.format(
                    backoff=f"{self.backoff_s:g}", got=f"{self.max_backoff_s:g}"
                ),
            )
        problems.raise_if_any()
        return self

    @property
    def title(self) -> str:
        return self.label or self.id


class ContactConfig(ConfigModel):
    """A person of the plant file (``[[contacts]]``): shifts worked and addresses."""

    badge: Code
    """The person's badge in the plant file's ``[[people]]``: name and role come from there."""
    shifts: list[str] | None = Field(default=None, min_length=1)
    """Shifts this person works (``off_shift``: also reachable when no shift runs);
    default: every shift of the calendar."""
    addresses: dict[Identifier, Text] = Field(default_factory=dict)
    """Channel id to this person's address on it (e-mail address, push topic, phone)."""
    language: Language | None = None
    """What this person's alerts speak; default: the person's ``language`` in the plant
    file's ``[[people]]``, else the plant's ``[site] language``."""


class RouteConfig(ConfigModel):
    """Which escalations go to which channels (``[[routes]]``); left out means any."""

    name: Text | None = None
    call_types: list[Identifier] | None = Field(default=None, min_length=1)
    lines: list[Identifier] | None = Field(default=None, min_length=1)
    levels: list[int] | None = Field(default=None, min_length=1)
    roles: list[Identifier] | None = Field(default=None, min_length=1)
    """Only these of the roles the escalation level names; default: all of them."""
    shifts: list[str] | None = Field(default=None, min_length=1)
    """Only while one of these shifts runs (``off_shift``: while none does)."""
    channels: list[Identifier] = Field(min_length=1)

    @field_validator("levels", mode="after")
    @classmethod
    def _levels_in_range(cls, levels: list[int] | None) -> list[int] | None:
        problems = Problems()
        for index, level in enumerate(levels or []):
            if not 1 <= level <= 9:
                problems.add((index,), W.ESCALATION_LEVEL.format(got=level))
        problems.raise_if_any()
        return levels

    def label(self, index: int) -> str:
        return self.name or f"routes[{index}]"


def _parse_listen(value: str) -> tuple[str, int]:
    host, sep, port_text = value.rpartition(":")
    host = host.strip("[]")
    if not sep or not host or not port_text.isdigit() or not 0 <= int(port_text) <= 65535:
        raise ValueError(value)
    return host, int(port_text)


def is_loopback(host: str) -> bool:
    """True for ``localhost`` and loopback addresses."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


class NotifyFile(PlantMember):
    """A notifier: its channels, contacts and routes, and its acknowledge endpoint."""

    kind: Literal["notify"]
    schema_version: SchemaVersion
    id: Identifier
    """Names the notifier on MQTT: ``<prefix>/<site>/_notifiers/<id>/…``."""
    name: Text | None = None
    queue: ConfigPath | None = None
    """The SQLite file of the alert queue; default ``/var/lib/andon/notify-<id>.sqlite``."""
    ack_listen: str | None = None
    """``host:port`` of the acknowledge endpoint (e.g. ``127.0.0.1:8090``; port 0: any free
    port, for tests); default: no endpoint."""
    ack_allow_remote: bool = False
    """Allow a non-loopback ``ack_listen`` (prefer a TLS reverse proxy in front of loopback)."""
    ack_url: str | None = None
    """The endpoint's address as phones reach it (default ``http://<ack_listen>``)."""
    web_url: str | None = None
    """The web view's address (``andon web``, docs/web.md), e.g. ``https://andon.plant``:
    an alert's link opens the call's page there, where the person signs in and
    acknowledges or resolves it; the reply code still goes to the endpoint."""
    ack_wait_s: float = Field(default=5, gt=0, le=60)
    """How long the acknowledge page waits for the station's answer."""
    channels: list[ChannelConfig] = Field(min_length=1)
    contacts: list[ContactConfig] = Field(default_factory=list)
    routes: list[RouteConfig] = Field(min_length=1)
    shift_reports: list[ShiftReportConfig] = Field(default_factory=list)
    """Reports sent after each shift end (:mod:`andon.config.shift_report`)."""

    @field_validator("ack_listen", mode="after")
    @classmethod
    def _listen_form(cls, value: str | None) -> str | None:
        if value is not None:
            try:
                _parse_listen(value)
            except ValueError:
                raise PydanticCustomError(
                    "listen", W.LISTEN, {"example": "127.0.0.1:8090", "got": describe_value(value)}
                ) from None
        return value

    @field_validator("ack_url", "web_url", mode="after")
    @classmethod
    def _url_form(cls, value: str | None) -> str | None:
        if value is not None and not re.match(r"^https?://[^\s/]+(/\S*)?$", value):
            raise PydanticCustomError(
                "ack_url",
                W.HTTP_ADDRESS,
                {"example": "https://andon.example/notify", "got": describe_value(value)},
            )
        return value

    @model_validator(mode="after")
    def _references_fit(self, info: ValidationInfo) -> NotifyFile:
        plant = self._attach_plant(info)
        problems = Problems()
        if self.ack_listen is not None:
            host, _ = _parse_listen(self.ack_listen)
            if not self.ack_allow_remote and not is_loopback(host):
                problems.add(
                    ("ack_listen",),
                    W.LOOPBACK.format(got=describe_value(self.ack_listen)),
                )
        elif self.ack_url is not None:
            problems.add(("ack_url",), W.ACK_URL)
        channels = _check_channels(self.channels, problems)
        _check_contacts(self.contacts, channels, plant, problems)
        _check_routes(self.routes, channels, plant, problems)
        check_shift_reports(
            self.shift_reports,
            {c.id: c.send_to for c in self.channels},
            {c.badge: dict(c.addresses) for c in self.contacts},
            plant,
            problems,
        )
        problems.raise_if_any()
        return self

    # -- look-ups -----------------------------------------------------------------

    @property
    def title(self) -> str:
        return self.name or self.id

    @property
    def queue_path(self) -> Path:
        """The alert queue file, with the default filled in."""
        return self.queue or QUEUE_DIR / f"notify-{self.id}.sqlite"

    def listen_address(self) -> tuple[str, int] | None:
        """``(host, port)`` of the acknowledge endpoint, or None without one."""
        return None if self.ack_listen is None else _parse_listen(self.ack_listen)

    def channel(self, channel_id: str) -> ChannelConfig:
        """The channel with ``channel_id`` (``KeyError`` if there is none)."""
        for channel in self.channels:
            if channel.id == channel_id:
                return channel
        raise KeyError(channel_id)

    def language_for(self, badge: str, channel_id: str) -> str:
        """The language of an alert to ``badge`` (``""``: a group alert) on ``channel_id``.

        A person's: the contact's ``language``, else the person's in the plant file;
        a group channel's: its ``language``; else the plant's ``[site] language``.
        """
        plant = self.plant_config
        if badge:
            contact = next((c for c in self.contacts if c.badge == badge), None)
            person = plant.person(badge)
            for chosen in (contact and contact.language, person and person.language):
                if chosen:
                    return chosen
        else:
            channel = next((c for c in self.channels if c.id == channel_id), None)
            if channel is not None and channel.language:
                return channel.language
        return plant.site.language

    def summary(self, tr: Translator | None = None) -> str:
        """What the file holds, in ``tr``'s language (English without one)."""
        return W.summary(
            [
                self.id,
                W.counted(len(self.channels), "channel", tr),
                W.counted(len(self.contacts), "contact", tr),
                W.counted(len(self.routes), "route", tr),
            ],
            tr,
        )


def _check_channels(channels: list[ChannelConfig], problems: Problems) -> dict[str, ChannelConfig]:
    found: dict[str, ChannelConfig] = {}
    for index, channel in enumerate(channels):
        if channel.id in found:
            problems.add(
                ("channels", index, "id"),
                W.CHANNEL_UNIQUE.format(got=describe_value(channel.id)),
            )
        found.setdefault(channel.id, channel)
    return found


def _shift_names(plant: PlantFile | None) -> list[str] | None:
    return None if plant is None else [shift.name for shift in plant.calendar.shifts]


def _check_shifts(
    shifts: list[str] | None, where: tuple[str | int, ...], plant: PlantFile | None, p: Problems
) -> None:
    known = _shift_names(plant)
    for index, name in enumerate(shifts or []):
        if known is not None and name not in known and name != OFF_SHIFT:
            shifts = ", ".join(known)
            got = describe_value(name)
            p.add((*where, index), W.SHIFT_OR_OFF.format(shifts=shifts, off=OFF_SHIFT, got=got))


def _check_contacts(
    contacts: list[ContactConfig],
    channels: dict[str, ChannelConfig],
    plant: PlantFile | None,
    problems: Problems,
) -> None:
    seen: dict[str, int] = {}
    for index, contact in enumerate(contacts):
        where = ("contacts", index)
        if contact.badge in seen:
            problems.add(
                (*where, "badge"),
                W.PERSON_ONCE.format(got=describe_value(contact.badge), first=seen[contact.badge]),
            )
        seen.setdefault(contact.badge, index)
        if plant is not None and plant.person(contact.badge) is None:
            problems.add(
                (*where, "badge"),
                W.BADGE_OF_PERSON.format(got=describe_value(contact.badge)),
            )
        _check_shifts(contact.shifts, (*where, "shifts"), plant, problems)
        for channel_id in contact.addresses:
            channel = channels.get(channel_id)
            if channel is None:
                problems.add(
                    (*where, "addresses", channel_id),
                    W.channel_unknown(channels, describe_value(channel_id)),
                )
            elif channel.send_to != "people":
                problems.add(
                    (*where, "addresses", channel_id),
                    W.ADDRESS_FOR_PEOPLE.format(channel=channel_id),
                )


def _check_routes(
    routes: list[RouteConfig],
    channels: dict[str, ChannelConfig],
    plant: PlantFile | None,
    problems: Problems,
) -> None:
    for index, route in enumerate(routes):
        where = ("routes", index)
        for at, channel_id in enumerate(route.channels):
            if channel_id not in channels:
                problems.add(
                    (*where, "channels", at),
                    W.channel_unknown(channels, describe_value(channel_id)),
                )
        _check_shifts(route.shifts, (*where, "shifts"), plant, problems)
        if plant is None:
            continue
        known: list[tuple[str, list[str] | None, list[str]]] = [
            ("call_types", route.call_types, sorted(plant.call_types)),
            ("lines", route.lines, [line.id for line in plant.lines]),
            ("roles", route.roles, sorted(plant.roles)),
        ]
        for key, values, allowed in known:
            for at, value in enumerate(values or []):
                if value not in allowed:
                    problems.add(
                        (*where, key, at),
                        W.PLANT_ONE_OF[key].format(
                            allowed=", ".join(allowed), got=describe_value(value)
                        ),
                    )
