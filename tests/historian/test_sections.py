"""Shift sections of a line, on a real SQLite file and a real PostgreSQL.

The history is the checkpoints' (:mod:`tests.historian.test_checkpoints`). A
report over several days combined from the kept sections must equal the same
report folded from raw events; after a back-fill the next report drops the sections
of the back-filled station's line from its shift on (and no other line's) and
equals a report folded from scratch; sections filed under another code
fingerprint are not read; a database of schema version 2 is migrated.
"""

from __future__ import annotations

import json
import shutil
import sqlite3
import subprocess
import sys
from datetime import datetime, timedelta
from pathlib import Path

import pytest

import andon
from andon.bench.history_data import START, bench_site, station_paths
from andon.bus.messages import EventMessage
from andon.historian import sections
from andon.historian.period import Period
from andon.historian.site import Site, load_site
from andon.historian.stores import open_store
from tests.historian.test_checkpoints import (
    NOW,
    everything,
    execute,
    fill,
    journal,
    last_day,
    report,
    whole_range,
    wipe_checkpoints,
)

LINE = "bench-01"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Site:
    return load_site(bench_site(tmp_path_factory.mktemp("bench-site"), 2, 2))


@pytest.fixture(scope="module")
def journals() -> dict[str, list[EventMessage]]:
    return {p: journal(p) for p in station_paths(2, 2)}


def held(url: str, line: str = LINE) -> list[datetime]:
    """The shift starts of the sections held for a line."""
    with open_store(url) as store:
        return [start for _, _, start, _ in store.held_shift_sections(line)]


def kept_sections(url: str) -> list[tuple[str, str, datetime, str]]:
    with open_store(url) as store:
        return store.held_shift_sections(LINE)


def closed_shifts(site: Site, until: datetime) -> list[datetime]:
    """The shifts of the range that ended by ``until`` with an event of every station after."""
    calendar = site.plant.domain_calendar()
    return [w.start for w in calendar.windows(START, until) if w.start >= START and w.end < until]


def test_a_report_from_sections_equals_one_from_raw_events(history_url, site, journals):
    fill(history_url, everything(journals))
    raw = report(history_url, site, whole_range(), LINE)  # folds, keeps the sections
    kept = held(history_url)
    last_event = max(m.event.at for m in journals["demo-plant/assembly/bench-01/s01"])
    assert kept == closed_shifts(site, last_event)
    assert len(kept) >= 3 * (3 - 1)
    again = report(history_url, site, whole_range(), LINE)  # combined from the sections
    assert again == raw
    for period in (Period("range", START + timedelta(days=1), NOW), whole_range()):
        combined = report(history_url, site, period, "site")
        wipe_checkpoints(history_url)
        assert report(history_url, site, period, "site") == combined
    data = json.loads(raw)
    assert data["summary"]["response"]["overall"]["repair"]["median_s"] is not None


def test_the_report_shows_the_kept_section(history_url, site, journals):
    """A section is read back as it is stored (a changed copy shows its change)."""
    fill(history_url, everything(journals))
    report(history_url, site, whole_range(), LINE)
    rules, code, start, text = kept_sections(history_url)[0]
    assert code == sections.code_fingerprint()
    data = json.loads(text)
    data["plan"] = 12345
    end = datetime.fromisoformat(data["end"])
    execute(history_url, "DELETE FROM shift_sections")
    with open_store(history_url) as store:
        store.save_shift_sections(LINE, rules, code, [(start, end, json.dumps(data))])
    shown = json.loads(report(history_url, site, whole_range(), LINE))
    assert shown["lines"][0]["shifts"][0]["plan"] == 12345


def test_sections_of_another_code_fingerprint_are_not_read(history_url, site, journals):
    fill(history_url, everything(journals))
    expected = report(history_url, site, whole_range(), LINE)
    old = kept_sections(history_url)
    execute(history_url, "DELETE FROM shift_sections")
    with open_store(history_url) as store:  # as an older andon kept them, one changed
        rows = []
        for n, (_, _, start, text) in enumerate(old):
            data = json.loads(text)
            data["plan"] = 12345 if n == 0 else data["plan"]
            rows.append((start, start + timedelta(hours=8), json.dumps(data)))
        store.save_shift_sections(LINE, old[0][0], "an-older-andon", rows)
    assert report(history_url, site, whole_range(), LINE) == expected
    now = kept_sections(history_url)  # kept anew under this andon's code, beside the old
    assert {code for _, code, _, _ in now} == {"an-older-andon", sections.code_fingerprint()}
    assert len(now) == 2 * len(old)


