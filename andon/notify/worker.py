"""One delivery thread per channel: claim, send, record; paced and retried.

:meth:`ChannelWorker.step` does one unit of work and says how long to wait
before the next, so tests drive it with their own clock and sender; the thread
only loops over it. A slow or dead service holds up its own channel, never another.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from datetime import timedelta

from andon.config.notify import ChannelConfig
from andon.notify.channels import Send, SendResult
from andon.notify.clock import Clock
from andon.notify.pacing import TokenBucket, backoff_s
from andon.notify.queue import Alert, AlertQueue
from andon.notify.text import AlertText

log = logging.getLogger(__name__)

IDLE_S = 5.0
"""Longest wait between looks at the queue (new alerts wake the worker at once)."""

Write = Callable[[Alert], tuple[AlertText, str]]
"""``write(alert) -> (text, ack_link)``: the words of an alert at the time it goes out."""


class ChannelWorker:
    """Sends the alerts of one channel."""

    def __init__(
        self,
        channel: ChannelConfig,
        queue: AlertQueue,
        send: Send,
        write: Write,
        clock: Clock,
        on_finished: Callable[[Alert], None] = lambda alert: None,
    ) -> None:
        self.channel = channel
        self.queue = queue
        self.send = send
        self.write = write
        self.clock = clock
        self.on_finished = on_finished
        self.bucket = TokenBucket(channel.rate_per_minute, channel.burst, clock.monotonic())
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    # --- one unit of work ---------------------------------------------------------

    def step(self) -> float:
        """Send at most one due alert; return the seconds to wait before the next step."""
        now = self.clock.now()
        due = self.queue.next_due(self.channel.id)
        if due is None:
            return IDLE_S
        if due > now.timestamp():
            return min(IDLE_S, due - now.timestamp())
        paced = self.bucket.wait_s(self.clock.monotonic())
        if paced > 0:
            return paced
        alert = self.queue.claim(self.channel.id, now)
        if alert is None:
            return 0.0
        self.bucket.take(self.clock.monotonic())
        result = self._try(alert)
        finished = self._record(alert, result)
        if finished is not None:
            self.on_finished(finished)
        return 0.0

    def _try(self, alert: Alert) -> SendResult:
        try:
            text, link = self.write(alert)
            return self.send(alert, text, link)
        except Exception as exc:  # a broken service must not stop the channel
            log.exception("channel %s failed on alert %s", self.channel.id, alert.id)
            return SendResult(False, f"{type(exc).__name__}: {exc}")

    def _record(self, alert: Alert, result: SendResult) -> Alert | None:
        """Write the try's outcome; the alert when it is finished (sent or given up)."""
        now = self.clock.now()
        if result.ok:
            log.info("alert %s sent on %s", alert.id, self.channel.id)
            return self.queue.mark_sent(alert.id, now, result.detail)
        if alert.attempts >= self.channel.attempts:
            log.warning(
                "alert %s failed on %s after %d tries: %s",
                alert.id,
                self.channel.id,
                alert.attempts,
                result.detail,
            )
            return self.queue.mark_failed(alert.id, now, result.detail)
        wait = backoff_s(alert.attempts, self.channel.backoff_s, self.channel.max_backoff_s)
        log.info(
            "alert %s on %s: try %d failed (%s); next in %.1f s",
            alert.id,
            self.channel.id,
            alert.attempts,
            result.detail,
            wait,
        )
        self.queue.mark_retry(alert.id, now + timedelta(seconds=wait), result.detail)
        return None

    # --- the thread ---------------------------------------------------------------

    def wake(self) -> None:
        """Look at the queue now (a new alert arrived)."""
        self._wake.set()

    def start(self) -> ChannelWorker:
        self._thread = threading.Thread(
            target=self._run, name=f"notify-{self.channel.id}", daemon=True
        )
        self._thread.start()
        return self

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                delay = self.step()
            except Exception:
                log.exception("channel %s: queue error; trying again", self.channel.id)
                delay = IDLE_S
            if delay > 0:
                self._wake.wait(delay)
                self._wake.clear()

    def stop(self, timeout: float = 5.0) -> None:
        """Stop after the alert in hand (if any) is recorded."""
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout)
