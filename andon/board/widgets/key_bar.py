"""The footer: the keys of the screen shown, fitted to the width, Quit always among them.

Textual's own footer lets keys fall off the right edge of a narrow terminal, Quit
first. This one lays out the keys by rank: the screen's own actions and Quit are
always shown, then diagnostics, then the key of the screen shown (so that a person
sees where they are), then the keys that switch to other screens; at 80 columns
the lowest-ranked keys go before any of the others is cut. Widths count terminal
cells, so a German or Chinese label fits as well as an English one. A key can be
clicked or tapped.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.cells import cell_len
from rich.text import Text
from textual import events
from textual.app import App
from textual.binding import Binding
from textual.dom import DOMNode
from textual.widget import Widget

from andon.i18n import Translator

ALWAYS = ("quit",)
"""Actions that are never dropped."""
LOW = ("switch_mode(",)
"""Actions dropped first, when the keys do not fit (switching screens)."""
NEXT = ("switch_mode('diagnostics')",)
"""Kept longer than the other screen switches."""
GAP = 2


@dataclass(frozen=True)
class Key:
    """One key shown: what to press, what it does, and where its action runs."""

    display: str
    label: str
    action: str
    node: DOMNode
    rank: int

    @property
    def width(self) -> int:
        return cell_len(self.display) + 1 + cell_len(self.label)


def rank(binding: Binding, screen_own: bool, mode: str = "") -> int:
    """0: always shown; 1: the screen's own; 2: diagnostics; 3: the screen shown (``mode``);
    4: other screens."""
    if binding.action in ALWAYS:
        return 0
    if screen_own:
        return 1
    if binding.action in NEXT:
        return 2
    if binding.action == f"switch_mode({mode!r})":
        return 3
    if binding.action.startswith(LOW):
        return 4
    return 1


def fit_keys(keys: list[Key], width: int) -> list[Key]:
    """The keys that fit in ``width`` cells, highest rank kept, in their order."""
    shown = list(keys)
    while shown and sum(k.width for k in shown) + GAP * (len(shown) - 1) > width - 2:
        droppable = [k for k in shown if k.rank > 0]
        if not droppable:
            break
        worst = max(droppable, key=lambda k: (k.rank, shown.index(k)))
        shown.remove(worst)
    return shown


class KeyBar(Widget):
    """The keys of the current screen on one line at the bottom."""

    DEFAULT_CSS = """
    KeyBar {
        dock: bottom;
        height: 1;
        background: $footer-background;
        color: $footer-description-foreground;
    }
    """

    def __init__(self, tr: Translator, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.tr = tr
        self._spans: list[tuple[int, int, Key]] = []

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)

    def _bindings_changed(self, _: object) -> None:
        self.refresh()

    def keys(self) -> list[Key]:
        """Every key of the screen shown that says it is to be shown, translated."""
        app: App[object] = self.app
        keys = []
        seen: set[str] = set()
        for node, binding, enabled, _tooltip in self.screen.active_bindings.values():
            if not binding.show or not enabled or binding.action in seen:
                continue
            seen.add(binding.action)
            keys.append(
                Key(
                    app.get_key_display(binding),
                    self.tr.gettext(binding.description),
                    binding.action,
                    node,
                    rank(binding, node is self.screen, app.current_mode),
                )
            )
        return keys

    def render(self) -> Text:
        text = Text(" ")
        self._spans = []
        for index, key in enumerate(fit_keys(self.keys(), self.size.width)):
            if index:
                text.append(" " * GAP)
            start = text.cell_len
            text.append(key.display, "bold reverse")
            text.append(" " + key.label)
            self._spans.append((start, text.cell_len, key))
        return text

    async def on_click(self, event: events.Click) -> None:
        for start, end, key in self._spans:
            if start <= event.x < end:
                await self.app.run_action(key.action, key.node)
                return
