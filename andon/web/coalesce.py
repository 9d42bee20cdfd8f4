"""A batch of broker messages without the states a later one in the same batch replaces.

A station publishes its retained ``state`` after its events; when the web server
falls behind a burst, one batch holds several states of one station, and only the
last says what the station is now. The board's model would parse each of them
whole (a state is about ten times an event's size) only to replace it with the
next. :func:`coalesce` drops a state when a later state of the same topic, stamped
in the same minute, follows in the batch. Everything else is kept, in order:
every event (the model orders them, and its shift history and calls need each
one), statuses, replies, and a station's first state (the model's first view of
a station starts from it).

The minute is what keeps the figures the same: the line's trend keeps one point a
minute, the last state's, so a state that is the last of its minute is kept. The
minute is read from the payload's head (``"at":"…"``, where the stations put it);
a state whose head does not show it is kept.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from andon.bus import topics

STATE_SUFFIX = "/" + topics.STATE
HEAD_BYTES = 96
"""How far into a state payload its instant is looked for."""
_MINUTE = re.compile(rb'"at":"(\d{4}-\d\d-\d\dT\d\d:\d\d)')

Batch = list[tuple[str, bytes]]


def minute_of(payload: bytes) -> bytes | None:
    """The minute a state payload is stamped with (``YYYY-MM-DDTHH:MM``), or ``None``."""
    found = _MINUTE.search(payload, 0, HEAD_BYTES)
    return found.group(1) if found is not None else None


def coalesce(batch: Batch, known: Callable[[str], bool]) -> tuple[Batch, int]:
    """``batch`` without its superseded states, and how many were dropped.

    ``known(topic)``: whether the receiver already holds a state of that topic (a
    topic it does not know keeps its first state of the batch).
    """
    last: dict[str, int] = {}
    for index, (topic, _) in enumerate(batch):
        if topic.endswith(STATE_SUFFIX):
            last[topic] = index
    if len(last) == sum(1 for topic, _ in batch if topic.endswith(STATE_SUFFIX)):
        return batch, 0  # no topic has two states here
    kept: Batch = []
    first_seen: set[str] = set()
    dropped = 0
    for index, (topic, payload) in enumerate(batch):
        final = last.get(topic)
        if final is None or final == index:
            kept.append((topic, payload))
            continue
        if topic not in first_seen and not known(topic):
            first_seen.add(topic)
            kept.append((topic, payload))
            continue
        first_seen.add(topic)
        minute = minute_of(payload)
        if minute is None or minute != minute_of(batch[final][1]):
            kept.append((topic, payload))
            continue
        dropped += 1
    return kept, dropped
