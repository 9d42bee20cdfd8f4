"""The pace state in large type: symbol and word, coloured by class (never colour alone)."""

from __future__ import annotations

from rich.text import Text
from textual.reactive import reactive
from textual.widget import Widget

from andon.board.formatting import LINK_STYLES, pace_style
from andon.board.views import Link
from andon.board.widgets.line_card import LINK_CLASSES, PACE_CLASSES
from andon.i18n import Translator


class PaceBadge(Widget):
    """``▼ TOO SLOW`` on a coloured block; shows the link state instead when not online."""

    pace: reactive[str | None] = reactive(None)
    link: reactive[Link] = reactive(Link.UNKNOWN)

    def __init__(self, tr: Translator, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.tr = tr

    def _update_classes(self) -> None:
        style = pace_style(self.pace)
        for css in PACE_CLASSES:
            self.set_class(css == style.css and self.link is Link.OK, css)
        for css in LINK_CLASSES:
            self.set_class(css == f"link-{self.link.value}" and self.link is not Link.OK, css)

    def watch_pace(self) -> None:
        self._update_classes()

    def watch_link(self) -> None:
        self._update_classes()

    def render(self) -> Text:
        style = LINK_STYLES[self.link] if self.link is not Link.OK else pace_style(self.pace)
        word = self.tr.gettext(style.word)
        return Text(f"{style.symbol}  {word}  {style.symbol}", "bold", justify="center")
