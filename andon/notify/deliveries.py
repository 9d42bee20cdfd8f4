"""Delivery outcomes on the bus, so boards can show whether an alert reached anyone.

A notifier publishes each finished alert on
``<prefix>/<site>/_notifiers/<notifier>/deliveries`` (QoS 1, not retained)::

    {"v": 1, "notifier": "maintenance", "call_id": "line-a.a1.C3", "level": 2,
     "channel": "mail", "outcome": "failed",
     "detail": "to Lena Fischer: the service did not accept it (3 tries)",
     "code": "failed_to_tries", "params": {"recipient": "Lena Fischer", "tries": "3"},
     "reason": "not_accepted", "reason_params": {},
     "at": "2025-03-04T08:05:01.250Z"}

``outcome`` is ``sent``, ``failed`` (after every retry, or nobody to reach) or
``cancelled`` (the call was acknowledged or closed before the alert went out).
``code`` and ``params`` name the outcome's sentence and its fields, ``reason``
and ``reason_params`` why it failed or was cancelled
(:mod:`andon.notify.outcomes`); ``detail`` says it in English for readers of
before ``code``.
The body is an :class:`andon.domain.events.AlertDelivery` event. Outcomes are
kept in the notifier's queue until the broker acknowledged them, so a broker
outage delays them but loses none; a restart may publish one again, with the
same content, which boards treat as the same fact.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from andon.bus.messages import VERSION, MessageError, decode
from andon.bus.topics import ConsumerAddress
from andon.domain import event_decoding
from andon.domain import events as ev
from andon.notify.outcomes import outcome_code, reason_of
from andon.notify.queue import Alert, Status

CHANNEL = "deliveries"
OUTCOMES = (Status.SENT.value, Status.FAILED.value, Status.CANCELLED.value)


def deliveries_topic(prefix: str, site: str, notifier: str) -> str:
    """Where one notifier publishes its outcomes."""
    return f"{ConsumerAddress(prefix, site, 'notifier', notifier).base}/{CHANNEL}"


def deliveries_filter(prefix: str, site: str | None = None) -> str:
    """Every notifier's outcomes (of one site)."""
    return f"{prefix}/{site or '+'}/_notifiers/+/{CHANNEL}"


def outcome_detail(alert: Alert) -> str:
    """The detail of an outcome: to whom, and why it failed or was cancelled."""
    who = alert.spec.recipient_name
    target = f"to {who}" if who else ""
    if alert.status is Status.SENT:
        return target or "to the channel"
    tries = f" ({alert.attempts} tries)" if alert.attempts > 1 else ""
    if target and alert.detail:
        return f"{target}: {alert.detail}{tries}"
    return f"{target or alert.detail}{tries}"


def delivery_event(alert: Alert) -> ev.AlertDelivery:
    """The outcome of a finished alert as an event."""
    who = alert.spec.recipient_name
    params = {"recipient": who} if who else {}
    if alert.status is Status.FAILED and alert.attempts > 1:
        params["tries"] = str(alert.attempts)
    reason, reason_params = "", {}
    if alert.status is not Status.SENT:
        reason, reason_params = reason_of(alert.detail)
    return ev.AlertDelivery(
        at=ev.parse_instant(alert.outcome_at),
        call_id=alert.spec.call_id,
        level=alert.spec.level,
        channel=alert.spec.channel,
        outcome=alert.status.value,
        detail=outcome_detail(alert),
        code=outcome_code(alert.status.value, who, alert.attempts),
        params=params,
        reason=reason,
        reason_params=reason_params,
    )


def delivery_message(notifier: str, alert: Alert) -> dict[str, Any]:
    """The JSON published for a finished alert."""
    return {"v": VERSION, "notifier": notifier, **delivery_event(alert).to_dict()}


@dataclass(frozen=True)
class DeliveryMessage:
    notifier: str
    delivery: ev.AlertDelivery


def parse_delivery(payload: bytes | str) -> DeliveryMessage:
    """A delivery message, fully checked; :class:`MessageError` otherwise."""
    data = decode(payload)
    notifier = data.get("notifier")
    if not isinstance(notifier, str) or not notifier:
        raise MessageError("delivery.notifier: expected the notifier's id")
    body = {k: v for k, v in data.items() if k not in ("v", "notifier")}
    try:
        event = event_decoding.from_dict(ev.AlertDelivery.KIND, body)
    except event_decoding.EventFormatError as exc:
        raise MessageError(f"delivery: {exc}") from None
    assert isinstance(event, ev.AlertDelivery)
    if event.outcome not in OUTCOMES:
        raise MessageError(f"delivery.outcome: expected one of {', '.join(OUTCOMES)}")
    return DeliveryMessage(notifier, event)
