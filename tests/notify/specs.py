"""An alert the notifier's tests queue, send and show."""

from __future__ import annotations

from andon.notify.queue import AlertSpec

from .conftest import STATION, at


def alert_spec(
    call_id: str = "c1",
    level: int = 1,
    channel: str = "mail",
    recipient: str = "3001",
    condition: str = "unacknowledged",
) -> AlertSpec:
    """One escalation's alert to Lena Fischer of maintenance (call ``call_id``, ``level``)."""
    return AlertSpec(
        station=STATION,
        call_id=call_id,
        level=level,
        channel=channel,
        recipient=recipient,
        recipient_name="Lena Fischer",
        recipient_role="maintenance",
        address="lena@example.com",
        line="line-a",
        call_type="equipment",
        roles=("maintenance", "team_leader"),
        condition=condition,
        on_duty=("Lena Fischer", "Anna Becker"),
        shift="early",
        raised_at=at(8),
        escalated_at=at(8),
    )
