"""Real alerts: station events on a real Mosquitto, mail to aiosmtpd, posts to a webhook.

Recipients follow the shift running at the escalation and the level's roles;
the alert's link and reply code acknowledge the call at the station; a channel
that is down is retried and finally reported failed on the bus.
"""

from __future__ import annotations

import json
import re
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from typing import Any

import pytest

from andon.bus.client import BusClient
from andon.domain import events as ev
from andon.i18n.catalog import translator
from andon.i18n.deliveries import shown as shown_delivery
from andon.notify.deliveries import parse_delivery
from andon.notify.queue import Status
from andon.notify.service import Notifier

from .conftest import CONTACTS, STATION_B, FakeStation, Outcomes, at
from .servers import SmtpServer, WebhookServer, free_port, wait_until

pytestmark = pytest.mark.mosquitto

NOTIFY = """\
ack_listen = "127.0.0.1:0"
queue = "queue.sqlite"

[[channels]]
id = "mail"
urls_file = "mail.url"

[[channels]]
id = "push"
urls_file = "push.url"

[[channels]]
id = "chat"
urls_file = "chat.url"
send_to = "group"
ack = "link"

{contacts}

[[routes]]
name = "equipment, first level"
call_types = ["equipment"]
levels = [1]
channels = ["mail", "push"]

[[routes]]
name = "later levels by mail"
levels = [2, 3]
channels = ["mail"]

[[routes]]
name = "line B to the chat"
lines = ["line-b"]
channels = ["chat"]
"""


def _urls(smtp: SmtpServer, webhook: WebhookServer) -> dict[str, str]:
    return {
        "mail": smtp.url(),
        "push": webhook.url("/push/{to}"),
        "chat": webhook.url("/chat"),
    }


def _recipients(mails: list[Any], call_id: str) -> dict[str, set[str]]:
    """Level → recipients of the mails about one call."""
    found: dict[str, set[str]] = {}
    for mail in mails:
        if f"Call {call_id}," in mail.body:
            level = re.search(r"\(level (\d)\)", mail.subject)
            assert level is not None
            found.setdefault(level.group(1), set()).update(mail.recipients)
    return found


def test_alerts_reach_the_people_on_duty_by_shift_and_level(
    bus: BusClient,
    outcomes: Outcomes,
    smtp: SmtpServer,
    webhook: WebhookServer,
    start_notifier: Callable[..., Notifier],
) -> None:
    notifier = start_notifier(NOTIFY.format(contacts=CONTACTS), _urls(smtp, webhook))
    station = FakeStation(bus)
    # Early shift: maintenance and team leader of the early shift, then the supervisor.
    station.raise_call("line-a.a1.C1", "equipment", at(8), ("maintenance", "team_leader"))
    station.escalate("line-a.a1.C1", 2, ("supervisor",), "unresolved", at(8, 5))
    # Late shift: the late team leader and the maintenance technician on late and on call.
    station.raise_call("line-a.a1.C2", "equipment", at(15), ("maintenance", "team_leader"))
    # No shift runs: only maintenance on call by mail; nobody on duty has a push address.
    station.raise_call("line-a.a1.C3", "equipment", at(23), ("maintenance", "team_leader"))

    mails = smtp.box.wait_for(6)
    assert _recipients(mails, "line-a.a1.C1") == {
        "1": {"lena@example.com", "anna@example.com"},
        "2": {"mehmet@example.com"},
    }
    assert _recipients(mails, "line-a.a1.C2") == {"1": {"max@example.com", "jonas@example.com"}}
    assert _recipients(mails, "line-a.a1.C3") == {"1": {"max@example.com"}}
    pushes = webhook.wait_for(3)
    assert sorted(p.path for p in pushes) == ["/push/anna", "/push/jonas", "/push/lena"]
    assert all(len(m.recipients) == 1 for m in mails), "one mail per person"

    # The unreachable push of C3 and the eight alerts sent are reported on the bus.
    assert wait_until(lambda: len(outcomes.of("sent")) == 9 and len(outcomes.of("failed")) == 1)
    failed = outcomes.of("failed")[0]
    assert failed["call_id"] == "line-a.a1.C3" and failed["channel"] == "push"
    assert "nobody on duty" in failed["detail"]
    assert (failed["code"], failed["params"]) == ("failed", {})
    assert failed["reason"] == "nobody_off_shift"
    assert set(failed["reason_params"]) == {"roles", "channel"}
    shown = delivery_text(failed, "de")
    assert shown.startswith("nicht zugestellt: niemand im Dienst (außerhalb der Schichten)")
    assert {m["notifier"] for m in outcomes.messages} == {"maint"}
    sent_to = {(m["call_id"], m["level"], m["channel"], m["detail"]) for m in outcomes.of("sent")}
    assert ("line-a.a1.C1", 2, "mail", "to Mehmet Yilmaz") in sent_to
    sent = outcomes.of("sent")
    coded = {(m["call_id"], m["level"], m["code"], m["params"]["recipient"]) for m in sent}
    assert ("line-a.a1.C1", 2, "sent_to", "Mehmet Yilmaz") in coded
    mehmet = next(m for m in sent if m["params"]["recipient"] == "Mehmet Yilmaz")
    assert delivery_text(mehmet, "zh_CN") == "已发送给 Mehmet Yilmaz"
    assert notifier.queue.counts() == {"sent": 9, "failed": 1}


