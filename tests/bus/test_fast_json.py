"""orjson reads a payload only where the standard library reads it to the same value.

Every payload drawn, hostile ones included (lone surrogates, integers of thousands of
digits or just past 64 bits, NaN and Infinity, numbers that overflow, duplicate keys,
deep nesting, bytes that are not UTF-8), is decoded both ways: ``decode`` must give the
value or the refusal (with its reason) that the ``json`` module gives.
"""

from __future__ import annotations

import json
import math
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from andon.bus import fast_json, messages
from andon.bus.messages import MessageError, decode
from tests.faults.arbitrary_json import Pairs, any_value, render


def _strict(payload: bytes) -> Any:
    """``decode`` with orjson left out: the standard library's answer alone."""
    with_orjson = messages.fast_loads
    messages.fast_loads = lambda _payload: fast_json.NOT_READ  # type: ignore[assignment]
    try:
        return _outcome(payload)
    finally:
        messages.fast_loads = with_orjson  # type: ignore[assignment]


def _outcome(payload: bytes) -> Any:
    try:
        return ("value", _comparable(decode(payload)))
    except MessageError as exc:
        if "maximum recursion depth" in str(exc):  # where it stops depends on the stack
            return ("refused", "nested too deep")
        return ("refused", str(exc))


def _comparable(value: Any) -> Any:
    """``value`` with each number tagged by its type (``1 == 1.0 == True`` in Python)."""
    if isinstance(value, dict):
        return {k: _comparable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_comparable(v) for v in value]
    if isinstance(value, float):
        return ("float", "nan" if math.isnan(value) else repr(value))
    return (type(value).__name__, value)


payloads = st.one_of(
    any_value.map(lambda inner: render(Pairs([("v", 1), ("x", inner)]))),
    any_value.map(render),
).map(lambda text: text.encode("utf-8", "surrogatepass"))


@settings(max_examples=200, deadline=None)
@given(payloads)
def test_decode_gives_what_the_standard_library_gives(payload: bytes) -> None:
    assert _outcome(payload) == _strict(payload)


@pytest.mark.parametrize(
    "text",
    [
        '{"v":1,"x":9223372036854775808}',
        '{"v":1,"x":-9223372036854775809}',
        '{"v":1,"x":18446744073709551616}',
        '{"v":1,"x":123456789012345678901234567890}',
        '{"v":1,"x":"\\ud800"}',
        '{"v":1,"x":NaN}',
        '{"v":1,"x":1e999}',
        '{"v":1,"x":"\\ud83d\\ude00"}',
    ],
)
def test_what_orjson_would_read_otherwise_is_read_as_json_does(text: str) -> None:
    payload = text.encode()
    assert _outcome(payload) == _strict(payload)
    if "99999" not in text and "NaN" not in text and "ud800" not in text:
        assert _outcome(payload)[0] == "value"


def test_a_big_integer_stays_exact() -> None:
    big = 123456789012345678901234567890
    assert decode(b'{"v":1,"x":123456789012345678901234567890}')["x"] == big
    assert decode(b'{"v":1,"x":-9223372036854775809}')["x"] == -9223372036854775809


def test_the_usual_payload_is_read_by_orjson() -> None:
    """The fast path is taken: a test of this file that cannot fail otherwise would be hollow."""
    payload = json.dumps({"v": 1, "seq": 12, "at": "2026-12-08T03:44:52.123456+00:00"}).encode()
    assert fast_json.fast_loads(payload) == json.loads(payload)
    assert fast_json.fast_loads(b'{"v":1,"x":NaN}') is fast_json.NOT_READ
    assert fast_json.fast_loads(b'{"v":1,"x":12345678901234567890}') is fast_json.NOT_READ
    deep = b"[" * fast_json.MAX_OPENINGS + b"]" * fast_json.MAX_OPENINGS
    assert fast_json.fast_loads(deep) is fast_json.NOT_READ
