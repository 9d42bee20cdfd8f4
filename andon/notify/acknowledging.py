"""Acknowledging a call from an alert: the command to the station, and waiting for its answer."""

from __future__ import annotations

import threading
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from andon.bus.client import BusClient
from andon.bus.commands import command_message
from andon.bus.messages import MessageError, encode
from andon.bus.reply import Reply, parse_reply
from andon.bus.topics import StationAddress
from andon.config.notify import NotifyFile
from andon.config.plant import PlantFile
from andon.i18n import translator
from andon.i18n.refusals import shown
from andon.notify.ack_server import AckAnswer
from andon.notify.clock import Clock
from andon.notify.queue import Alert
from andon.notify.text import AlertText, AlertWriter


@dataclass
class Waiter:
    """An acknowledge page waiting for the station's reply."""

    event: threading.Event
    reply: Reply | None = None


class Acknowledging:
    """The notifier's acknowledge pages (mixed into the notifier)."""

    config: NotifyFile
    plant: PlantFile
    clock: Clock
    prefix: str
    bus: BusClient | None
    writer: AlertWriter
    _waiters: dict[str, Waiter]
    _waiters_lock: threading.Lock
    _reject: Callable[[str, str, Exception], None]

    def _write_for(self, ack: Any) -> Callable[[Alert], tuple[AlertText, str]]:
        def write(alert: Alert) -> tuple[AlertText, str]:
            text = self.writer.write(alert, self.clock.now(), ack)
            return text, self.writer.link(alert)

        return write

    def _describe(self, alert: Alert) -> tuple[str, str]:
        text = self.writer.write(alert, self.clock.now(), "none")
        return text.title, text.body

    def acknowledge(self, alert: Alert, badge: str = "") -> AckAnswer:
        """Send the acknowledge command for an alert's call and wait for the station's answer.

        ``badge`` names who acts (the alert's recipient when empty). Runs on the
        endpoint's threads.
        """
        language = self.writer.language_of(alert.spec)
        _ = translator(language).gettext
        if badge:
            person = self.plant.person(badge)
            if person is None:
                return AckAnswer(False, _("Unknown badge {badge}.").format(badge=badge), language)
            by = person.name
        else:
            channel = self.config.channel(alert.spec.channel)
            # Translators: who acknowledged a call from a group channel's alert
            # (a channel's name: "Maintenance Telegram alert")
            by = alert.spec.recipient_name or _("{channel} alert").format(channel=channel.title)
        if self.bus is None:
            return AckAnswer(None, _("The notifier is not connected."), language)
        command_id = uuid.uuid4().hex
        waiter = Waiter(threading.Event())
        with self._waiters_lock:
            self._waiters[command_id] = waiter
        try:
            address = StationAddress.from_path(alert.spec.station, self.prefix)
            command = command_message(command_id, by, call_id=alert.spec.call_id)
            self.bus.publish(address.cmd("acknowledge"), encode(command), qos=1)
            answered = waiter.event.wait(self.config.ack_wait_s)
        finally:
            with self._waiters_lock:
                self._waiters.pop(command_id, None)
        names = {
            "call_type": self.writer.call_label(alert.spec.call_type, language),
            "station": alert.spec.station.rsplit("/", 1)[-1],
            "by": by,
        }
        if not answered or waiter.reply is None:
            waiting = _(
                "The acknowledgement of the {call_type} call at {station} was sent, but the "
                "station has not answered yet. Check the board."
            )
            return AckAnswer(None, waiting.format(**names), language)
        if waiter.reply.accepted:
            done = _("{call_type} call at {station} acknowledged by {by}.")
            return AckAnswer(True, done.format(**names), language)
        reason = shown(waiter.reply.reason, translator(language)) or _("refused")
        return AckAnswer(False, _("The station refused: {reason}.").format(reason=reason), language)

    def _on_reply(self, station: str, payload: bytes) -> None:
        """Network thread: wake the page waiting for this reply (others are not ours)."""
        try:
            reply = parse_reply(payload)
        except MessageError as exc:
            self._reject("reply", station, exc)
            return
        with self._waiters_lock:
            waiter = self._waiters.get(reply.command_id)
        if waiter is not None:
            waiter.reply = reply
            waiter.event.set()
