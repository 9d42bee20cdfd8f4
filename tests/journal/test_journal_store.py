"""The journal on real SQLite files: append, read, outbox, restart, refusals, failures."""

import itertools
import os
import sqlite3
import subprocess
import sys
import textwrap
import threading
from datetime import UTC, datetime, timedelta, timezone

import pytest

from andon.journal.schema import CACHE_KIB
from andon.journal.store import (
    DuplicateEventIdError,
    Journal,
    JournalError,
    JournalOwnerError,
    NewEvent,
    chain_hash,
    genesis_hash,
)

OWNER = "plant1/assembly/line2/st3"
AT = "2025-03-04T06:00:00.000Z"


@pytest.fixture
def path(tmp_path):
    return tmp_path / "st3.sqlite"


@pytest.fixture
def journal(path):
    with Journal(path, OWNER) as j:
        yield j


def test_append_assigns_seq_and_chains_hashes(journal):
    first = journal.append("count", {"n": 1}, at=AT, id="e-1")
    second = journal.append("call_raised", {"call": "help", "button": 2}, at=AT)
    assert (first.seq, second.seq) == (1, 2)
    assert first.prev_hash == genesis_hash(OWNER)
    assert second.prev_hash == first.hash
    assert first.hash == chain_hash(first.prev_hash, 1, "e-1", "count", AT, {"n": 1})
    assert second.id and second.id != first.id  # a fresh UUID
    assert journal.last_seq() == 2
    assert [r.payload for r in journal.rows()] == [{"n": 1}, {"call": "help", "button": 2}]
    assert journal.row(2) == second and journal.row(3) is None


def test_rows_from_a_seq_with_a_limit_across_pages(journal, monkeypatch):
    monkeypatch.setattr("andon.journal.store.PAGE", 3)
    for n in range(1, 11):
        journal.append("count", {"n": n}, at=AT)
    assert [r.seq for r in journal.rows()] == list(range(1, 11))
    assert [r.seq for r in journal.rows(from_seq=4, limit=5)] == [4, 5, 6, 7, 8]
    assert [r.seq for r in journal.rows(from_seq=9)] == [9, 10]
    assert list(journal.rows(from_seq=11)) == []


def test_instants_must_be_utc(journal):
    aware = datetime(2025, 3, 4, 7, 0, tzinfo=timezone(timedelta(hours=1)))
    assert journal.append("x", {}, at=aware).at == "2025-03-04T06:00:00Z"
    assert journal.append("x", {}, at="2025-03-04T06:00:00+00:00").seq == 2
    for bad in ("2025-03-04T07:00:00+01:00", "2025-03-04T06:00:00", "yesterday"):
        with pytest.raises(ValueError, match="at"):
            journal.append("x", {}, at=bad)
    with pytest.raises(ValueError, match="aware"):
        journal.append("x", {}, at=datetime(2025, 3, 4))
    assert journal.last_seq() == 2


def test_bad_input_is_refused_and_nothing_is_written(journal):
    journal.append("count", {"n": 1}, at=AT, id="e-1")
    with pytest.raises(DuplicateEventIdError, match="e-1"):
        journal.append("count", {"n": 2}, at=AT, id="e-1")
    with pytest.raises(ValueError, match="JSON"):
        journal.append("count", {"n": float("nan")}, at=AT)
    with pytest.raises(ValueError, match="JSON"):
        journal.append("count", {"when": datetime.now(UTC)}, at=AT)
    with pytest.raises(ValueError, match="payload"):
        journal.append("count", ["not", "a", "dict"], at=AT)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="kind"):
        journal.append("", {}, at=AT)
    assert journal.last_seq() == 1
    assert journal.append("count", {"n": 2}, at=AT).seq == 2  # the chain goes on