def test_an_alert_says_what_where_how_long_and_how_to_acknowledge(
    bus: BusClient,
    smtp: SmtpServer,
    webhook: WebhookServer,
    start_notifier: Callable[..., Notifier],
) -> None:
    notifier = start_notifier(NOTIFY.format(contacts=CONTACTS), _urls(smtp, webhook))
    station = FakeStation(bus)
    station.raise_call("line-a.a1.C1", "equipment", at(7, 50), ("maintenance", "team_leader"))

    mails = smtp.box.wait_for(2)
    lena = next(m for m in mails if m.recipients == ("lena@example.com",))
    assert lena.subject == "Equipment call: Assembly line A, station a1 (level 1)"
    body = lena.body
    assert "Equipment call at station a1, Assembly line A." in body
    assert "Open for 10 min (since 07:50); escalation level 1 of 3: not acknowledged yet." in body
    assert "For Lena Fischer (Maintenance)." in body
    alert = next(
        a for a in notifier.queue.alerts() if (a.spec.recipient, a.spec.channel) == ("3001", "mail")
    )
    link = f"{notifier.ack_base_url}/a/{alert.token}"
    assert f'To acknowledge: open {link}, or reply "ACK {alert.code}"' in body
    assert "scan your badge at the station" in body
    assert lena.alert_id == alert.uid  # receivers can drop a copy they already have
    push = next(p for p in webhook.wait_for(2) if p.path == "/push/lena")
    pushed = next(
        a for a in notifier.queue.alerts() if (a.spec.recipient, a.spec.channel) == ("3001", "push")
    )
    assert push.body["title"] == lena.subject
    assert f"open {notifier.ack_base_url}/a/{pushed.token}" in push.body["message"]
    assert push.headers["X-Andon-Alert"] == pushed.uid


def test_the_alert_link_acknowledges_the_call_at_the_station(
    bus: BusClient,
    outcomes: Outcomes,
    smtp: SmtpServer,
    webhook: WebhookServer,
    start_notifier: Callable[..., Notifier],
) -> None:
    notifier = start_notifier(NOTIFY.format(contacts=CONTACTS), _urls(smtp, webhook))
    station = FakeStation(bus)
    station.answer_acknowledge(at(8, 1))
    station.raise_call("line-a.a1.C1", "equipment", at(8), ("maintenance", "team_leader"))
    assert wait_until(lambda: notifier.queue.counts() == {"sent": 4})
    push = next(p for p in webhook.wait_for(2) if p.path == "/push/lena")
    link = re.search(r"open (\S+?),", push.body["message"])
    assert link is not None

    with urllib.request.urlopen(link.group(1), timeout=10) as page:  # a GET only shows
        assert b"<button" in page.read()
    assert station.commands == []
    with urllib.request.urlopen(link.group(1), data=b"", timeout=10) as answer:
        text = answer.read().decode()
    assert "acknowledged by Lena Fischer" in text
    assert [(c["call_id"], c["by"]) for c in station.commands] == [("line-a.a1.C1", "Lena Fischer")]

    # The level-2 alert that follows says who took the call and offers no acknowledgement.
    station.escalate("line-a.a1.C1", 2, ("supervisor",), "unresolved", at(8, 5))
    mehmet = next(m for m in smtp.box.wait_for(3) if m.recipients == ("mehmet@example.com",))
    assert "Acknowledged by Lena Fischer." in mehmet.body
    assert "To acknowledge" not in mehmet.body
    assert wait_until(lambda: notifier.queue.counts() == {"sent": 5})


