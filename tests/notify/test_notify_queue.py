"""The SQLite alert queue: one row per key, claimed before sending, recovered after a crash."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest

from andon.notify.queue import AlertQueue, QueueError, Status

from .conftest import STATION, at
from .specs import alert_spec


@pytest.fixture
def queue(tmp_path: Path) -> Iterator[AlertQueue]:
    opened = AlertQueue(tmp_path / "queue.sqlite")
    yield opened
    opened.close()


def test_the_same_key_is_queued_once(queue: AlertQueue) -> None:
    first = queue.add(alert_spec(), at(8))
    assert first is not None and first.status is Status.PENDING and first.attempts == 0
    assert queue.add(alert_spec(), at(8, 1)) is None
    assert queue.add(alert_spec(level=2), at(8, 5)) is not None
    assert queue.add(alert_spec(recipient="1001"), at(8)) is not None
    assert queue.add(alert_spec(channel="push"), at(8)) is not None
    assert queue.counts() == {"pending": 4}
    assert first.spec == alert_spec()  # everything needed to write the alert is kept
    assert len({a.token for a in queue.alerts()}) == 4
    assert all(a.code is not None and len(a.code) == 6 for a in queue.alerts())


def test_claim_marks_sending_in_due_order_and_the_outcome_waits_to_be_reported(
    queue: AlertQueue,
) -> None:
    one = queue.add(alert_spec("c1"), at(8))
    two = queue.add(alert_spec("c2"), at(8))
    assert one is not None and two is not None
    assert queue.next_due("mail") == at(8).timestamp() and queue.next_due("push") is None
    claimed = queue.claim("mail", at(8))
    assert claimed is not None and claimed.id == one.id
    assert claimed.status is Status.SENDING and claimed.attempts == 1
    retry = queue.mark_retry(claimed.id, at(8, 1), "connection refused")
    assert retry.status is Status.PENDING and retry.detail == "connection refused"
    assert queue.claim("mail", at(8)).id == two.id  # the other one is due first now
    assert queue.claim("mail", at(8)) is None  # the retried one waits for its time
    again = queue.claim("mail", at(8, 1))
    assert again is not None and again.id == one.id and again.attempts == 2
    sent = queue.mark_sent(again.id, at(8, 1))
    assert sent.status is Status.SENT and sent.finished_at == "2025-03-04T08:01:00.000Z"
    assert [a.id for a in queue.unreported()] == [one.id]
    queue.mark_reported(one.id)
    assert queue.unreported() == []


def test_after_a_crash_sending_rows_are_sent_again_or_reported_by_channel_policy(
    tmp_path: Path,
) -> None:
    queue = AlertQueue(tmp_path / "queue.sqlite")
    queue.add(alert_spec("c1", channel="mail"), at(8))
    queue.add(alert_spec("c1", channel="chat", recipient=""), at(8))
    queue.add(alert_spec("c2", channel="mail"), at(8))
    mail = queue.claim("mail", at(8))
    chat = queue.claim("chat", at(8))
    assert mail is not None and chat is not None
    queue._conn.close()  # the process dies here: nothing else is written

    reopened = AlertQueue(tmp_path / "queue.sqlite")
    try:
        changed = reopened.recover({"mail": "resend", "chat": "report"}, at(8, 2))
        by_channel = {a.spec.channel: a for a in changed}
        assert by_channel["mail"].status is Status.PENDING
        assert by_channel["mail"].detail == "interrupted by a restart while sending"
        assert by_channel["chat"].status is Status.FAILED and not by_channel["chat"].reported
        assert "may or may not have arrived" in by_channel["chat"].detail
        # The interrupted mail goes again (its try counted), the waiting one is untouched.
        assert reopened.claim("mail", at(8, 2)).attempts == 2
        assert reopened.claim("mail", at(8, 2)).spec.call_id == "c2"
        assert reopened.recover({}, at(8, 3))[0].status is Status.PENDING
    finally:
        reopened.close()


def test_acknowledging_cancels_only_what_waits_for_an_acknowledgement(queue: AlertQueue) -> None:
    queue.add(alert_spec("c1", level=1), at(8))
    queue.add(alert_spec("c1", level=2, condition="unresolved"), at(8, 5))
    queue.add(alert_spec("c2", level=1), at(8))
    cancelled = queue.cancel(STATION, "c1", at(8, 6), "acknowledged by Anna", "unacknowledged")
    assert [(a.spec.level, a.status) for a in cancelled] == [(1, Status.CANCELLED)]
    queue.note_acknowledged(STATION, "c1", "Anna Becker")
    later = [a for a in queue.alerts() if a.spec.call_id == "c1" and a.spec.level == 2]
    assert later[0].acknowledged_by == "Anna Becker" and later[0].status is Status.PENDING
    assert queue.waiting_calls(STATION) == {"c1", "c2"}
    assert len(queue.cancel(STATION, "c1", at(8, 7), "call resolved")) == 1
    assert queue.waiting_calls(STATION) == {"c2"}
    assert {a.spec.call_id for a in queue.unreported()} == {"c1"}


def test_reply_codes_work_while_the_call_is_open(queue: AlertQueue) -> None:
    alert = queue.add(alert_spec("c1"), at(8))
    assert alert is not None and alert.code is not None
    assert queue.by_code(alert.code) == alert and queue.by_token(alert.token) == alert
    queue.close_call(STATION, "c1")
    assert queue.by_code(alert.code) is None
    assert queue.by_token(alert.token) is not None  # the link still shows the call
    assert queue.by_token("nope") is None
    # A station that starts a new journal numbers its calls from 1 again: a new call.
    assert queue.live_calls(STATION) == set()
    again = queue.add(alert_spec("c1"), at(9))
    assert again is not None and again.id != alert.id
    assert queue.add(alert_spec("c1"), at(9)) is None


def test_a_file_that_is_not_a_queue_is_refused(tmp_path: Path) -> None:
    other = tmp_path / "other.sqlite"
    with sqlite3.connect(other) as conn:
        conn.execute("CREATE TABLE events (seq INTEGER)")
    with pytest.raises(QueueError, match="not an andon alert queue"):
        AlertQueue(other)
    with pytest.raises(QueueError, match="is a directory"):
        AlertQueue(tmp_path)


def test_finished_alerts_outlive_a_reopen(tmp_path: Path) -> None:
    queue = AlertQueue(tmp_path / "q.sqlite")
    queue.add(alert_spec(), at(8), status=Status.FAILED, detail="nobody on duty")
    queue.close()
    queue = AlertQueue(tmp_path / "q.sqlite")
    try:
        (failed,) = queue.unreported()
        assert failed.status is Status.FAILED and failed.detail == "nobody on duty"
        assert failed.outcome_at == "2025-03-04T08:00:00.000Z"
        assert queue.add(alert_spec(), at(8) + timedelta(hours=1)) is None
    finally:
        queue.close()
