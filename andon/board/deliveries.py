"""What became of each call's last alert: the notifiers' delivery outcomes, per call.

A notifier publishes every finished alert on ``…/_notifiers/<id>/deliveries``
(:mod:`andon.notify.deliveries`). The board keeps the latest outcome of each
call (the one with the latest ``at``; a repeat of the same outcome after a
notifier's restart changes nothing) so the Calls screen can say whether the
alert reached maintenance. Outcomes are not retained: a board started later
knows the outcomes from then on. At most :data:`KEPT` calls are remembered,
the ones heard of last.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Mapping
from types import MappingProxyType

from andon.domain.events import AlertDelivery
from andon.i18n import Translator
from andon.i18n.deliveries import shown
from andon.notify.deliveries import parse_delivery

KEPT = 2000
"""Calls whose latest outcome the board remembers (far more than are ever open at once)."""


class DeliveryBook:
    """The latest delivery outcome per call id; not thread-safe (the model's lock guards it)."""

    def __init__(self, kept: int = KEPT) -> None:
        self._kept = kept
        self._latest: OrderedDict[str, AlertDelivery] = OrderedDict()
        self._view: Mapping[str, AlertDelivery] = MappingProxyType({})

    def take(self, payload: bytes | str) -> bool:
        """Keep the outcome in ``payload`` if it is its call's latest; True if it changed.

        Raises :class:`~andon.bus.messages.MessageError` for a malformed message.
        """
        delivery = parse_delivery(payload).delivery
        old = self._latest.get(delivery.call_id)
        if old is not None and (old == delivery or old.at > delivery.at):
            return False
        self._latest[delivery.call_id] = delivery
        self._latest.move_to_end(delivery.call_id)
        while len(self._latest) > self._kept:
            self._latest.popitem(last=False)
        self._view = MappingProxyType(dict(self._latest))
        return True

    def latest(self) -> Mapping[str, AlertDelivery]:
        """Call id → its latest outcome (an immutable copy, rebuilt only on change)."""
        return self._view


def alert_line(delivery: AlertDelivery, tr: Translator) -> str:
    """The latest alert of a call as its reader reads it: level, channel and outcome."""
    return tr.gettext("alert L{level} {channel}: {outcome}").format(
        level=delivery.level, channel=delivery.channel, outcome=shown(delivery, tr)
    )


def alert_style(delivery: AlertDelivery) -> str:
    """Red when the alert did not reach anyone, dim when it did or was not needed."""
    return "bold red" if delivery.outcome == "failed" else "dim"
