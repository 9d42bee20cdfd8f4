"""The line under the header: broker link, historian alarms, refused and pending commands,
bad messages."""

from __future__ import annotations

from datetime import tzinfo

from rich.text import Text
from textual.widget import Widget

from andon.board.formatting import age, clock_s, notice_text
from andon.board.services import service_alarm
from andon.board.views import BoardView
from andon.i18n import Translator


class StatusBar(Widget):
    """A one-line banner; red while the broker is lost, amber while a notice is shown."""

    def __init__(self, zone: tzinfo, tr: Translator, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.zone = zone
        self.tr = tr
        self.view: BoardView | None = None
        self._shown = self.text()

    def show(self, view: BoardView | None) -> None:
        """Show ``view``; repaint only when the banner's text changed."""
        self.view = view
        lost = view is not None and view.broker.connected is False
        self.set_class(lost, "-lost")
        alarmed = view is not None and (bool(view.notices) or any(s.alarm for s in view.services))
        self.set_class(not lost and alarmed, "-notice")
        text = self.text()
        if text != self._shown:
            self._shown = text
            self.refresh()

    def render(self) -> Text:
        return self._shown

    def text(self) -> Text:
        """The banner for the current view."""
        _ = self.tr.gettext
        view = self.view
        if view is None:
            return Text(_("Starting…"))
        out = Text()
        broker = view.broker
        if broker.connected is False:
            detail = f" — {broker.detail}" if broker.detail else ""
            if broker.since is not None:
                seconds = (view.now - broker.since).total_seconds()
                banner = _("⚠ BROKER LOST: reconnecting to {broker} since {time} ({age})").format(
                    broker=broker.endpoint,
                    time=clock_s(broker.since, self.zone),
                    age=age(seconds, self.tr),
                )
            else:
                banner = _("⚠ BROKER LOST: reconnecting to {broker}").format(broker=broker.endpoint)
            out.append(banner + detail, "bold")
        elif view.notices:
            out.append(f"✕ {notice_text(view.notices[-1], self.tr)}", "bold")
        elif alarms := [s for s in view.services if s.alarm]:
            out.append(f"⚠ {service_alarm(alarms[0], self.tr)}", "bold")
        elif broker.connected:
            out.append(_("✓ broker {broker}").format(broker=broker.endpoint))
        else:
            out.append(_("○ no broker (offline view)"))
        extra = []
        if view.pending:
            extra.append(_("⧗ {count} pending").format(count=len(view.pending)))
        bad = view.diagnostics.malformed_total
        if bad:
            extra.append(
                self.tr.ngettext(
                    "⚠ {count} bad message (d)", "⚠ {count} bad messages (d)", bad
                ).format(count=bad)
            )
        if extra:
            out.append("  ·  " + "  ·  ".join(extra))
        return out
