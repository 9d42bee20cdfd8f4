"""Pick a reason code (and type an optional note) from the keyboard."""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, OptionList
from textual.widgets.option_list import Option

from andon.board.catalogue import ReasonInfo
from andon.i18n import N_, Translator
from andon.i18n.width import pad

NO_REASON = "__none__"


class ReasonPicker(ModalScreen[tuple[str, str] | None]):
    """Returns ``(reason_code, note)`` (code ``""`` for "no reason"), or ``None`` if cancelled.

    Arrow keys pick, Enter confirms, Tab moves to the note, Escape cancels.
    """

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", N_("Cancel"))]

    def __init__(
        self,
        title: str,
        reasons: Sequence[ReasonInfo],
        tr: Translator,
        *,
        allow_none: bool = True,
    ) -> None:
        super().__init__()
        self.tr = tr
        self.title_text = title
        self.reasons = list(reasons)
        self.allow_none = allow_none

    def compose(self) -> ComposeResult:
        _ = self.tr.gettext
        options = []
        if self.allow_none:
            options.append(Option(_("— no reason needed —"), id=NO_REASON))
        for reason in self.reasons:
            planned = "  " + _("(planned)") if reason.planned else ""
            options.append(
                Option(f"{pad(reason.code, 13)} {reason.label}{planned}", id=reason.code)
            )
        with Vertical(id="picker"):
            yield Label(self.title_text, id="picker-title")
            yield OptionList(*options, id="picker-options")
            yield Input(placeholder=_("note (optional, Tab here, Enter to send)"), id="picker-note")
            yield Label(_("↑↓ pick · Enter send · Tab note · Esc cancel"), id="picker-help")

    def on_mount(self) -> None:
        self.query_one(OptionList).focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self._send(event.option_id)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        options = self.query_one(OptionList)
        index = options.highlighted
        if index is None:
            self.notify(self.tr.gettext("Pick a reason first."), severity="warning")
            return
        self._send(options.get_option_at_index(index).id)

    def _send(self, option_id: str | None) -> None:
        if option_id is None:
            return
        code = "" if option_id == NO_REASON else option_id
        note = self.query_one(Input).value.strip()
        self.dismiss((code, note))

    def action_cancel(self) -> None:
        self.dismiss(None)
