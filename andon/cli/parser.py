"""The argument parser of every andon command: its help laid out in terminal cells.

argparse wraps help by counting characters, but a CJK glyph takes two cells: a
Chinese line runs past the terminal and the usage's continuation lines stand
left of where they belong. :class:`Parser` uses argparse's documented means
only: its help texts are wrapped here by display width (:func:`andon.i18n.width.wrap`)
and given to :class:`argparse.RawTextHelpFormatter`, which keeps them as they are;
its public ``format_usage``, ``format_help`` and ``error`` realign the usage under
a wide ``用法：``, write each section heading with the catalog's colon
(``位置参数：``) and wrap an error by display width.

The widths follow argparse's own: the text is as wide as the terminal less two
cells, and an option's help starts at most 24 cells in.
"""

from __future__ import annotations

import argparse
import gettext
import re
import shutil
import sys
from typing import Any, NoReturn

from andon.i18n.width import cells, wrap

HELP_COLUMN = 24
"""The furthest argparse starts an option's help (its ``max_help_position``)."""
NARROWEST_HELP = 11
"""argparse never makes an option's help narrower than this."""
PARTS = re.compile(r"\(.*?\)+(?=\s|$)|\[.*?\]+(?=\s|$)|\S+")
"""The pieces of a usage line, split as argparse splits them (a bracketed group whole)."""


def text_width() -> int:
    """How many cells a line of help may take: the terminal's width less two, as argparse."""
    return max(shutil.get_terminal_size().columns - 2, NARROWEST_HELP)


def help_width() -> int:
    """How many cells an option's help may take, whatever column argparse starts it at."""
    width = text_width()
    column = min(HELP_COLUMN, max(width - 20, 4))
    return max(width - column, NARROWEST_HELP)


def wrapped(text: str | None, width: int) -> str | None:
    """``text`` broken into lines of at most ``width`` cells (``None`` and
    ``argparse.SUPPRESS`` as they are)."""
    if not text or text == argparse.SUPPRESS:
        return text
    return "\n".join(wrap(text, width))


def _wrap_help(kwargs: dict[str, Any]) -> dict[str, Any]:
    if "help" in kwargs:
        kwargs["help"] = wrapped(kwargs["help"], help_width())
    return kwargs


class _Group:
    """A group of arguments of a :class:`Parser`: each argument's help wrapped too."""

    def __init__(self, group: Any) -> None:
        object.__setattr__(self, "group", group)

    def add_argument(self, *args: Any, **kwargs: Any) -> argparse.Action:
        return self.group.add_argument(*args, **_wrap_help(kwargs))

    def add_argument_group(self, *args: Any, **kwargs: Any) -> _Group:
        return _Group(self.group.add_argument_group(*args, **kwargs))

    def add_mutually_exclusive_group(self, **kwargs: Any) -> _Group:
        return _Group(self.group.add_mutually_exclusive_group(**kwargs))

    def __getattr__(self, name: str) -> Any:
        return getattr(self.group, name)

    def __setattr__(self, name: str, value: Any) -> None:
        setattr(self.group, name, value)


class _Commands(_Group):
    """The subcommands of a :class:`Parser`: each one's help in the list wrapped too."""

    def add_parser(self, name: str, **kwargs: Any) -> Parser:
        parser: Parser = self.group.add_parser(name, **_wrap_help(kwargs))
        return parser