def test_a_reply_code_acknowledges_and_alerts_still_waiting_are_cancelled(
    bus: BusClient,
    outcomes: Outcomes,
    smtp: SmtpServer,
    start_notifier: Callable[..., Notifier],
) -> None:
    body = f"""\
    ack_listen = "127.0.0.1:0"
    queue = "queue.sqlite"

    [[channels]]
    id = "mail"
    urls_file = "mail.url"
    burst = 1
    rate_per_minute = 0.01

    [[channels]]
    id = "push"
    urls_file = "push.url"

    {CONTACTS}

    [[routes]]
    channels = ["mail"]
    """
    unused = f"json://127.0.0.1:{free_port()}/push/{{to}}"
    notifier = start_notifier(body, {"mail": smtp.url(), "push": unused})
    station = FakeStation(bus)
    station.answer_acknowledge(at(8, 1))
    station.raise_call("line-a.a1.C1", "equipment", at(8), ("maintenance", "team_leader"))
    (first,) = smtp.box.wait_for(1)  # the rate limit holds the second alert back
    assert wait_until(lambda: notifier.queue.alerts(Status.SENT))
    (alert,) = notifier.queue.alerts(Status.SENT)
    assert f'reply "ACK {alert.code}"' in first.body
    request = urllib.request.Request(
        f"{notifier.ack_base_url}/reply",
        data=urllib.parse.urlencode({"From": "+4915100000", "Body": f"ack {alert.code}"}).encode(),
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    with urllib.request.urlopen(request, timeout=10) as answer:
        assert f"acknowledged by {alert.spec.recipient_name}" in answer.read().decode()
    assert [c["by"] for c in station.commands] == [alert.spec.recipient_name]

    assert wait_until(lambda: outcomes.of("cancelled"))
    (cancelled,) = outcomes.of("cancelled")
    assert cancelled["call_id"] == "line-a.a1.C1" and cancelled["level"] == 1
    assert f"acknowledged by {alert.spec.recipient_name} before it went out" in cancelled["detail"]
    assert cancelled["code"] == "cancelled_to" and cancelled["reason"] == "acknowledged_first"
    assert cancelled["reason_params"] == {"by": alert.spec.recipient_name}
    assert delivery_text(cancelled, "zh_TW") == (
        f"未傳送給 {cancelled['params']['recipient']}：發出前已由 {alert.spec.recipient_name} 確認"
    )
    assert notifier.queue.counts() == {"sent": 1, "cancelled": 1}
    with pytest.raises(urllib.error.HTTPError) as unknown:
        urllib.request.urlopen(
            urllib.request.Request(f"{notifier.ack_base_url}/reply", data=b"ACK 000000"),
            timeout=10,
        )
    assert unknown.value.code == 404


def test_a_group_channel_gets_one_alert_naming_who_is_on_duty(
    bus: BusClient,
    smtp: SmtpServer,
    webhook: WebhookServer,
    start_notifier: Callable[..., Notifier],
) -> None:
    start_notifier(NOTIFY.format(contacts=CONTACTS), _urls(smtp, webhook))
    station = FakeStation(bus, STATION_B)
    station.raise_call("line-b.b1.C1", "help", at(9), ("team_leader",))
    chat = webhook.wait_for(1)
    assert [p.path for p in chat] == ["/chat"]
    assert "For: Team leader. On duty: Anna Becker." in chat[0].body["message"]
    assert "To acknowledge: open http://127.0.0.1:" in chat[0].body["message"]
    assert "reply" not in chat[0].body["message"]  # this channel offers the link only


def test_a_group_alert_acknowledges_in_the_channels_own_language(
    bus: BusClient,
    smtp: SmtpServer,
    webhook: WebhookServer,
    start_notifier: Callable[..., Notifier],
) -> None:
    """No person is named by a group alert's link: the station is told it was the channel's
    alert, in one whole sentence of the channel's language."""
    body = NOTIFY.format(contacts=CONTACTS).replace(
        'send_to = "group"', 'send_to = "group"\nlabel = "Schichtgruppe"\nlanguage = "de"'
    )
    notifier = start_notifier(body, _urls(smtp, webhook))
    station = FakeStation(bus, STATION_B)
    station.answer_acknowledge(at(9, 1))
    station.raise_call("line-b.b1.C1", "help", at(9), ("team_leader",))
    (chat,) = webhook.wait_for(1)
    link = re.search(r"(http://127\.0\.0\.1:\d+/a/\S+?)[,.\s]", chat.body["message"] + " ")
    assert link is not None, chat.body["message"]
    with urllib.request.urlopen(link.group(1), data=b"", timeout=10) as answer:
        text = answer.read().decode()
    assert [c["by"] for c in station.commands] == ["Meldung über Schichtgruppe"]
    assert "Meldung über Schichtgruppe" in text and "alert" not in text
    assert notifier.queue.counts() == {"sent": 1}


def test_a_channel_that_is_down_is_retried_and_reported_failed_on_the_bus(
    bus: BusClient,
    outcomes: Outcomes,
    smtp: SmtpServer,
    start_notifier: Callable[..., Notifier],
) -> None:
    body = """\
    queue = "queue.sqlite"

    [[channels]]
    id = "mail"
    urls_file = "mail.url"

    [[channels]]
    id = "pager"
    urls_file = "pager.url"
    send_to = "group"
    attempts = 3
    backoff_s = 0.01
    max_backoff_s = 0.05

    [[contacts]]
    badge = "3001"
    addresses = { mail = "lena@example.com" }

    [[routes]]
    channels = ["mail", "pager"]
    """
    down = f"json://127.0.0.1:{free_port()}/pager"  # nothing listens there
    notifier = start_notifier(body, {"mail": smtp.url(), "pager": down})
    station = FakeStation(bus)
    station.raise_call("line-a.a1.C1", "equipment", at(8), ("maintenance",))

    assert wait_until(lambda: outcomes.of("failed") and outcomes.of("sent"))
    failed = outcomes.of("failed")[0]
    assert (failed["call_id"], failed["level"], failed["channel"]) == ("line-a.a1.C1", 1, "pager")
    assert "Connection error" in failed["detail"] and "(3 tries)" in failed["detail"]
    # A group channel reaches nobody by name: the outcome names the tries and the reason.
    assert failed["code"] == "failed_tries" and failed["params"] == {"tries": "3"}
    assert failed["reason"] == "other" and "Connection error" in failed["reason_params"]["text"]
    said = failed["reason_params"]["text"]  # the service's own words, as it wrote them
    assert delivery_text(failed, "de") == f"nach 3 Versuchen nicht zugestellt: {said}"
    assert delivery_text(failed, "zh_CN") == f"尝试 3 次后仍未能送达：{said}"
    assert outcomes.of("sent")[0]["channel"] == "mail"
    (pager,) = notifier.queue.alerts(Status.FAILED)
    assert pager.attempts == 3
    assert wait_until(lambda: all(a.reported for a in notifier.queue.alerts()))


def test_a_gap_in_a_station_stream_is_replayed_before_its_events_count(
    bus: BusClient,
    smtp: SmtpServer,
    webhook: WebhookServer,
    start_notifier: Callable[..., Notifier],
) -> None:
    start_notifier(NOTIFY.format(contacts=CONTACTS), _urls(smtp, webhook))
    station = FakeStation(bus)
    replays: list[dict[str, Any]] = []
    bus.subscribe(station.address.cmd("replay"), lambda m: replays.append(m.json()))
    station.publish(ev.Counted(at=at(7, 59)))
    station.seq += 1  # event 2, the call being raised, is lost on the way
    station.escalate("line-a.a1.C1", 1, ("maintenance",), "unacknowledged", at(8))

    assert wait_until(lambda: replays)
    assert replays[0]["from_seq"] == 2 and replays[0]["by"] == "notifier maint"
    assert smtp.box.accepted == []  # held until the gap is filled
    raised = ev.CallRaised(at=at(8), call_id="line-a.a1.C1", call_type="equipment", source="button")
    station.publish(raised, seq=2)
    (mail,) = smtp.box.wait_for(1)
    assert mail.subject.startswith("Equipment call:")  # the raise was folded first


def test_a_station_that_starts_a_new_journal_is_followed_from_its_first_event(
    bus: BusClient,
    smtp: SmtpServer,
    webhook: WebhookServer,
    start_notifier: Callable[..., Notifier],
) -> None:
    start_notifier(NOTIFY.format(contacts=CONTACTS), _urls(smtp, webhook))
    station = FakeStation(bus)
    station.raise_call("line-a.a1.C1", "equipment", at(8), ("maintenance",))
    for _ in range(3):
        station.publish(ev.Counted(at=at(8, 1)))
    smtp.box.wait_for(1)
    station.seq = 0  # the station's storage was replaced: its numbering starts over
    station.publish(ev.StationStarted(at=at(8, 2), version="1"))
    # Its first call has the id of the old first call, and is a call of its own.
    station.raise_call("line-a.a1.C1", "equipment", at(8, 3), ("maintenance",))
    station.escalate("line-a.a1.C1", 2, ("supervisor",), "unresolved", at(8, 8))
    mails = smtp.box.wait_for(3)
    assert [m.recipients for m in mails] == [
        ("lena@example.com",),
        ("lena@example.com",),
        ("mehmet@example.com",),
    ]
    assert "(since 08:03)" in mails[1].body


def delivery_text(message: dict[str, Any], language: str) -> str:
    """An outcome as received, written for a reader of ``language``."""
    return shown_delivery(parse_delivery(json_bytes(message)).delivery, translator(language))


def json_bytes(message: dict[str, Any]) -> bytes:
    return json.dumps(message).encode()
