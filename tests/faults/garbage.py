"""Hypothesis strategies for payloads that must be refused, and the valid ones they break.

Every payload drawn from :func:`refused` is wrong by construction: not JSON, not
an object, a wrong schema version, or a valid message of the channel with one
field it needs removed or given a value of another JSON type. So a consumer
must count exactly one rejection per payload.
"""

from __future__ import annotations

import functools
import json
import string
from datetime import UTC, datetime
from typing import Any

from hypothesis import strategies as st

from andon.bench.payloads import state_template
from andon.bus.commands import reply_message
from andon.bus.messages import event_dict, status_message
from andon.domain import events as ev
from andon.domain.events import format_instant

NOW = datetime(2025, 3, 4, 9, 30, tzinfo=UTC)

REQUIRED = {
    "events": ("v", "station", "seq", "id", "kind", "data"),
    "state": ("v", "station", "line", "seq", "at", "good", "planned", "open_calls", "hours"),
    "status": ("v", "station", "online"),
    "reply": ("v", "station", "command", "command_id", "accepted"),
}
"""The fields each channel's consumers cannot do without."""


@functools.cache
def _state_template() -> dict[str, Any]:
    return state_template(NOW)


def valid(channel: str, path: str, line: str, seq: int = 1) -> dict[str, Any]:
    """A valid message of ``channel`` from the station at ``path``."""
    if channel == "events":
        event = ev.Counted(at=NOW, good=1)
        return event_dict(path, seq, f"id-{seq}", format_instant(NOW), event.KIND, event.to_dict())
    if channel == "state":
        data = dict(_state_template())
        data.update(station=path, line=line, seq=seq, history_seq=seq)  # nothing to replay
        return data
    if channel == "status":
        return status_message(path, True, format_instant(NOW), "test")
    if channel == "reply":
        return reply_message(path, "acknowledge", "c-1", True, "", seq)
    raise ValueError(channel)


def other_type(value: Any) -> st.SearchStrategy[Any]:
    """JSON values of a type ``value`` does not have (and a bool is no number)."""
    if isinstance(value, str):
        return st.one_of(st.integers(), st.lists(st.integers(), max_size=2), st.none())
    if isinstance(value, bool):
        return st.one_of(st.text(max_size=5), st.integers(), st.none())
    if isinstance(value, int | float):
        return st.one_of(st.text(max_size=5), st.booleans(), st.none(), st.lists(st.integers()))
    if isinstance(value, list):
        return st.one_of(st.text(max_size=5), st.integers(), st.dictionaries(st.text(), st.none()))
    if isinstance(value, dict):
        return st.one_of(st.text(max_size=5), st.integers(), st.lists(st.integers(), max_size=2))
    return st.integers()


def json_values() -> st.SearchStrategy[Any]:
    scalars = st.one_of(
        st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), st.text(max_size=20)
    )
    return st.recursive(
        scalars,
        lambda inner: st.one_of(
            st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=8), inner, max_size=4)
        ),
        max_leaves=12,
    )


def not_a_message() -> st.SearchStrategy[bytes]:
    """Bytes no channel accepts: binary, JSON that is no object, objects of no known version."""
    binary = st.binary(min_size=1, max_size=300).filter(lambda b: not b.strip().startswith(b"{"))
    non_object = json_values().filter(lambda v: not isinstance(v, dict))
    wrong_version = st.dictionaries(st.text(max_size=8), json_values(), max_size=4).map(
        lambda d: {**d, "v": 2}
    )
    return st.one_of(
        binary,
        non_object.map(lambda v: json.dumps(v).encode()),
        wrong_version.map(lambda v: json.dumps(v).encode()),
        st.sampled_from([b"{", b"{}", b'{"v": 1', b"null", b'"v"', b"\xff\xfe{}", b"NaN"]),
    )


@st.composite
def broken(draw: st.DrawFn, message: dict[str, Any], channel: str) -> bytes:
    """``message`` with one field it needs removed or turned into another JSON type."""
    name = draw(st.sampled_from(REQUIRED[channel]))
    data = dict(message)
    if draw(st.booleans()):
        del data[name]
    else:
        wrong = other_type(message[name])
        if name == "v":  # decode() compares the version with ==, and true == 1 in Python
            wrong = wrong.filter(lambda v: v is not True)
        data[name] = draw(wrong)
    return json.dumps(data).encode()


def refused(message: dict[str, Any], channel: str) -> st.SearchStrategy[bytes]:
    """Any payload that must be refused on ``channel``."""
    return st.one_of(not_a_message(), broken(message, channel))


topic_levels = st.text(
    alphabet=string.ascii_lowercase + string.digits + "-_", min_size=1, max_size=10
)
