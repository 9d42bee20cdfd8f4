"""A page's live part as a tree of keyed parts, and the changes from one tree to the next.

A :class:`Part` is one element of the page, marked ``data-part="<key>"``: its HTML
is a run of text and child parts. A *keyed* part (a list: calls, cards) holds only
child parts between its opening and closing tag, so a row that comes, goes or
moves is one small change, not the whole list again. :func:`changes` compares two
trees and returns what a browser needs to turn the old page into the new one:

- ``order``: a keyed part's children by key (new ones as empty places);
- ``part``: one part's whole HTML, in place of the element with its key (or of the
  empty place ``order`` made for it).

Unchanged parts cost nothing: a part whose text and children's keys are the same
is not sent, only its changed children are. Both are written as server-sent
events by :func:`sse_changes`, once for every viewer of the page.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from urllib.parse import quote

WIRE_KEY_LIMIT = 16


@dataclass(frozen=True, eq=False)
class Part:
    """One element of a live part: its text and child parts, in the order of the HTML."""

    key: str
    segments: tuple[str | Part, ...]
    keyed: bool = False
    """Only child parts between the first and last text (a list whose rows move)."""
    html: str = field(init=False, repr=False)

    def __post_init__(self) -> None:
        text = "".join(s if isinstance(s, str) else s.html for s in self.segments)
        object.__setattr__(self, "html", text)

    @property
    def children(self) -> tuple[Part, ...]:
        return tuple(s for s in self.segments if isinstance(s, Part))

    def shape(self) -> tuple[str, ...]:
        """The text with each child part's place marked by its key."""
        return tuple(s if isinstance(s, str) else "\0" + s.key for s in self.segments)


def wire(key: str) -> str:
    """A key as the page and the events hold it: short keys percent-encoded, long ones
    (a call's station path and id) as a 16-digit digest, so a timer's change stays small."""
    if len(key) <= WIRE_KEY_LIMIT:
        return quote(key, safe="")
    return "h" + hashlib.blake2s(key.encode(), digest_size=8).hexdigest()


def attr(key: str) -> str:
    """The ``data-part`` attribute that marks a part's element."""
    return f' data-part="{wire(key)}"'


def keyed(key: str, head: str, items: list[Part] | tuple[Part, ...], tail: str) -> Part:
    """A list part: ``head`` (its opening tag, with :func:`attr`), the rows, ``tail``."""
    return Part(key, (head, *items, tail), keyed=True)


@dataclass(frozen=True)
class Change:
    kind: str
    """``order`` or ``part``."""
    key: str
    text: str
    """``order``: the children's keys, one a line; ``part``: the part's HTML."""


def changes(old: Part | None, new: Part) -> list[Change]:
    """What turns the page ``old`` into ``new`` (``old`` ``None``: everything)."""
    out: list[Change] = []
    _diff(old, new, out)
    return out


def _diff(old: Part | None, new: Part, out: list[Change]) -> None:
    if old is new:
        return
    if old is None or old.key != new.key or old.keyed != new.keyed:
        out.append(Change("part", new.key, new.html))
        return
    if old.html == new.html:
        return
    if new.keyed:
        ends = (new.segments[0], new.segments[-1])
        if (old.segments[0], old.segments[-1]) != ends:
            out.append(Change("part", new.key, new.html))
            return
        before = {child.key: child for child in old.children}
        after = new.children
        if [c.key for c in after] != list(before):
            out.append(Change("order", new.key, "\n".join(wire(c.key) for c in after)))
        for child in after:
            _diff(before.get(child.key), child, out)
        return
    if old.shape() != new.shape():
        out.append(Change("part", new.key, new.html))
        return
    for was, now in zip(old.children, new.children, strict=True):
        _diff(was, now, out)


def _data(text: str) -> str:
    return text.replace("\r", "").replace("\n", "\ndata: ")


def sse_changes(items: list[Change]) -> bytes:
    """The changes as server-sent events: ``order`` and ``part``, the key on the first line."""
    return "".join(
        f"event: {c.kind}\ndata: {wire(c.key)}\ndata: {_data(c.text)}\n\n" for c in items
    ).encode()


def sse_whole(text: str) -> bytes:
    """The whole live part as one ``live`` event (a page that connects or fell behind)."""
    return f"event: live\ndata: {_data(text)}\n\n".encode()
