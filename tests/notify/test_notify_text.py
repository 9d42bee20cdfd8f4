"""The words of an alert: what, where, how long, which level, and how to acknowledge."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from andon.config.notify import NotifyFile
from andon.notify.queue import AlertQueue
from andon.notify.text import AlertWriter, duration_text

from .conftest import at
from .test_notify_calls import BODY
from .test_notify_queue import _spec


@pytest.fixture
def writer(load: Callable[..., NotifyFile]) -> AlertWriter:
    return AlertWriter(load(BODY).plant_config, "https://andon.example/notify")


@pytest.fixture
def queue(tmp_path: Path) -> Iterator[AlertQueue]:
    opened = AlertQueue(tmp_path / "queue.sqlite")
    yield opened
    opened.close()


def test_durations_read_like_a_person_would_say_them() -> None:
    assert duration_text(-3) == "less than a minute"
    assert duration_text(59) == "less than a minute"
    assert duration_text(6 * 60 + 59) == "6 min"
    assert duration_text(3900) == "1 h 05 min"


def test_a_personal_alert_names_the_call_the_level_and_every_way_to_acknowledge(
    writer: AlertWriter, queue: AlertQueue
) -> None:
    alert = queue.add(_spec(), at(8))
    assert alert is not None
    text = writer.write(alert, at(8, 12, 30), "both")
    assert text.title == "Equipment call: Assembly line A, station a1 (level 1)"
    assert text.body.splitlines() == [
        "Equipment call at station a1, Assembly line A.",
        "Open for 12 min (since 08:00); escalation level 1 of 3: not acknowledged yet.",
        "For Lena Fischer (Maintenance).",
        f"To acknowledge: open https://andon.example/notify/a/{alert.token}, "
        f'or reply "ACK {alert.code}", or scan your badge at the station.',
        f"Call c1, alert {alert.uid[:12]}.",
    ]
    assert "reply" not in writer.write(alert, at(8), "link").body
    assert "open https" not in writer.write(alert, at(8), "code").body
    assert "To acknowledge: scan your badge" in writer.write(alert, at(8), "none").body
    without_endpoint = AlertWriter(writer.plant, None).write(alert, at(8), "both")
    assert "To acknowledge: scan your badge at the station." in without_endpoint.body


def test_a_group_alert_names_who_is_on_duty_and_a_taken_call_offers_no_acknowledgement(
    writer: AlertWriter, queue: AlertQueue
) -> None:
    spec = replace(
        _spec(level=2, condition="unresolved", recipient=""),
        recipient_name="",
        roles=("supervisor",),
        on_duty=("Mehmet Yilmaz",),
    )
    alert = queue.add(spec, at(8, 5), acknowledged_by="Anna Becker")
    assert alert is not None
    body = writer.write(alert, at(8, 5), "both").body
    assert "escalation level 2 of 3: not resolved yet." in body
    assert "Acknowledged by Anna Becker." in body
    assert "For: Supervisor. On duty: Mehmet Yilmaz." in body
    assert "To acknowledge" not in body
