"""Each station's folded state at shift ends, kept in the history so reports need not refold.

Written lazily: a report that folds a station past the end of a shift keeps the
state there (:func:`keep`), and the next report folds from the latest one at or
before its period (:func:`resume`). A checkpoint is the state before the
station's event ``seq`` (its first event at or after the shift end), serialized
with :mod:`andon.domain.state_codec` and filed under the fingerprint of the
station's rules: other rules find none and fold from the start again. A stored
event below a checkpoint's seq (a back-fill of a gap) deletes it in the same
transaction (:data:`andon.historian.batch.INVALIDATE`), so the next report
folds across the back-filled events and writes it anew.
"""

from __future__ import annotations

import logging
from datetime import datetime

from andon.domain.rules import StationRules
from andon.domain.state_codec import StateFormatError, decode_state, encode_state
from andon.historian.derive import Resume
from andon.historian.store import HistoryError, HistoryStore

log = logging.getLogger(__name__)


def resume(
    store: HistoryStore, station: str, rules: StationRules, fingerprint: str, at: datetime
) -> Resume | None:
    """The latest checkpoint of ``station`` at or before ``at`` under these rules."""
    found = store.checkpoint_at_or_before(station, fingerprint, at)
    return None if found is None else decode(station, rules, found)


def decode(station: str, rules: StationRules, found: tuple[datetime, int, str]) -> Resume | None:
    """A checkpoint as the store answers it (instant, seq, state text), decoded; None
    (logged) when its state cannot be read."""
    instant, seq, text = found
    try:
        return Resume(instant, seq, decode_state(text, rules))
    except StateFormatError as exc:
        log.warning("%s: checkpoint at %s not read (%s); folding again", station, instant, exc)
        return None


def keep(store: HistoryStore, station: str, fingerprint: str, marks: list[Resume]) -> None:
    """Keep the states a fold passed; a database that refuses the write (read only, busy)
    is logged and the report goes on without them."""
    rows = [(m.at, m.seq, encode_state(m.state)) for m in marks]
    try:
        store.save_checkpoints(station, fingerprint, rows)
    except HistoryError as exc:
        log.warning("%s: checkpoints not kept: %s", station, exc)


def keep_each(store: HistoryStore, marks: list[tuple[str, str, Resume]]) -> None:
    """:func:`keep` for many stations in one transaction (station, rules' fingerprint,
    state passed); a refused write is logged."""
    rows = [(s, rules, m.at, m.seq, encode_state(m.state)) for s, rules, m in marks]
    try:
        store.save_station_checkpoints(rows)
    except HistoryError as exc:
        log.warning("checkpoints of %d stations not kept: %s", len({r[0] for r in rows}), exc)
