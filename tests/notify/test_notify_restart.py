"""A notifier killed mid-delivery and restarted sends each pending alert exactly once.

The SMTP server holds the second mail in the middle of its DATA phase; the
notifier process is killed (SIGKILL) right then, so the server never accepted
that mail. After the restart the interrupted alert and the one still waiting
are sent once each, and the one sent before the crash is not sent again, even
though the station's retained state lists all three calls again.

A restart also catches up with what happened meanwhile: the retained state
cancels alerts of calls closed or taken, and alerts a level reached meanwhile.
"""

from __future__ import annotations

import json
import re
import signal
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from andon.bus.client import BusClient
from andon.bus.topics import ConsumerAddress
from andon.notify.deliveries import deliveries_filter
from andon.notify.queue import AlertQueue
from andon.notify.service import Notifier

from .conftest import PREFIX, SITE, FakeStation, Outcomes, at
from .servers import SmtpServer, wait_until

pytestmark = pytest.mark.mosquitto

NOTIFY = """\
queue = "queue.sqlite"

[[channels]]
id = "mail"
urls_file = "mail.url"

[[contacts]]
badge = "3001"
shifts = ["early", "late", "off_shift"]
addresses = { mail = "lena@example.com" }

[[routes]]
channels = ["mail"]
"""

CALLS = ("line-a.a1.C1", "line-a.a1.C2", "line-a.a1.C3")


class Process:
    """``andon notify`` in a child process, its output in files."""

    def __init__(self, config: Path, log: Path) -> None:
        self.config = config
        self.log = log
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        with self.log.open("ab") as out:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "andon", "notify", "--config", str(self.config)],
                stdout=out,
                stderr=subprocess.STDOUT,
            )

    def signal(self, sig: signal.Signals) -> int:
        assert self.process is not None
        self.process.send_signal(sig)
        code = self.process.wait(15)
        self.process = None
        return code

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait(15)


@pytest.fixture
def notifier_process(tmp_path: Path) -> Iterator[Callable[[Path], Process]]:
    started: list[Process] = []

    def _make(config: Path) -> Process:
        process = Process(config, tmp_path / "notify.log")
        started.append(process)
        return process

    yield _make
    for process in started:
        process.stop()


def _states(bus: BusClient) -> list[bool]:
    seen: list[bool] = []
    status = ConsumerAddress(PREFIX, SITE, "notifier", "maint").status()
    bus.subscribe(
        status, lambda m: seen.append(bool(m.json().get("online"))) if m.payload else None
    )
    return seen


def _statuses(queue_file: Path) -> dict[str, str]:
    queue = AlertQueue(queue_file)
    try:
        return {a.spec.call_id: a.status.value for a in queue.alerts()}
    finally:
        queue.close()


