"""State checkpoints in the journal file: saved, tied to their row, pruned, checked."""

import os
import sqlite3
import subprocess

import pytest

from andon.journal.store import KEPT_CHECKPOINTS, Journal, JournalError, text_hash
from andon.journal.verify import verify

OWNER = "plant1/assembly/line2/st3"
AT = "2025-03-04T06:00:00.000Z"
STATE = '{"format":"andon-state/1","state":{"good":1}}'


@pytest.fixture
def path(tmp_path):
    return tmp_path / "st3.sqlite"


@pytest.fixture
def journal(path):
    with Journal(path, OWNER) as j:
        for n in range(1, 11):
            j.append("count", {"n": n}, at=AT)
        yield j


def test_a_checkpoint_is_saved_with_the_hash_of_its_row_and_read_back(journal):
    assert journal.latest_checkpoint() is None and journal.checkpoints() == []
    journal.save_checkpoint(4, "rules-a", STATE)
    latest = journal.latest_checkpoint()
    assert latest is not None
    assert (latest.seq, latest.fingerprint, latest.state) == (4, "rules-a", STATE)
    row = journal.row(4)
    assert row is not None and latest.event_hash == row.hash
    assert latest.saved_at.endswith("Z")


def test_checkpoints_survive_reopening_and_only_the_latest_two_are_kept(journal, path):
    for seq in (2, 5, 3, 9):
        journal.save_checkpoint(seq, f"rules-{seq}", STATE)
    journal.save_checkpoint(9, "rules-9b", STATE + " ")  # the same row again: replaced
    journal.close()
    with Journal(path, OWNER) as again:
        saved = again.checkpoints()
        assert len(saved) == KEPT_CHECKPOINTS == 2
        assert [(c.seq, c.fingerprint) for c in saved] == [(9, "rules-9b"), (5, "rules-5")]
        assert again.latest_checkpoint() == saved[0]
    assert verify(path) == []


@pytest.mark.parametrize(
    ("seq", "fingerprint", "state", "message"),
    [
        (0, "f", STATE, "seq: expected a journaled row"),
        (True, "f", STATE, "seq: expected a journaled row"),
        ("3", "f", STATE, "seq: expected a journaled row"),
        (11, "f", STATE, "no journaled row 11"),
        (3, "", STATE, "fingerprint"),
        (3, "f", b"{}", "state: expected JSON text"),
    ],
)
def test_bad_input_is_refused_and_stores_nothing(journal, seq, fingerprint, state, message):
    with pytest.raises(ValueError, match=message):
        journal.save_checkpoint(seq, fingerprint, state)
    assert journal.checkpoints() == []


def _raw(path, *statements):
    conn = sqlite3.connect(path)
    try:
        for sql, params in statements:
            conn.execute(sql, params)
        conn.commit()
    finally:
        conn.close()


def test_a_checkpoint_whose_row_or_text_changed_is_not_handed_out_and_verify_says_so(journal, path):
    journal.save_checkpoint(3, "f", STATE)
    journal.save_checkpoint(6, "f", STATE)
    _raw(path, ("UPDATE checkpoints SET event_hash = ? WHERE seq = 6", ("0" * 64,)))
    assert [c.seq for c in journal.checkpoints()] == [3]
    _raw(path, ("UPDATE checkpoints SET state = '{}' WHERE seq = 3", ()))
    assert journal.checkpoints() == [] and journal.latest_checkpoint() is None
    found = [(p.seq, p.message) for p in verify(path)]
    assert found == [
        (3, "checkpoint state does not match its hash (edited)"),
        (6, "checkpoint does not match the hash of its row"),
    ]


def test_verify_reports_a_checkpoint_of_a_missing_row(journal, path):
    journal.save_checkpoint(8, "f", STATE)
    _raw(
        path,
        (
            "INSERT INTO checkpoints SELECT 40, event_hash, fingerprint, state, state_hash,"
            " saved_at FROM checkpoints WHERE seq = 8",
            (),
        ),
    )
    assert [c.seq for c in journal.checkpoints()] == [8]
    assert [(p.seq, p.message) for p in verify(path)] == [
        (40, "a checkpoint refers to this row, which is missing")
    ]


def _old_file(path):
    """A journal file from before checkpoints existed."""
    with Journal(path, OWNER) as j:
        for n in range(1, 4):
            j.append("count", {"n": n}, at=AT)
    _raw(path, ("DROP TABLE checkpoints", ()))


def test_an_old_file_opens_gets_the_table_and_takes_checkpoints(path):
    _old_file(path)
    assert verify(path) == []  # verify reads it as it is
    with Journal(path, OWNER) as j:
        assert j.checkpoints() == [] and j.last_seq() == 3
        j.save_checkpoint(3, "f", STATE)
        assert j.latest_checkpoint() is not None
    assert verify(path) == []


def test_an_old_read_only_file_opens_without_checkpoints(path):
    _old_file(path)
    if os.geteuid() != 0:
        path.chmod(0o444)
        undo = lambda: path.chmod(0o644)  # noqa: E731
    else:
        done = subprocess.run(["chattr", "+i", str(path)], capture_output=True)
        if done.returncode != 0:
            pytest.skip("running as root and cannot make a file immutable here")
        undo = lambda: subprocess.run(["chattr", "-i", str(path)], check=True)  # noqa: E731
    try:
        with Journal(path, OWNER) as j:
            assert j.last_seq() == 3
            assert j.checkpoints() == [] and j.latest_checkpoint() is None
            with pytest.raises(JournalError, match="cannot save a checkpoint"):
                j.save_checkpoint(3, "f", STATE)
    finally:
        undo()
    with Journal(path, OWNER) as j:  # writable again: the table is added
        j.save_checkpoint(3, "f", STATE)
        assert j.latest_checkpoint() is not None


def test_the_stored_state_hash_is_the_hash_of_the_text(journal, path):
    journal.save_checkpoint(2, "f", STATE)
    conn = sqlite3.connect(path)
    try:
        (stored,) = conn.execute("SELECT state_hash FROM checkpoints").fetchone()
    finally:
        conn.close()
    assert stored == text_hash(STATE)
