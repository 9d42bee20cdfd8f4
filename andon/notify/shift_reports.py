"""Shift-end reports through the notifier's channels: HTML mail, a summary elsewhere.

After each shift of the calendar has ended (plus the report's ``delay_s``), the
reporter reads the shift from the history (:func:`andon.historian.report.build_report`,
with the shift before for comparison) and sends it on the report's channels: an
e-mail channel gets the self-contained HTML report, any other channel (chat,
push) the short summary of :mod:`andon.notify.report_text`. Channels with
``send_to = "people"`` send one message per recipient in their language; group
channels one message in the channel's language.

Each message is sent once (:class:`andon.notify.report_log.ReportLog`); a failed
one is tried again at the next look, up to the channel's ``attempts``. Shifts
that ended more than :data:`CATCH_UP` ago are not sent late.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, Protocol

from andon.config.notify import NotifyFile
from andon.config.shift_report import ShiftReportConfig, recipients
from andon.domain.calendar import ShiftWindow
from andon.historian.formats import render
from andon.historian.period import Period
from andon.historian.report import ReportError, Scope, build_report
from andon.historian.site import Site, load_site
from andon.historian.store import HistoryError
from andon.historian.stores import open_store
from andon.historian.words import ReportWords
from andon.notify.channels import SendResult
from andon.notify.clock import Clock, SystemClock
from andon.notify.report_log import ReportKey, ReportLog
from andon.notify.report_text import report_summary, report_title

log = logging.getLogger(__name__)

CHECK_S = 60.0
"""Between looks for ended shifts and failed messages to try again."""
CATCH_UP = timedelta(hours=24)
"""Shifts that ended longer ago are not sent (a notifier started after a long stop)."""


class DocumentChannel(Protocol):
    """What a channel offers for documents (:class:`andon.notify.channels.AppriseChannel`)."""

    @property
    def is_mail(self) -> bool: ...

    def send_document(
        self, to: str, title: str, body: str, html: bool, doc_id: str
    ) -> SendResult: ...


@dataclass(frozen=True)
class Target:
    channel: str
    recipient: str
    """A badge, or ``""`` for a group channel."""
    address: str
    language: str


class ShiftReporter:
    """Sends the configured shift-end reports of one notifier."""

    def __init__(
        self,
        config: NotifyFile,
        channels: Mapping[str, DocumentChannel],
        log_path: Path,
        *,
        clock: Clock | None = None,
        site: Site | None = None,
        check_s: float = CHECK_S,
    ) -> None:
        self.config = config
        self.plant = config.plant_config
        self.channels = channels
        self.clock: Clock = clock or SystemClock()
        self.site = site or load_site(config.plant)
        self.log = ReportLog(log_path)
        self.check_s = check_s
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    # --- life -------------------------------------------------------------------

    def start(self) -> ShiftReporter:
        self._thread = threading.Thread(target=self._run, name="shift-reports", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(30)
        self.log.close()

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                self.run_once()
            except Exception:  # a bug must not end the reports for good
                log.exception("shift reports: unexpected error; trying again")
            self._stop.wait(self.check_s)

    # --- one look ---------------------------------------------------------------

    def run_once(self) -> int:
        """Send every message due now; return how many were sent."""
        now = self.clock.now()
        sent = 0
        for index, report in enumerate(self.config.shift_reports):
            for window in self.ended(report, now):
                sent += self._send_shift(index, report, window, now)
        return sent

    def ended(self, report: ShiftReportConfig, now: datetime) -> list[ShiftWindow]:
        """Shifts of the report that ended at least ``delay_s`` ago, within :data:`CATCH_UP`."""
        ready = now - timedelta(seconds=report.delay_s)
        calendar = self.plant.domain_calendar()
        return [
            w
            for w in calendar.windows(now - CATCH_UP - timedelta(days=1), ready)
            if now - CATCH_UP <= w.end <= ready
            and (report.shifts is None or w.shift.name in report.shifts)
        ]

    def targets(self, report: ShiftReportConfig) -> list[Target]:
        contacts = {c.badge: c for c in self.config.contacts}
        found = []
        for channel_id in report.channels:
            channel = self.config.channel(channel_id)
            if channel.send_to == "group":
                language = channel.language or self.plant.site.language
                found.append(Target(channel_id, "", "", language))
                continue
            for badge in recipients(report, self.plant):
                contact = contacts.get(badge)
                if contact is None or channel_id not in contact.addresses:
                    continue
                language = self.config.language_for(badge, channel_id)
                found.append(Target(channel_id, badge, contact.addresses[channel_id], language))
        return found

    def _send_shift(
        self, index: int, report: ShiftReportConfig, window: ShiftWindow, now: datetime
    ) -> int:
        scopes = [Scope("line", line) for line in report.lines or []] or [
            Scope("site", self.plant.site.id)
        ]
        sent = 0
        for scope in scopes:
            name = f"{report.label(index)}:{scope.kind}:{scope.id}"
            due = [t for t in self.targets(report) if self._due(name, window, t)]
            if not due:
                continue
            built = self._build(report.history, scope, window, now)
            if built is None:
                continue
            for target in due:
                sent += self._send(name, window, target, built, now)
        return sent

    def _due(self, name: str, window: ShiftWindow, target: Target) -> bool:
        row = self.log.get(self._key(name, window, target))
        if row is None:
            return True
        attempts = self.config.channel(target.channel).attempts
        return row.status == "failed" and row.attempts < attempts

    def _key(self, name: str, window: ShiftWindow, target: Target) -> ReportKey:
        return ReportKey(name, window.start.isoformat(), target.channel, target.recipient)

    def _build(
        self, history: str, scope: Scope, window: ShiftWindow, now: datetime
    ) -> dict[str, Any] | None:
        period = Period("shift", window.start, window.end, window)
        try:
            with open_store(history) as store:
                return build_report(store, self.site, scope, period, now=now, compare=True)
        except HistoryError as exc:
            log.error("shift report of %s: history unreachable, trying again: %s", scope.id, exc)
        except ReportError as exc:
            log.warning("shift report of %s not sent: %s", scope.id, exc)
        return None

    def _send(
        self, name: str, window: ShiftWindow, target: Target, report: dict[str, Any], now: datetime
    ) -> int:
        channel = self.channels[target.channel]
        words = ReportWords(target.language, self.plant)
        title = report_title(report, words)
        if channel.is_mail:
            body, html = render(report, "html", target.language, self.plant), True
        else:
            body, html = report_summary(report, words), False
        key = self._key(name, window, target)
        doc_id = f"shift-report:{name}:{key.shift_start}"
        try:
            result = channel.send_document(target.address, title, body, html, doc_id)
        except Exception as exc:  # a broken service must not stop the other messages
            result = SendResult(False, f"{type(exc).__name__}: {exc}")
        row = self.log.record(key, result.ok, result.detail, now)
        who = target.recipient or "the group"
        if result.ok:
            log.info("shift report %s sent on %s to %s", name, target.channel, who)
            return 1
        log.warning(
            "shift report %s on %s to %s: try %d failed: %s",
            name,
            target.channel,
            who,
            row.attempts,
            result.detail,
        )
        return 0