def test_a_notifier_killed_mid_delivery_sends_each_pending_alert_exactly_once(
    mosquitto: Any,
    smtp: SmtpServer,
    tmp_path: Path,
    write_notify: Callable[..., Path],
    notifier_process: Callable[[Path], Process],
) -> None:
    config = write_notify(NOTIFY, {"mail": smtp.url()}, port=mosquitto.port)
    queue_file = tmp_path / "queue.sqlite"
    bus = BusClient(mosquitto.settings(client_id="test-station")).start()
    try:
        assert bus.wait_connected(10)
        online = _states(bus)
        outcomes: list[dict[str, Any]] = []
        bus.subscribe(
            deliveries_filter(PREFIX, SITE), lambda m: outcomes.append(json.loads(m.payload))
        )
        station = FakeStation(bus)
        process = notifier_process(config)
        smtp.box.hold_number(2)

        process.start()
        assert wait_until(lambda: online[-1:] == [True]), process.log.read_text()
        for number, call_id in enumerate(CALLS):
            station.raise_call(call_id, "equipment", at(8, number), ("maintenance", "team_leader"))
        assert smtp.box.holding.wait(15), process.log.read_text()  # mail 2 is mid-delivery
        assert process.signal(signal.SIGKILL) == -signal.SIGKILL
        smtp.box.release()  # the server refuses the held mail: it was never accepted

        assert _statuses(queue_file) == {CALLS[0]: "sent", CALLS[1]: "sending", CALLS[2]: "pending"}
        assert [m.body.count(f"Call {CALLS[0]},") for m in smtp.box.accepted] == [1]
        # The station's retained state lists the three calls, still at level 1.
        views = [
            {
                "call_id": c,
                "type": "equipment",
                "status": "raised",
                "level": 1,
                "raised_at": f"2025-03-04T08:0{n}:00.000Z",
                "acknowledged_by": None,
            }
            for n, c in enumerate(CALLS)
        ]
        station.publish_state(views, at(8, 5))

        online.clear()
        process.start()
        assert wait_until(lambda: _statuses(queue_file) == dict.fromkeys(CALLS, "sent"))
        assert wait_until(lambda: {o["call_id"] for o in outcomes} == set(CALLS))
        assert process.signal(signal.SIGTERM) == 0
    finally:
        bus.close()

    mails = smtp.box.accepted
    sent_calls = sorted(re.search(r"Call (\S+),", m.body).group(1) for m in mails)  # type: ignore[union-attr]
    assert sent_calls == sorted(CALLS), "each alert exactly once"
    assert len({m.alert_id for m in mails}) == 3
    # (an outcome may come twice after a crash: the same fact, which boards de-duplicate)
    assert {(o["call_id"], o["outcome"]) for o in outcomes} == {(c, "sent") for c in CALLS}
    log = process.log.read_text()
    assert "interrupted while sending" in log


def test_a_restart_cancels_alerts_of_calls_closed_or_taken_while_it_was_down(
    bus: BusClient,
    outcomes: Outcomes,
    smtp: SmtpServer,
    tmp_path: Path,
    start_notifier: Callable[..., Notifier],
) -> None:
    body = """\
    queue = "queue.sqlite"

    [[channels]]
    id = "mail"
    urls_file = "mail.url"
    burst = 1
    rate_per_minute = 0.01

    [[contacts]]
    badge = "3001"
    addresses = { mail = "lena@example.com" }

    [[contacts]]
    badge = "2001"
    addresses = { mail = "mehmet@example.com" }

    [[routes]]
    channels = ["mail"]
    """
    notifier = start_notifier(body, {"mail": smtp.url()})
    station = FakeStation(bus)
    for number, call_id in enumerate(CALLS):
        station.raise_call(call_id, "equipment", at(8, number), ("maintenance",))
    assert wait_until(lambda: notifier.queue.counts() == {"sent": 1, "pending": 2})
    notifier.stop()

    # Meanwhile C2 was resolved, and C3 was acknowledged and reached level 2.
    views = [
        {
            "call_id": CALLS[0],
            "type": "equipment",
            "status": "raised",
            "level": 1,
            "raised_at": "2025-03-04T08:00:00.000Z",
            "acknowledged_by": None,
        },
        {
            "call_id": CALLS[2],
            "type": "equipment",
            "status": "acknowledged",
            "level": 2,
            "raised_at": "2025-03-04T08:02:00.000Z",
            "acknowledged_by": "Anna Becker",
        },
    ]
    station.publish_state(views, at(8, 7))
    again = start_notifier(tmp_path / "notify.toml")

    assert wait_until(lambda: len(outcomes.of("cancelled")) == 2 and outcomes.of("sent"))
    cancelled = {m["call_id"]: m["detail"] for m in outcomes.of("cancelled")}
    assert cancelled == {
        CALLS[1]: "to Lena Fischer: call closed before it went out",
        CALLS[2]: "to Lena Fischer: acknowledged by Anna Becker before it went out",
    }
    mails = smtp.box.wait_for(2)
    assert [m.recipients for m in mails] == [("lena@example.com",), ("mehmet@example.com",)]
    assert f"Call {CALLS[0]}," in mails[0].body
    assert f"Call {CALLS[2]}," in mails[1].body and "Acknowledged by Anna Becker." in mails[1].body
    assert wait_until(lambda: again.queue.counts() == {"sent": 2, "cancelled": 2})
