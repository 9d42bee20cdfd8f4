"""The screen for a small display at the line: pace large, count vs plan, what to do next;
``n`` raises a call for the station from the board."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import Digits

from andon.board.formatting import (
    LAMP_COLOURS,
    STATUS_STYLES,
    age,
    duration,
    number,
    signed,
)
from andon.board.guidance import next_step
from andon.board.ordering import MATERIAL
from andon.board.screens.base import BoardScreen
from andon.board.screens.call_picker import CallPicker
from andon.board.views import BoardView, LineView, Link, StationView
from andon.board.widgets.pace_badge import PaceBadge
from andon.board.widgets.steady import SteadyLabel, SteadyStatic


class StationScreen(BoardScreen):
    """One station (``[`` / ``]`` step through the stations of the board's lines)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        ("left_square_bracket", "previous_station", "Prev station"),
        ("right_square_bracket", "next_station", "Next station"),
        ("n", "raise_call", "Raise call"),
    ]

    def compose_body(self) -> ComposeResult:
        with Vertical(id="station-body"):
            yield SteadyLabel("", id="station-title")
            yield PaceBadge(id="station-pace")
            with Horizontal(id="station-count"):
                yield Digits("", id="station-actual")
                yield SteadyStatic("", id="station-plan")
            yield SteadyStatic("", id="station-call")
            yield SteadyStatic("", id="station-next")

    def show(self, view: BoardView) -> None:
        station, line = self.board.current_station(view)
        title = self.query_one("#station-title", SteadyLabel)
        badge = self.query_one(PaceBadge)
        if station is None or line is None:
            title.show("No station heard yet.")
            badge.link = Link.UNKNOWN
            return
        snap = station.snapshot
        figures = line.snapshot if not (snap and snap.counts) else snap
        title.show(f"{line.name} · station {station.station_id}")
        badge.link = station.link
        badge.pace = figures.pace if figures else None
        actual = figures.good if figures else None
        digits = self.query_one("#station-actual", Digits)
        if digits.value != ("" if actual is None else str(actual)):
            digits.update("" if actual is None else str(actual))
        self.query_one("#station-plan", SteadyStatic).show(self._plan_text(line, station))
        self.query_one("#station-call", SteadyStatic).show(self._call_text(station))
        next_text = next_step(station, self.board.catalogue)
        self.query_one("#station-next", SteadyStatic).show(Text(f"▶ {next_text}", "bold"))

    @staticmethod
    def _plan_text(line: LineView, station: StationView) -> Text:
        snap = line.snapshot
        text = Text()
        if snap is None:
            text.append("no plan yet", "italic")
            return text
        text.append("made\n", "dim")
        text.append("of ", "dim")
        text.append(f"{number(snap.planned)} planned\n", "bold")
        text.append(f"{signed(snap.difference)} ", "bold")
        text.append("vs plan", "dim")
        if station.link is not Link.OK:
            text.append(f"\n{station.link.value.upper()} {age(station.age_s)}", "bold red")
        return text

    def _raises_pending(self, station: StationView) -> list[str]:
        """Call types this board asked ``station`` to raise, not confirmed yet."""
        view = self.board.view
        pending = view.pending if view else ()
        return [
            str(p.args.get("call_type", ""))
            for p in pending
            if p.station == station.path and p.name == "raise"
        ]

    def _call_text(self, station: StationView) -> Text:
        snap = station.snapshot
        catalogue = self.board.catalogue
        raising = self._raises_pending(station)
        if (snap is None or not snap.open_calls) and not raising:
            return Text("No open call.", "dim")
        text = Text()
        now = self.board.view.now if self.board.view else None
        for call_type in raising:
            label = catalogue.call_label(call_type).upper()
            text.append(f"⧗ raise {label} pending…\n", "bold italic")
        for index, call in enumerate(snap.open_calls if snap else ()):
            if index:
                text.append("\n")
            status = STATUS_STYLES.get(call.status, STATUS_STYLES["raised"])
            colour = LAMP_COLOURS.get(catalogue.call_colour(call.call_type), "yellow")
            text.append(
                f"{status.symbol} {catalogue.call_label(call.call_type).upper()} ", f"bold {colour}"
            )
            if now is not None:
                text.append(duration((now - call.raised_at).total_seconds()), "bold")
            text.append(f"  {status.word.lower()}")
            if call.acknowledged_by:
                text.append(f" by {call.acknowledged_by}")
            if call.part:
                text.append(f"  {call.part}")
            if call.level:
                text.append(f"  level {call.level}", "bold red" if call.level >= 2 else "")
        return text

    def action_raise_call(self) -> None:
        """Raise a call for the shown station (material calls come from bins and kanbans)."""
        view = self.board.view
        station, line = self.board.current_station(view) if view else (None, None)
        if station is None or line is None:
            self.notify("No station heard yet.", severity="warning")
            return
        catalogue = self.board.catalogue
        call_types = [t for t in catalogue.call_types.values() if t.name != MATERIAL]
        snap = station.snapshot
        taken = {c.call_type for c in snap.open_calls} if snap else set()
        taken.update(self._raises_pending(station))
        title = f"Raise a call at {line.name} · station {station.station_id}"

        def chosen(call_type: str | None) -> None:
            if call_type is not None:
                self.board.send_command(station.path, "raise", {"call_type": call_type})

        self.app.push_screen(CallPicker(title, call_types, taken), chosen)

    def action_previous_station(self) -> None:
        self.board.step_station(-1)

    def action_next_station(self) -> None:
        self.board.step_station(+1)
