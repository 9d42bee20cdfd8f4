"""The line under the header: broker link, refused commands, pending commands, bad messages."""

from __future__ import annotations

from datetime import tzinfo

from rich.text import Text
from textual.reactive import reactive
from textual.widget import Widget

from andon.board.formatting import age, clock_s
from andon.board.views import BoardView


class StatusBar(Widget):
    """A one-line banner; red while the broker is lost, amber while a notice is shown."""

    view: reactive[BoardView | None] = reactive(None, layout=False)

    def __init__(self, zone: tzinfo, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.zone = zone

    def watch_view(self, view: BoardView | None) -> None:
        lost = view is not None and view.broker.connected is False
        self.set_class(lost, "-lost")
        self.set_class(not lost and view is not None and bool(view.notices), "-notice")

    def render(self) -> Text:
        view = self.view
        if view is None:
            return Text("Starting…")
        out = Text()
        broker = view.broker
        if broker.connected is False:
            since = ""
            if broker.since is not None:
                seconds = (view.now - broker.since).total_seconds()
                since = f" since {clock_s(broker.since, self.zone)} ({age(seconds)})"
            detail = f" — {broker.detail}" if broker.detail else ""
            out.append(f"⚠ BROKER LOST: reconnecting to {broker.endpoint}{since}{detail}", "bold")
        elif view.notices:
            out.append(f"✕ {view.notices[-1].text}", "bold")
        elif broker.connected:
            out.append(f"✓ broker {broker.endpoint}")
        else:
            out.append("○ no broker (offline view)")
        extra = []
        if view.pending:
            extra.append(f"⧗ {len(view.pending)} pending")
        bad = view.diagnostics.malformed_total
        if bad:
            extra.append(f"⚠ {bad} bad message{'s' if bad != 1 else ''} (d)")
        if extra:
            out.append("  ·  " + "  ·  ".join(extra))
        return out
