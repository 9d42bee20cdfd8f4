"""Pacing and retries, stepped by a hand-moved clock: rate limits, backoff, giving up."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from andon.config.notify import ChannelConfig
from andon.notify.channels import SendResult
from andon.notify.pacing import TokenBucket, backoff_s
from andon.notify.queue import Alert, AlertQueue, Status
from andon.notify.text import AlertText
from andon.notify.worker import IDLE_S, ChannelWorker

from .conftest import ManualClock, at
from .specs import alert_spec


def test_the_bucket_lets_a_burst_through_then_the_rate() -> None:
    bucket = TokenBucket(rate_per_minute=6, burst=2, now=0.0)
    for _ in range(2):
        assert bucket.wait_s(0.0) == 0.0
        bucket.take(0.0)
    assert bucket.wait_s(0.0) == pytest.approx(10.0)
    assert bucket.wait_s(4.0) == pytest.approx(6.0)
    assert bucket.wait_s(10.0) == 0.0
    bucket.take(10.0)
    assert bucket.wait_s(100.0) == 0.0  # refilled, but never beyond the burst
    bucket.take(100.0)
    bucket.take(100.0)
    assert bucket.wait_s(100.0) == pytest.approx(10.0)


def test_backoff_doubles_up_to_its_cap() -> None:
    assert [backoff_s(n, 10, 60) for n in range(0, 6)] == [0, 10, 20, 40, 60, 60]
    assert backoff_s(500, 1, 3600) == 3600


class Service:
    """A channel's far end that the test scripts: ok or failing, recording each try."""

    def __init__(self) -> None:
        self.tries: list[tuple[str, str]] = []
        self.failing = False
        self.raising = False

    def __call__(self, alert: Alert, text: AlertText, link: str) -> SendResult:
        self.tries.append((alert.spec.call_id, text.title))
        if self.raising:
            raise OSError("socket closed")
        return SendResult(not self.failing, "refused" if self.failing else "")


@pytest.fixture
def queue(tmp_path: Path) -> Iterator[AlertQueue]:
    opened = AlertQueue(tmp_path / "queue.sqlite")
    yield opened
    opened.close()


def _worker(queue: AlertQueue, clock: ManualClock, service: Service, **channel: object):
    config = ChannelConfig.model_validate({"id": "mail", "url_env": "X", **channel})
    finished: list[Alert] = []
    worker = ChannelWorker(
        config,
        queue,
        service,
        lambda alert: (AlertText(f"alert {alert.spec.call_id}", "body"), ""),
        clock,
        on_finished=finished.append,
    )
    return worker, finished


def test_the_rate_limit_holds_alerts_back_until_their_time(queue: AlertQueue) -> None:
    clock = ManualClock(at(8))
    service = Service()
    worker, finished = _worker(queue, clock, service, rate_per_minute=2, burst=2)
    for call in ("c1", "c2", "c3"):
        queue.add(alert_spec(call), clock.now())
    assert worker.step() == 0.0 and worker.step() == 0.0
    assert worker.step() == pytest.approx(30.0)  # the third waits for the bucket
    assert [t[0] for t in service.tries] == ["c1", "c2"]
    clock.advance(29)
    assert worker.step() == pytest.approx(1.0)
    clock.advance(1)
    assert worker.step() == 0.0
    assert [a.spec.call_id for a in finished] == ["c1", "c2", "c3"]
    assert worker.step() == IDLE_S
    assert queue.counts() == {"sent": 3}


def test_a_failing_service_is_retried_with_backoff_and_then_given_up(queue: AlertQueue) -> None:
    clock = ManualClock(at(8))
    service = Service()
    service.failing = True
    worker, finished = _worker(queue, clock, service, attempts=4, backoff_s=10, max_backoff_s=15)
    queue.add(alert_spec("c1"), clock.now())
    waits = []
    for _ in range(3):
        assert worker.step() == 0.0
        (pending,) = queue.alerts()
        waits.append(pending.next_at - clock.now().timestamp())
        assert worker.step() == min(IDLE_S, waits[-1])  # nothing to do until then
        clock.advance(waits[-1])
    assert waits == [10.0, 15.0, 15.0]  # 10, 20 capped at 15, 40 capped at 15
    assert finished == []
    (pending,) = queue.alerts()
    assert pending.status is Status.PENDING and pending.attempts == 3
    assert worker.step() == 0.0
    (failed,) = finished
    assert failed.status is Status.FAILED and failed.attempts == 4 and failed.detail == "refused"
    assert len(service.tries) == 4


def test_a_service_that_raises_counts_as_a_failed_try(queue: AlertQueue) -> None:
    clock = ManualClock(at(8))
    service = Service()
    service.raising = True
    worker, finished = _worker(queue, clock, service, attempts=2, backoff_s=1)
    queue.add(alert_spec("c1"), clock.now())
    worker.step()
    clock.advance(1)
    service.raising = False
    worker.step()
    (sent,) = finished
    assert sent.status is Status.SENT and sent.attempts == 2


def test_a_cancelled_alert_is_not_sent(queue: AlertQueue) -> None:
    clock = ManualClock(at(8))
    service = Service()
    worker, finished = _worker(queue, clock, service)
    queue.add(alert_spec("c1"), clock.now())
    queue.cancel(alert_spec().station, "c1", clock.now(), "call resolved before it went out")
    assert worker.step() == IDLE_S
    assert service.tries == [] and finished == []
