"""The words of an alert: short enough for a phone's lock screen, complete enough to act on.

The title names the call type, the line and station, and the level; the body
says how long the call has been open, what the level waits for, whom it is for,
and how to acknowledge: an action link and/or a reply code where the channel
offers them, and always the badge at the station.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from andon.config.notify import AckStyle
from andon.config.plant import PlantFile
from andon.notify.calls import UNACKNOWLEDGED
from andon.notify.queue import Alert

ACK_PATH = "/a/"
"""Acknowledge links are ``<ack_url>/a/<token>``."""


@dataclass(frozen=True)
class AlertText:
    title: str
    body: str


def ack_link(base_url: str | None, token: str) -> str:
    """The acknowledge link of one alert ("" without an endpoint)."""
    return f"{base_url}{ACK_PATH}{token}" if base_url else ""


def duration_text(seconds: float) -> str:
    """``less than a minute``, ``6 min``, ``1 h 05 min``."""
    minutes = int(max(0.0, seconds) // 60)
    if minutes < 1:
        return "less than a minute"
    if minutes < 60:
        return f"{minutes} min"
    return f"{minutes // 60} h {minutes % 60:02d} min"


class AlertWriter:
    """Writes alerts in the plant's words (labels of lines, call types and roles)."""

    def __init__(self, plant: PlantFile, ack_base_url: str | None) -> None:
        self.plant = plant
        self.ack_base_url = ack_base_url
        self.zone = plant.site.zone

    def line_name(self, line_id: str) -> str:
        try:
            return self.plant.line(line_id).name
        except KeyError:
            return line_id or "unknown line"

    def call_label(self, call_type: str) -> str:
        found = self.plant.call_types.get(call_type)
        return found.label if found is not None else (call_type or "Andon").capitalize()

    def top_level(self, call_type: str) -> int:
        found = self.plant.call_types.get(call_type)
        return max((s.level for s in found.escalation), default=0) if found else 0

    def offers_ack(self, alert: Alert) -> bool:
        """Acknowledging still helps: nobody has acknowledged the call yet."""
        return not alert.acknowledged_by

    def write(self, alert: Alert, now: datetime, ack: AckStyle) -> AlertText:
        spec = alert.spec
        station = spec.station.rsplit("/", 1)[-1]
        label = self.call_label(spec.call_type)
        line = self.line_name(spec.line)
        title = f"{label} call: {line}, station {station} (level {spec.level})"
        top = self.top_level(spec.call_type)
        of_top = f" of {top}" if top >= spec.level else ""
        waits = "not acknowledged yet" if spec.condition == UNACKNOWLEDGED else "not resolved yet"
        raised_local = spec.raised_at.astimezone(self.zone).strftime("%H:%M")
        lines = [
            f"{label} call at station {station}, {line}.",
            f"Open for {duration_text((now - spec.raised_at).total_seconds())} "
            f"(since {raised_local}); escalation level {spec.level}{of_top}: {waits}.",
        ]
        if alert.acknowledged_by:
            lines.append(f"Acknowledged by {alert.acknowledged_by}.")
        roles = ", ".join(self.plant.roles.get(r, r) for r in spec.roles)
        if spec.recipient:
            role = self.plant.roles.get(spec.recipient_role, spec.recipient_role)
            lines.append(f"For {spec.recipient_name} ({role}).")
        else:
            duty = ", ".join(spec.on_duty) if spec.on_duty else "nobody listed"
            lines.append(f"For: {roles}. On duty: {duty}.")
        lines.extend(self._how_to_acknowledge(alert, ack))
        lines.append(f"Call {spec.call_id}, alert {alert.uid[:12]}.")
        return AlertText(title=title, body="\n".join(lines))

    def _how_to_acknowledge(self, alert: Alert, ack: AckStyle) -> list[str]:
        if not self.offers_ack(alert):
            return []
        ways: list[str] = []
        link = ack_link(self.ack_base_url, alert.token)
        if link and ack in ("link", "both"):
            ways.append(f"open {link}")
        if self.ack_base_url and alert.code and ack in ("code", "both"):
            ways.append(f'reply "ACK {alert.code}"')
        ways.append("scan your badge at the station")
        return ["To acknowledge: " + ways[0] + "".join(f", or {w}" for w in ways[1:]) + "."]