def test_the_code_fingerprint_follows_the_figure_code(tmp_path: Path):
    """A changed module of the figures (an upgrade) gives another fingerprint."""
    copy = tmp_path / "andon"
    shutil.copytree(Path(andon.__file__).parent, copy)
    probe = "from andon.historian.sections import code_fingerprint; print(code_fingerprint())"

    def fingerprint() -> str:
        done = subprocess.run(
            [sys.executable, "-c", probe], cwd=tmp_path, capture_output=True, text=True, check=True
        )
        return done.stdout.strip()

    assert fingerprint() == sections.code_fingerprint()
    with (copy / "domain" / "kpi.py").open("a") as handle:
        handle.write("\n# a changed definition\n")
    assert fingerprint() != sections.code_fingerprint()


def made(url: str, line: str) -> dict[str, str]:
    """Each section of a line (its shift start, as text) with the instant it was made."""
    sql = "SELECT start_at, made_at FROM shift_sections WHERE line = ?"
    if url.startswith("sqlite"):
        with sqlite3.connect(url.removeprefix("sqlite:///")) as db:
            return {str(a): str(m) for a, m in db.execute(sql, (line,))}
    import psycopg

    with psycopg.connect(url, autocommit=True) as db:
        return {str(a): str(m) for a, m in db.execute(sql.replace("?", "%s"), (line,))}


@pytest.mark.parametrize("gap", ["head", "middle"])
def test_a_back_fill_stales_only_its_lines_sections_from_its_shift(
    history_url, site, journals, gap
):
    path = "demo-plant/assembly/bench-01/s01"
    whole = journals[path]
    cut = range(0, 1500) if gap == "head" else range(2000, 2100)
    missing = [whole[i] for i in cut]
    partial = [m for ps, ms in journals.items() for m in ms if not (ps == path and m in missing)]
    fill(history_url, partial)
    before = report(history_url, site, whole_range(), "site")
    kept, other = made(history_url, LINE), made(history_url, "bench-02")
    assert kept and other
    if gap == "middle":  # no section past the gap
        assert all(s + timedelta(hours=8) <= missing[0].event.at for s in held(history_url))
    with open_store(history_url) as store:
        store.insert(missing)  # the gap replayed: storing touches no section
    assert made(history_url, LINE) == kept and made(history_url, "bench-02") == other
    # a report of the last day alone folds s01 again across the earlier shift ends,
    # so their checkpoints are made anew, later than those shifts' sections
    report(history_url, site, last_day(), LINE)
    after = report(history_url, site, whole_range(), "site")
    assert after != before
    assert made(history_url, "bench-02") == other  # the other line's sections survive
    now = made(history_url, LINE)
    survived = {s for s in kept if now.get(s) == kept[s]}
    earliest = min(m.event.at for m in missing)
    for start in survived:  # only sections that end before the back-filled events
        assert datetime.fromisoformat(start) + timedelta(hours=8) <= earliest
    assert (survived == set(kept)) == (gap == "middle")
    assert len(now) > len(kept) if gap == "middle" else len(now) >= len(kept)
    wipe_checkpoints(history_url)
    assert report(history_url, site, whole_range(), "site") == after


def test_a_section_is_dropped_when_a_station_lost_its_checkpoint(history_url, site, journals):
    """Without the checkpoint at its shift's end (a back-fill deleted it), a section
    is not read, even a changed one; the shift is folded and kept again."""
    fill(history_url, everything(journals))
    expected = report(history_url, site, whole_range(), LINE)
    rules, code, start, text = kept_sections(history_url)[0]
    data = json.loads(text)
    data["plan"] = 12345
    end = datetime.fromisoformat(data["end"])
    execute(history_url, "DELETE FROM shift_sections", "DELETE FROM checkpoints")
    with open_store(history_url) as store:
        store.save_shift_sections(LINE, rules, code, [(start, end, json.dumps(data))])
    assert report(history_url, site, whole_range(), LINE) == expected
    assert start in held(history_url)


def test_a_version_2_database_is_migrated(history_url, site, journals):
    fill(history_url, everything(journals))
    expected = report(history_url, site, whole_range(), LINE)
    execute(
        history_url,
        "DROP TABLE shift_sections",
        "DELETE FROM schema_migrations WHERE version = 3",
    )
    with open_store(history_url) as store:
        assert store.schema_version() == 3
        assert store.held_shift_sections(LINE) == []
    assert report(history_url, site, whole_range(), LINE) == expected
    assert held(history_url)