def test_outbox_with_acknowledgements_out_of_order(journal):
    for n in range(1, 7):
        journal.append("count", {"n": n}, at=AT)
    assert [r.seq for r in journal.unpublished()] == [1, 2, 3, 4, 5, 6]
    journal.mark_published(2)
    journal.mark_published(4)
    assert journal.published_through() == 0
    assert [r.seq for r in journal.unpublished()] == [1, 3, 5, 6]
    assert [r.seq for r in journal.unpublished(limit=2)] == [1, 3]
    journal.mark_published(1)
    assert journal.published_through() == 2
    journal.mark_published_many([3, 6, 3])
    assert journal.published_through() == 4
    assert [r.seq for r in journal.unpublished()] == [5]
    assert journal.unpublished_count() == 1
    journal.mark_published(2)  # a repeated acknowledgement is harmless
    journal.mark_published(5)
    assert journal.published_through() == 6
    assert journal.unpublished() == [] and journal.unpublished_count() == 0
    with pytest.raises(ValueError, match=r"1\.\.6"):
        journal.mark_published(7)
    with pytest.raises(ValueError, match=r"1\.\.6"):
        journal.mark_published(0)


def test_restart_continues_seq_chain_and_outbox(path):
    with Journal(path, OWNER) as j:
        rows = [j.append("count", {"n": n}, at=AT) for n in range(1, 4)]
        j.mark_published(1)
        j.mark_published(3)
        j.set_meta("clock.anchor", "2025-03-04T06:00:00Z")
    with Journal(path, OWNER) as j:
        assert j.last_seq() == 3
        fourth = j.append("count", {"n": 4}, at=AT)
        assert fourth.seq == 4 and fourth.prev_hash == rows[-1].hash
        assert [r.seq for r in j.unpublished()] == [2, 4]
        assert j.published_through() == 1
        assert j.get_meta("clock.anchor") == "2025-03-04T06:00:00Z"
        assert j.get_meta("missing", "default") == "default"


def test_meta_keys_of_the_journal_are_reserved(journal):
    with pytest.raises(ValueError, match="reserved"):
        journal.set_meta("journal.owner", "someone/else/x/y")
    journal.set_meta("station.name", "Assembly 2")
    journal.set_meta("station.name", "Assembly 2 (left)")
    assert journal.get_meta("station.name") == "Assembly 2 (left)"
    assert journal.get_meta("journal.owner") == OWNER


def test_another_station_cannot_open_the_file(path):
    Journal(path, OWNER).close()
    with pytest.raises(JournalOwnerError, match="plant1/assembly/line2/st3"):
        Journal(path, "plant1/assembly/line2/st4")


def test_the_file_is_wal_and_events_are_append_only(journal, path):
    journal.append("count", {"n": 1}, at=AT)
    raw = sqlite3.connect(path)
    try:
        assert raw.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        with pytest.raises(sqlite3.IntegrityError, match="append-only"):
            raw.execute("UPDATE events SET payload = '{\"n\":99}' WHERE seq = 1")
        with pytest.raises(sqlite3.IntegrityError, match="append-only"):
            raw.execute("DELETE FROM events")
    finally:
        raw.close()
    assert journal.row(1).payload == {"n": 1}


def test_the_page_cache_is_bounded_however_long_the_journal(journal):
    """SQLite's 2 MiB default would grow the station's memory as the journal grows."""
    journal.append_many(NewEvent("count", {"n": i}, AT) for i in range(2000))
    size = journal._conn.execute("PRAGMA cache_size").fetchone()[0]
    assert size == -CACHE_KIB
    assert CACHE_KIB <= 512


def test_files_that_are_not_journals_are_refused(tmp_path):
    garbage = tmp_path / "garbage.sqlite"
    garbage.write_bytes(b"this is not a database at all" * 100)
    with pytest.raises(JournalError, match="garbage"):
        Journal(garbage, OWNER)
    foreign = tmp_path / "foreign.sqlite"
    with sqlite3.connect(foreign) as raw:
        raw.execute("CREATE TABLE things (x)")
    raw.close()
    with pytest.raises(JournalError, match="not an andon journal"):
        Journal(foreign, OWNER)
    with pytest.raises(JournalError, match="directory"):
        Journal(tmp_path, OWNER)


