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
from .specs import alert_spec
from .test_notify_calls import BODY


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
    assert duration_text(3900) == "1 hr 5 min"


def test_a_personal_alert_names_the_call_the_level_and_every_way_to_acknowledge(
    writer: AlertWriter, queue: AlertQueue
) -> None:
    alert = queue.add(alert_spec(), at(8))
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
        alert_spec(level=2, condition="unresolved", recipient=""),
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


LANGUAGES = """\
[[channels]]
id = "mail"
urls_file = "mail.url"

[[channels]]
id = "room"
urls_file = "mail.url"
send_to = "group"
language = "zh-TW"

[[contacts]]
badge = "3001"
language = "zh_CN"
addresses = { mail = "lena@example.com" }

[[contacts]]
badge = "3002"
addresses = { mail = "max@example.com" }

[[routes]]
channels = ["mail", "room"]
"""


def test_each_recipient_reads_the_alert_in_their_language(
    load: Callable[..., NotifyFile], queue: AlertQueue
) -> None:
    config = load(LANGUAGES)
    assert config.language_for("3001", "mail") == "zh_CN"
    assert config.language_for("3002", "mail") == "en"
    assert config.language_for("", "room") == "zh_TW"
    assert config.language_for("", "mail") == "en"
    writer = AlertWriter(
        config.plant_config,
        "https://a.example",
        lambda s: config.language_for(s.recipient, s.channel),
    )
    alert = queue.add(alert_spec(), at(8))
    assert alert is not None
    chinese = writer.write(alert, at(9, 5, 30), "both")
    assert chinese.language == "zh_CN"
    assert chinese.title == "设备呼叫：Assembly line A，工位 a1（第 1 级）"
    assert "已呼叫1小时5分钟（自 08:00 起）；升级第 1 级（共 3 级）：尚未确认。" in chinese.body
    assert "致 Lena Fischer（维修）。" in chinese.body
    group = replace(alert_spec(call_id="c2", channel="room", recipient=""), recipient_name="")
    grouped = queue.add(group, at(8))
    assert grouped is not None
    body = writer.write(grouped, at(8, 6), "none").body
    assert (
        "設備呼叫" in body and "致：維修和班組長。" in body and "Lena Fischer和Anna Becker" in body
    )


def test_a_german_alert_writes_durations_the_german_way(
    load: Callable[..., NotifyFile], queue: AlertQueue
) -> None:
    config = load(LANGUAGES.replace('language = "zh_CN"', 'language = "de"'))
    writer = AlertWriter(config.plant_config, None, lambda s: config.language_for(s.recipient, ""))
    alert = queue.add(alert_spec(), at(8))
    assert alert is not None
    body = writer.write(alert, at(9, 5), "both").body
    assert "Offen seit 1 Std. 5 Min. (seit 08:00)" in body
    assert "Zum Bestätigen: Badge an der Station scannen." in body
