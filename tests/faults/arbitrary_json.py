"""Hypothesis strategies for arbitrary JSON text, written out by hand so that it can hold what
``json.dumps`` never writes: lone surrogate escapes, integers of thousands of digits, ``NaN``
and ``Infinity`` literals, numbers that overflow to infinity, duplicate keys, deep nesting.
"""

from __future__ import annotations

import json
from typing import Any

from hypothesis import strategies as st

ANY_CHARACTER = st.characters(min_codepoint=0, max_codepoint=0x10FFFF, categories=None)
"""Every code point, the surrogates U+D800..U+DFFF included (escaped as ``\\udxxx``)."""


class Raw(str):
    """JSON text to be written as it is (a literal ``json.dumps`` would not produce)."""


def _string(text: str) -> str:
    return json.dumps(text)  # ensure_ascii: a lone surrogate becomes a lone \\udxxx escape


odd_numbers = st.sampled_from(
    [
        Raw("NaN"),
        Raw("Infinity"),
        Raw("-Infinity"),
        Raw("1e999"),
        Raw("-1e999"),
        Raw("9223372036854775808"),
        Raw("-9223372036854775809"),
        Raw("1" + "0" * 5000),
        Raw("1" + "0" * 4000),
        Raw("0.0000000000000000000000001"),
        Raw("-0"),
    ]
)
texts = st.one_of(
    st.text(ANY_CHARACTER, max_size=12),
    st.sampled_from(["\ud800", "a\udfffb", "\ud83d", "\ud83d\ude00", "\x00", "x" * 5000]),
)
scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=False, allow_infinity=False),
    texts,
    odd_numbers,
)


def _pairs(inner: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    """An object as a list of pairs: a key may repeat."""
    keys = st.one_of(texts, st.sampled_from(["v", "id", "by", "a"]))
    return st.lists(st.tuples(keys, inner), max_size=4).map(Pairs)


class Pairs(list):  # type: ignore[type-arg]
    """An object written from its pairs, in order, duplicates kept."""


values = st.recursive(
    scalars, lambda inner: st.one_of(st.lists(inner, max_size=4), _pairs(inner)), max_leaves=10
)


@st.composite
def deep(draw: st.DrawFn) -> Any:
    """A value nested from 9 to 2 000 levels deep."""
    depth = draw(st.sampled_from([9, 20, 100, 2000]))
    value: Any = draw(scalars)
    for _ in range(depth):
        value = [value] if draw(st.booleans()) else Pairs([("a", value)])
    return value


any_value = st.one_of(values, values, deep())


def render(value: Any) -> str:
    """The JSON text of ``value`` (:class:`Raw` as it is, :class:`Pairs` with every pair)."""
    out: list[str] = []
    stack: list[Any] = [value]
    while stack:  # iterative: a 2 000-level nesting must not exhaust this side's stack
        item = stack.pop()
        if isinstance(item, Raw):
            out.append(str(item))
        elif isinstance(item, _Text):
            out.append(item.text)
        elif isinstance(item, Pairs):
            parts: list[Any] = [_Text("{")]
            for index, (key, inner) in enumerate(item):
                if index:
                    parts.append(_Text(","))
                parts += [_Text(_string(str(key)) + ":"), inner]
            parts.append(_Text("}"))
            stack.extend(reversed(parts))
        elif isinstance(item, list):
            parts = [_Text("[")]
            for index, inner in enumerate(item):
                if index:
                    parts.append(_Text(","))
                parts.append(inner)
            parts.append(_Text("]"))
            stack.extend(reversed(parts))
        elif isinstance(item, str):
            out.append(_string(item))
        else:
            out.append(json.dumps(item))
    return "".join(out)


class _Text:
    def __init__(self, text: str) -> None:
        self.text = text


@st.composite
def command_payload(draw: st.DrawFn, arguments: tuple[str, ...], command_id: str) -> bytes:
    """A command object with ``"id": command_id`` once, and any values for the arguments
    the command knows, ``v``, ``by`` and a few other keys (keys may repeat, but not ``id``)."""
    names = st.sampled_from(["v", "by", *arguments, "extra"])
    pairs = draw(st.lists(st.tuples(names, any_value), max_size=5))
    if draw(st.booleans()):
        pairs.insert(0, ("v", 1))
    at = draw(st.integers(min_value=0, max_value=len(pairs)))
    pairs.insert(at, ("id", command_id))
    return render(Pairs(pairs)).encode("utf-8")


@st.composite
def mutated(draw: st.DrawFn, message: dict[str, Any]) -> bytes:
    """A valid message with some fields given any value, removed, repeated or added."""
    pairs: list[tuple[str, Any]] = list(message.items())
    for _ in range(draw(st.integers(min_value=1, max_value=3))):
        action = draw(st.sampled_from(["replace", "remove", "repeat", "add"]))
        index = draw(st.integers(min_value=0, max_value=max(0, len(pairs) - 1)))
        if action == "replace" and pairs:
            pairs[index] = (pairs[index][0], draw(any_value))
        elif action == "remove" and pairs:
            del pairs[index]
        elif action == "repeat" and pairs:
            pairs.append((pairs[index][0], draw(any_value)))
        else:
            pairs.append((draw(texts), draw(any_value)))
    return render(Pairs(pairs)).encode("utf-8")
