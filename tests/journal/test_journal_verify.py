"""Tamper detection: `verify` and `andon verify-journal` on real journal files."""

import json
import sqlite3

import pytest

from andon.cli.main import main
from andon.journal.store import Journal, JournalError
from andon.journal.verify import verify

OWNER = "plant1/assembly/line2/st3"
AT = "2025-03-04T06:00:00.000Z"


@pytest.fixture
def path(tmp_path):
    target = tmp_path / "st3.sqlite"
    with Journal(target, OWNER) as journal:
        for n in range(1, 8):
            journal.append("count", {"n": n}, at=AT)
        journal.mark_published_many([1, 2, 3])
    return target


def tamper(path, *statements):
    """Edit the file the way an attacker would: drop the guards, then change rows."""
    raw = sqlite3.connect(path)
    try:
        raw.execute("DROP TRIGGER events_no_update")
        raw.execute("DROP TRIGGER events_no_delete")
        for sql, params in statements:
            raw.execute(sql, params)
        raw.commit()
    finally:
        raw.close()


def row_problems(path):
    return [p for p in verify(path) if p.seq is not None]


def test_an_intact_journal_has_no_problems(path, capsys):
    assert verify(path) == []
    assert main(["verify-journal", str(path)]) == 0
    rows = sqlite3.connect(path).execute("SELECT count(*), max(seq) FROM events").fetchone()
    assert capsys.readouterr().out == f"{path}: intact, {rows[0]} events (seq 1..{rows[1]})\n"


def test_an_edited_payload_is_named_by_its_seq(path, capsys):
    tamper(path, ("UPDATE events SET payload = ? WHERE seq = 4", (json.dumps({"n": 400}),)))
    problems = verify(path)
    assert [p.seq for p in problems if p.seq is not None] == [4]
    assert "edited" in str(row_problems(path)[0])
    assert any("trigger" in p.message for p in problems if p.seq is None)
    assert main(["verify-journal", str(path)]) == 1
    out = capsys.readouterr().out
    assert "first bad row 4" in out and "row 4: content does not match" in out


def test_an_edit_with_a_recomputed_hash_breaks_the_next_link(path):
    from andon.journal.store import chain_hash

    with Journal(path, OWNER) as journal:
        row = journal.row(3)
    assert row is not None
    forged = chain_hash(row.prev_hash, 3, row.id, row.kind, row.at, {"n": 300})
    tamper(
        path,
        ("UPDATE events SET payload = ?, hash = ? WHERE seq = 3", ('{"n":300}', forged)),
    )
    assert [(p.seq, "prev_hash" in p.message) for p in row_problems(path)] == [(4, True)]


def test_a_deleted_row_is_a_gap_and_a_broken_link(path, capsys):
    tamper(path, ("DELETE FROM events WHERE seq = 5", ()))
    problems = row_problems(path)
    assert {p.seq for p in problems} == {6}
    messages = " ".join(p.message for p in problems)
    assert "seq gap" in messages and "prev_hash" in messages
    assert main(["verify-journal", str(path)]) == 1
    assert "first bad row 6" in capsys.readouterr().out


def test_several_bad_rows_are_all_reported_first_one_first(path, capsys):
    tamper(
        path,
        ("UPDATE events SET kind = 'scrap' WHERE seq = 2", ()),
        ("UPDATE events SET at = '2025-03-04T05:00:00Z' WHERE seq = 6", ()),
    )
    assert [p.seq for p in row_problems(path)] == [2, 6]
    assert main(["verify-journal", str(path)]) == 1
    assert "first bad row 2; bad rows: 2, 6" in capsys.readouterr().out


def test_a_changed_owner_breaks_the_first_link(path):
    raw = sqlite3.connect(path)
    raw.execute("UPDATE meta SET value = 'plant1/assembly/line2/st9' WHERE key = 'journal.owner'")
    raw.commit()
    raw.close()
    problems = row_problems(path)
    assert [p.seq for p in problems] == [1]
    assert "genesis" in problems[0].message


def test_missing_or_foreign_files_exit_2(tmp_path, capsys):
    assert main(["verify-journal", str(tmp_path / "nothing.sqlite")]) == 2
    assert "no journal file" in capsys.readouterr().err
    garbage = tmp_path / "garbage.sqlite"
    garbage.write_bytes(b"not sqlite" * 100)
    assert main(["verify-journal", str(garbage)]) == 2
    foreign = tmp_path / "foreign.sqlite"
    raw = sqlite3.connect(foreign)
    raw.execute("CREATE TABLE things (x)")
    raw.commit()
    raw.close()
    with pytest.raises(JournalError, match="not an andon journal"):
        verify(foreign)
    assert main(["verify-journal", str(foreign)]) == 2


def test_verify_reads_while_the_station_writes(path):
    with Journal(path, OWNER) as journal:
        journal.append("count", {"n": 8}, at=AT)
        assert verify(path) == []  # read-only, alongside the open writer
        journal.append("count", {"n": 9}, at=AT)
    assert verify(path) == []