def test_appends_from_many_threads_keep_one_unbroken_chain(journal):
    def writer(name):
        for n in range(25):
            journal.append("count", {"writer": name, "n": n}, at=AT)

    threads = [threading.Thread(target=writer, args=(w,)) for w in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    rows = list(journal.rows())
    assert [r.seq for r in rows] == list(range(1, 101))
    assert all(b.prev_hash == a.hash for a, b in itertools.pairwise(rows))


# --- storage failures -----------------------------------------------------------------


def _make_read_only(path):
    """Make the file unwritable, even for root (immutable attribute); skip if impossible."""
    if os.geteuid() != 0:
        path.chmod(0o444)
        return lambda: path.chmod(0o644)
    done = subprocess.run(["chattr", "+i", str(path)], capture_output=True)
    if done.returncode != 0:
        pytest.skip("running as root and cannot make a file immutable here")
    return lambda: subprocess.run(["chattr", "-i", str(path)], check=True)


def test_a_read_only_file_raises_journal_error_and_reads_still_work(path):
    with Journal(path, OWNER) as j:
        j.append("count", {"n": 1}, at=AT)
    # No WAL or shared-memory files left behind: a clean read-only file.
    undo = _make_read_only(path)
    try:
        with Journal(path, OWNER) as j:
            assert j.last_seq() == 1
            with pytest.raises(JournalError, match=r"cannot append.*readonly"):
                j.append("count", {"n": 2}, at=AT)
            with pytest.raises(JournalError, match="readonly"):
                j.mark_published(1)
            assert j.last_seq() == 1
    finally:
        undo()


DISK_FULL = textwrap.dedent(
    """
    import resource, signal, sys
    from andon.journal.store import Journal, JournalError
    path, owner = sys.argv[1], sys.argv[2]
    journal = Journal(path, owner)
    journal.append("count", {"n": 0}, at="2025-03-04T06:00:00Z")
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (200_000, 200_000))
    n = 0
    try:
        while n < 100_000:
            n += 1
            journal.append("count", {"n": n, "pad": "x" * 2000}, at="2025-03-04T06:00:00Z")
    except JournalError as exc:
        print("journal-error", journal.last_seq(), n, exc, flush=True)
    """
)


def test_disk_full_raises_journal_error_and_loses_nothing_written(path):
    result = subprocess.run(
        [sys.executable, "-c", DISK_FULL, str(path), OWNER],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.stdout.startswith("journal-error"), result.stdout + result.stderr
    assert "full" in result.stdout or "disk" in result.stdout, result.stdout
    _, last_seq, attempted, *_ = result.stdout.split(" ", 3)
    assert int(last_seq) == int(attempted)  # rows 1..n: the failed append (n + 1) left nothing
    with Journal(path, OWNER) as j:
        assert j.last_seq() == int(last_seq)
        assert j.append("count", {"n": "after"}, at=AT).seq == int(last_seq) + 1
    from andon.journal.verify import verify

    assert verify(path) == []


def test_a_batch_is_appended_in_one_transaction_in_order_and_chained(journal, path):
    from andon.journal.verify import verify

    journal.append("count", {"n": 0}, at=AT)
    rows = journal.append_many(
        NewEvent("count", {"n": n}, AT, id=f"batch-{n}") for n in range(1, 4)
    )
    assert [r.seq for r in rows] == [2, 3, 4]
    assert [r.id for r in rows] == ["batch-1", "batch-2", "batch-3"]
    assert rows[0].prev_hash == journal.row(1).hash
    assert [r.prev_hash for r in rows[1:]] == [r.hash for r in rows[:-1]]
    assert journal.append_many([]) == []
    assert verify(path) == []


def test_a_batch_with_one_bad_or_repeated_event_writes_none_of_it(journal, path):
    from andon.journal.verify import verify

    journal.append("count", {"n": 0}, at=AT, id="e-0")
    with pytest.raises(ValueError, match="JSON"):
        journal.append_many(
            [NewEvent("count", {"n": 1}, AT), NewEvent("count", {"n": float("nan")}, AT)]
        )
    with pytest.raises(DuplicateEventIdError, match="e-0"):
        journal.append_many(
            [NewEvent("count", {"n": 1}, AT, id="e-1"), NewEvent("x", {}, AT, "e-0")]
        )
    with pytest.raises(DuplicateEventIdError, match="e-2"):
        journal.append_many([NewEvent("count", {}, AT, id="e-2"), NewEvent("x", {}, AT, "e-2")])
    assert journal.last_seq() == 1
    assert journal.append_many([NewEvent("count", {"n": 1}, AT, id="e-1")])[0].seq == 2
    assert verify(path) == []
