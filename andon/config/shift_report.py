"""Shift-end reports of a notifier file (``[[shift_reports]]``): what, from where, to whom.

Each entry names the history database, the scope (the site, or one report per
listed line), the shifts it follows, the notifier's channels it goes out on and
the people it goes to: contacts listed by badge, and contacts whose plant role
is one of ``roles``. A channel with ``send_to = "group"`` gets one message.
"""

from __future__ import annotations

from pydantic import Field

from andon.config import wording as W
from andon.config.base import ConfigModel
from andon.config.errors import Problems, describe_value
from andon.config.fields import Code, Identifier, Text
from andon.config.plant import PlantFile

HISTORY_PREFIXES = ("sqlite:///", "postgresql://", "postgres://")


class ShiftReportConfig(ConfigModel):
    """One report sent after every shift end (``[[shift_reports]]``)."""

    name: Text | None = None
    history: Text
    """The history database's URL (``sqlite:///…`` or ``postgresql://…``, as for
    ``andon report``); a password belongs in ``.pgpass``, never here."""
    lines: list[Identifier] | None = Field(default=None, min_length=1)
    """One report per line listed; default: one report of the whole site."""
    shifts: list[str] | None = Field(default=None, min_length=1)
    """Only after these shifts; default: every shift of the calendar."""
    channels: list[Identifier] = Field(min_length=1)
    people: list[Code] = Field(default_factory=list)
    """Badges of contacts who get it on the channels that send to people."""
    roles: list[Identifier] = Field(default_factory=list)
    """Contacts whose plant role is one of these get it too."""
    delay_s: float = Field(default=300, ge=0, le=86_400)
    """How long after the shift's end it goes out (the last events reach the history)."""

    def label(self, index: int) -> str:
        return self.name or f"shift_reports[{index}]"


def check_shift_reports(
    reports: list[ShiftReportConfig],
    channels: dict[str, str],
    contacts: dict[str, dict[str, str]],
    plant: PlantFile | None,
    problems: Problems,
) -> None:
    """References of every report: channels (id → send_to), contacts (badge → addresses)."""
    for index, report in enumerate(reports):
        where = ("shift_reports", index)
        if not report.history.startswith(HISTORY_PREFIXES):
            problems.add(
                (*where, "history"),
                W.HISTORY_URL.format(got=describe_value(report.history)),
            )
        for at, channel_id in enumerate(report.channels):
            if channel_id not in channels:
                problems.add(
                    (*where, "channels", at),
                    W.channel_unknown(channels, describe_value(channel_id)),
                )
        for at, badge in enumerate(report.people):
            if badge not in contacts:
                problems.add(
                    (*where, "people", at),
                    W.BADGE_OF_CONTACT.format(
                        badges=", ".join(contacts), got=describe_value(badge)
                    ),
                )
        if plant is None:
            continue
        known = [
            ("lines", report.lines or [], [line.id for line in plant.lines]),
            ("roles", report.roles, sorted(plant.roles)),
            ("shifts", report.shifts or [], [s.name for s in plant.calendar.shifts]),
        ]
        for key, values, allowed in known:
            for at, value in enumerate(values):
                if value not in allowed:
                    problems.add(
                        (*where, key, at),
                        W.PLANT_ONE_OF[key].format(
                            allowed=", ".join(allowed), got=describe_value(value)
                        ),
                    )
        for at, channel_id in enumerate(report.channels):
            if channels.get(channel_id) != "people":
                continue
            if not any(channel_id in contacts.get(b, {}) for b in recipients(report, plant)):
                problems.add(
                    (*where, "channels", at),
                    W.NOBODY.format(channel=channel_id),
                )


def recipients(report: ShiftReportConfig, plant: PlantFile) -> list[str]:
    """The badges a report goes to: those listed, then those of the roles, each once."""
    badges = list(report.people)
    for person in plant.people:
        if person.role in report.roles and person.badge not in badges:
            badges.append(person.badge)
    return badges
