"""Pick a call type to raise from the keyboard, and confirm it with a second Enter."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label, OptionList
from textual.widgets.option_list import Option

from andon.board.catalogue import CallTypeInfo
from andon.board.formatting import LAMP_COLOURS
from andon.i18n import N_, Translator

CHOOSE_HELP = N_("↑↓ pick · Enter choose · Esc cancel")


class CallPicker(ModalScreen[str | None]):
    """Returns the call type to raise, or ``None`` if cancelled.

    Enter arms the highlighted type and a second Enter on it confirms (a call
    brings people running, so one stray key must not raise it). Moving to
    another type disarms. Types already open at the station cannot be picked.
    """

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", N_("Cancel"))]

    def __init__(
        self,
        title: str,
        call_types: Sequence[CallTypeInfo],
        tr: Translator,
        open_types: Collection[str] = (),
    ) -> None:
        super().__init__()
        self.tr = tr
        self.title_text = title
        self.call_types = list(call_types)
        self.open_types = frozenset(open_types)
        self.armed: str | None = None

    def compose(self) -> ComposeResult:
        options = []
        for info in self.call_types:
            colour = LAMP_COLOURS.get(info.colour, "yellow")
            label = Text(f"{info.label}", f"bold {colour}")
            is_open = info.name in self.open_types
            if is_open:
                label.append("  " + self.tr.gettext("(already open)"), "dim")
            options.append(Option(label, id=info.name, disabled=is_open))
        with Vertical(id="picker"):
            yield Label(self.title_text, id="picker-title")
            yield OptionList(*options, id="picker-options")
            yield Label(self.tr.gettext(CHOOSE_HELP), id="picker-help")

    def on_mount(self) -> None:
        self.query_one(OptionList).focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        call_type = event.option_id
        if call_type is None:
            return
        if self.armed == call_type:
            self.dismiss(call_type)
            return
        self.armed = call_type
        label = next((t.label for t in self.call_types if t.name == call_type), call_type)
        self.query_one("#picker-help", Label).update(
            Text(
                self.tr.gettext("Enter again to raise {call} · Esc cancel").format(
                    call=label.upper()
                ),
                "bold",
            )
        )

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        event.stop()
        if event.option_id != self.armed:
            self.armed = None
            self.query_one("#picker-help", Label).update(self.tr.gettext(CHOOSE_HELP))

    def action_cancel(self) -> None:
        self.dismiss(None)