class Parser(argparse.ArgumentParser):
    """An :class:`argparse.ArgumentParser` whose help fits the terminal in cells."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", argparse.RawTextHelpFormatter)
        for key in ("description", "epilog"):
            if kwargs.get(key):
                kwargs[key] = wrapped(kwargs[key], text_width())
        self.andon_headings: set[str] = set()
        """The section headings this parser was given (argparse names its own two)."""
        self.andon_built = False
        """argparse makes its own two groups while it is built: those stay its own."""
        super().__init__(*args, **kwargs)
        self.andon_built = True

    def add_argument(self, *args: Any, **kwargs: Any) -> argparse.Action:
        return super().add_argument(*args, **_wrap_help(kwargs))

    def add_argument_group(self, *args: Any, **kwargs: Any) -> Any:
        group = super().add_argument_group(*args, **kwargs)
        if not self.andon_built:
            return group
        title = kwargs.get("title", args[0] if args else None)
        if title:
            self.andon_headings.add(title)
        return _Group(group)

    def add_mutually_exclusive_group(self, **kwargs: Any) -> Any:
        return _Group(super().add_mutually_exclusive_group(**kwargs))

    def add_subparsers(self, **kwargs: Any) -> Any:
        if kwargs.get("description"):
            kwargs["description"] = wrapped(kwargs["description"], text_width())
        return _Commands(super().add_subparsers(**kwargs))

    def format_usage(self) -> str:
        return fitted_usage(super().format_usage(), text_width())

    def format_help(self) -> str:
        headings = {*self.andon_headings, _("positional arguments"), _("options")}
        return with_headings(fitted_usage(super().format_help(), text_width()), headings)

    def error(self, message: str) -> NoReturn:
        """Usage and ``prog: error: message`` on standard error, wrapped by display width,
        exit status 2 (what argparse does, as its documentation allows overriding)."""
        self.print_usage(sys.stderr)
        said = _("%(prog)s: error: %(message)s\n") % {"prog": self.prog, "message": message}
        self.exit(2, "\n".join(wrap(said, text_width())) + "\n")


def _(message: str) -> str:
    """``message`` as argparse looks it up (the program's gettext domain)."""
    return gettext.gettext(message)


def fitted_usage(text: str, width: int) -> str:
    """``text`` (a usage, or a help starting with one) with the usage's continuation
    lines under the first argument however wide ``usage:`` is in cells, no line of it
    wider than ``width`` cells; argparse's own line breaks are kept."""
    prefix = _("usage: ")
    if not text.startswith(prefix):
        return text
    usage, blank, rest = text.partition("\n\n")
    block = usage.rstrip("\n")
    ending = usage[len(block) :] + blank
    lines = block.split("\n")
    extra = cells(prefix) - len(prefix)
    if extra == 0 and all(cells(line) <= width for line in lines):
        return text
    following = lines[1:]
    indent = len(following[0]) - len(following[0].lstrip(" ")) if following else 0
    lead = " " * (indent + extra)
    groups: list[list[str]] = []
    last = ""
    for number, line in enumerate(lines):
        parts = PARTS.findall(line[len(prefix) :] if number == 0 else line)
        if not groups or (parts and _positional(parts[0], last)):
            groups.append(parts)  # argparse starts the positional arguments on a line
        else:
            groups[-1].extend(parts)
        last = parts[-1] if parts else last
    fitted: list[str] = []
    for number, parts in enumerate(groups):
        start = prefix if number == 0 else lead
        fitted.extend(_packed(parts, start, lead, " " * cells(prefix), width))
    return "\n".join(fitted) + ending + rest


def _positional(part: str, before: str) -> bool:
    """Whether a usage part is a positional argument's (not an option or its value)."""
    return not part.startswith(("[", "(", "-")) and not before.startswith("-")


def _packed(parts: list[str], start: str, lead: str, least: str, width: int) -> list[str]:
    """``parts`` in lines of at most ``width`` cells, the first after ``start``, the
    others after ``lead``; a part too wide for that stands on a line of its own after
    ``least``, broken after its commas where even that is too narrow."""
    lines: list[str] = []
    line = start
    filled = False
    for part in parts:
        joined = f"{line} {part}" if filled else line + part
        if cells(joined) <= width:
            line, filled = joined, True
            continue
        if filled or line.strip():
            lines.append(line)
        if cells(lead + part) <= width:
            line, filled = lead + part, True
            continue
        broken = _broken(part, least, width)
        lines.extend(broken[:-1])
        line, filled = broken[-1], True
    lines.append(line)
    return lines


def _broken(part: str, lead: str, width: int) -> list[str]:
    """A usage part wider than a line (a long list of choices) after ``lead``, broken
    after a comma or a bar where it does not fit."""
    lines: list[str] = []
    line = lead
    for piece in re.findall(r"[^,|]*[,|]|[^,|]+$", part):
        if line.strip() and cells(line + piece) > width:
            lines.append(line)
            line = lead + piece
        else:
            line += piece
    lines.append(line)
    return lines


def with_headings(text: str, headings: set[str]) -> str:
    """``text`` with each section heading ``title:`` written by the catalogs' heading
    template (``位置参数：``); a heading argparse already wrote so is left as it is."""
    lines = text.split("\n")
    for number, line in enumerate(lines):
        if line.endswith(":") and line[:-1] in headings:
            lines[number] = _("%(heading)s:") % {"heading": line[:-1]}
    return "\n".join(lines)
