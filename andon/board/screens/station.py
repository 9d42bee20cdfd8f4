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
    LINK_STYLES,
    STATUS_STYLES,
    age,
    duration,
    signed,
)
from andon.board.guidance import next_step
from andon.board.ordering import MATERIAL
from andon.board.screens.base import BoardScreen
from andon.board.screens.call_picker import CallPicker
from andon.board.views import BoardView, LineView, Link, StationView
from andon.board.widgets.pace_badge import PaceBadge
from andon.board.widgets.steady import SteadyLabel, SteadyStatic
from andon.domain.shown_figures import plan_text, shown_difference
from andon.i18n import N_, Translator


class StationScreen(BoardScreen):
    """One station (``[`` / ``]`` step through the stations of the board's lines)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        ("left_square_bracket", "previous_station", N_("Prev station")),
        ("right_square_bracket", "next_station", N_("Next station")),
        ("n", "raise_call", N_("Raise call")),
    ]

    def compose_body(self) -> ComposeResult:
        with Vertical(id="station-body"):
            yield SteadyLabel("", id="station-title")
            yield PaceBadge(self.board.tr, id="station-pace")
            with Horizontal(id="station-count"):
                yield Digits("", id="station-actual")
                yield SteadyStatic("", id="station-plan")
            yield SteadyStatic("", id="station-call")
            yield SteadyStatic("", id="station-next")

    def show(self, view: BoardView) -> None:
        tr = self.board.tr
        station, line = self.board.current_station(view)
        title = self.query_one("#station-title", SteadyLabel)
        badge = self.query_one(PaceBadge)
        if station is None or line is None:
            title.show(tr.gettext("No station heard yet."))
            badge.link = Link.UNKNOWN
            return
        snap = station.snapshot
        figures = line.snapshot if not (snap and snap.counts) else snap
        title.show(
            tr.gettext("{line} · station {station}").format(
                line=line.name, station=station.station_id
            )
        )
        badge.link = station.link
        badge.pace = figures.pace if figures else None
        actual = figures.good if figures else None
        digits = self.query_one("#station-actual", Digits)
        if digits.value != ("" if actual is None else str(actual)):
            digits.update("" if actual is None else str(actual))
        self.query_one("#station-plan", SteadyStatic).show(self._plan_text(line, station, tr))
        self.query_one("#station-call", SteadyStatic).show(self._call_text(station))
        next_text = next_step(station, self.board.catalogue, tr)
        self.query_one("#station-next", SteadyStatic).show(Text(f"▶ {next_text}", "bold"))

    @staticmethod
    def _plan_text(line: LineView, station: StationView, tr: Translator) -> Text:
        _ = tr.gettext
        snap = line.snapshot
        text = Text()
        if snap is None:
            text.append(_("no plan yet"), "italic")
            return text
        text.append(_("made") + "\n", "dim")
        planned = plan_text(snap.planned, tr.language)
        difference = signed(shown_difference(snap.good, snap.planned), tr)
        text.append(_("of {planned} planned").format(planned=planned) + "\n", "bold")
        text.append(_("{difference} vs plan").format(difference=difference), "bold")
        if station.link is not Link.OK:
            word = _(LINK_STYLES[station.link].word)
            text.append(f"\n{word} {age(station.age_s, tr)}", "bold red")
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
        tr = self.board.tr
        _ = tr.gettext
        snap = station.snapshot
        catalogue = self.board.catalogue
        raising = self._raises_pending(station)
        if (snap is None or not snap.open_calls) and not raising:
            return Text(_("No open call."), "dim")
        text = Text()
        now = self.board.view.now if self.board.view else None
        for call_type in raising:
            label = catalogue.call_label(call_type).upper()
            text.append(_("⧗ raise {call} pending…").format(call=label) + "\n", "bold italic")
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
            if call.acknowledged_by:
                text.append("  " + _("taken by {name}").format(name=call.acknowledged_by))
            else:
                text.append(f"  {_(status.word)}")
            if call.part:
                text.append(f"  {call.part}")
            if call.level:
                level = _("level {level}").format(level=call.level)
                text.append(f"  {level}", "bold red" if call.level >= 2 else "")
        return text

    def action_raise_call(self) -> None:
        """Raise a call for the shown station (material calls come from bins and kanbans)."""
        tr = self.board.tr
        view = self.board.view
        station, line = self.board.current_station(view) if view else (None, None)
        if station is None or line is None:
            self.notify(tr.gettext("No station heard yet."), severity="warning")
            return
        catalogue = self.board.catalogue
        call_types = [t for t in catalogue.call_types.values() if t.name != MATERIAL]
        snap = station.snapshot
        taken = {c.call_type for c in snap.open_calls} if snap else set()
        taken.update(self._raises_pending(station))
        title = tr.gettext("Raise a call at {line} · station {station}").format(
            line=line.name, station=station.station_id
        )

        def chosen(call_type: str | None) -> None:
            if call_type is not None:
                self.board.send_command(station.path, "raise", {"call_type": call_type})

        self.app.push_screen(CallPicker(title, call_types, tr, taken), chosen)

    def action_previous_station(self) -> None:
        self.board.step_station(-1)

    def action_next_station(self) -> None:
        self.board.step_station(+1)
