"""Who gets an escalation, on which channel: routes, roles, and who is on duty now.

A route matches an escalation by call type, line, level and the shift running
at the escalation's instant (from the plant calendar; ``off_shift`` when none
runs). The roles it reaches are the level's roles, narrowed by the route's
``roles``. People are on duty when a contact of theirs lists that shift (or
lists no shifts at all: every shift). Several routes reaching the same person
on the same channel give one alert.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from andon.config.notify import OFF_SHIFT, ContactConfig, NotifyFile
from andon.config.plant import PlantFile
from andon.domain.calendar import Calendar
from andon.notify.calls import Escalation
from andon.notify.outcomes import NOBODY_IN_SHIFT, NOBODY_OFF_SHIFT, ROLE_SEPARATOR


@dataclass(frozen=True)
class Person:
    """A contact with the name and role the plant file gives them."""

    badge: str
    name: str
    role: str
    contact: ContactConfig

    def works(self, shift: str) -> bool:
        if self.contact.shifts is None:
            return shift != OFF_SHIFT
        return shift in self.contact.shifts


@dataclass(frozen=True)
class Target:
    """One alert to send: to a person on a channel, or to a group channel (``person`` None)."""

    channel: str
    person: Person | None
    on_duty: tuple[str, ...]
    shift: str

    @property
    def address(self) -> str:
        return "" if self.person is None else self.person.contact.addresses.get(self.channel, "")


@dataclass(frozen=True)
class Unreachable:
    """A routed channel with nobody on duty to send to."""

    channel: str
    shift: str
    detail: str


class Router:
    """Routes escalations by the notifier file and the plant's people and calendar."""

    def __init__(self, config: NotifyFile, plant: PlantFile, calendar: Calendar | None = None):
        self.config = config
        self.plant = plant
        self.calendar = calendar or plant.domain_calendar()
        self.people: list[Person] = []
        for contact in config.contacts:
            person = plant.person(contact.badge)
            if person is not None:
                self.people.append(Person(contact.badge, person.name, person.role, contact))

    def shift_at(self, at: datetime) -> str:
        """The name of the shift running at ``at``, or ``off_shift``."""
        window = self.calendar.shift_at(at)
        return OFF_SHIFT if window is None else window.shift.name

    def roles_by_channel(self, escalation: Escalation, shift: str) -> dict[str, list[str]]:
        """Channel id to the roles routed to it, in the order routes and levels name them."""
        call = escalation.call
        reached: dict[str, list[str]] = {}
        for route in self.config.routes:
            if route.call_types is not None and call.call_type not in route.call_types:
                continue
            if route.lines is not None and call.line not in route.lines:
                continue
            if route.levels is not None and escalation.level not in route.levels:
                continue
            if route.shifts is not None and shift not in route.shifts:
                continue
            roles = [r for r in escalation.roles if route.roles is None or r in route.roles]
            if not roles:
                continue
            for channel in route.channels:
                known = reached.setdefault(channel, [])
                known.extend(r for r in roles if r not in known)
        return reached

    def route(self, escalation: Escalation) -> tuple[list[Target], list[Unreachable]]:
        """The alerts an escalation gives, and the routed channels nobody can be reached on."""
        shift = self.shift_at(escalation.at)
        targets: list[Target] = []
        unreachable: list[Unreachable] = []
        for channel_id, roles in self.roles_by_channel(escalation, shift).items():
            channel = self.config.channel(channel_id)
            on_duty = [p for p in self.people if p.role in roles and p.works(shift)]
            names = tuple(p.name for p in on_duty)
            if channel.send_to == "group":
                targets.append(Target(channel_id, None, names, shift))
                continue
            reachable = [p for p in on_duty if channel_id in p.contact.addresses]
            for person in reachable:
                targets.append(Target(channel_id, person, names, shift))
            if not reachable:
                labels = ROLE_SEPARATOR.join(self.plant.roles.get(r, r) for r in roles)
                unreachable.append(
                    Unreachable(
                        channel_id,
                        shift,
                        _nobody(shift, labels, channel.title),
                    )
                )
        return targets, unreachable


def _nobody(shift: str, roles: str, channel: str) -> str:
    """Why nobody was reached: no one on duty in ``shift`` in ``roles`` with an address."""
    if shift == OFF_SHIFT:
        return NOBODY_OFF_SHIFT.format(roles=roles, channel=channel)
    return NOBODY_IN_SHIFT.format(shift=shift, roles=roles, channel=channel)
