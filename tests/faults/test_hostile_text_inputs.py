"""Scanner lines and configuration text that are not valid Unicode or hold oversize numbers."""

from __future__ import annotations

import sqlite3

import pytest

from andon.config.errors import ConfigError
from andon.config.loader import load_station
from andon.journal.verify import verify
from hal.scan_lines import ScanLineAssembler
from tests.support.stations import DEMO


@pytest.mark.parametrize(
    "raw",
    [b"SN:\xed\xa0\x80", b"BD:\xff\xfe", b"RC:\xc0\xaf"],  # an encoded surrogate, bad UTF-8
)
def test_a_scanner_line_that_is_not_utf8_text_is_refused(raw):
    lines = ScanLineAssembler("main", terminator=b"\r", max_length=64)
    (event,) = lines.feed(raw + b"\r", 0.0)
    assert type(event).__name__ == "ScanRejected" and "not text" in event.reason


def test_a_configuration_with_a_5000_digit_number_names_the_file(tmp_path):
    plant = (DEMO / "plant.toml").read_text()
    assert "minor_stop_s = 300 " in plant
    huge = "minor_stop_s = 1" + "0" * 5000 + " "
    (tmp_path / "plant.toml").write_text(plant.replace("minor_stop_s = 300 ", huge))
    station = tmp_path / "station-a3.toml"
    station.write_text((DEMO / "station-a3.toml").read_text())
    with pytest.raises(ConfigError) as caught:
        load_station(station)
    assert "plant.toml" in str(caught.value) and "too many digits" in str(caught.value)


def test_a_journal_row_with_a_lone_surrogate_is_not_replayed_and_fails_verification(
    station_factory, tmp_path
):
    journal = tmp_path / "a3.sqlite"
    agent = station_factory(journal_path=journal).agent
    agent.stop()
    with sqlite3.connect(journal) as conn:  # another tool writes a row it should not
        conn.execute(
            "INSERT INTO events (seq, id, kind, at, payload, prev_hash, hash)"
            " SELECT MAX(seq) + 1, 'forged', 'call_raised', '2025-03-04T08:00:00.000Z',"
            " ?, 'x', 'y' FROM events",
            (
                '{"at":"2025-03-04T08:00:00.000Z","call_id":"C9","call_type":"help",'
                '"source":"board","by":"\\ud800"}',
            ),
        )
    problems = verify(journal)
    assert any("not valid Unicode" in p.message for p in problems)
    restarted = station_factory(journal_path=journal).agent
    assert all(c.call_id != "C9" for c in restarted.core.state.open_calls)
    assert restarted.core.journal_error == ""
    assert "C9" not in str(restarted.state_payload())  # the state can be published


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (b'name = "Demo \\ud800 plant"', "not a Unicode scalar value"),  # a surrogate escape
        (b'name = "Demo \xed\xa0\x80 plant"', "expected UTF-8 text"),  # an encoded surrogate
        (b'name = "Demo \xff plant"', "expected UTF-8 text"),
    ],
)
def test_a_configuration_that_is_not_valid_unicode_names_the_file(tmp_path, raw, expected):
    plant = (DEMO / "plant.toml").read_bytes()
    assert b'name = "Demo plant"' in plant
    (tmp_path / "plant.toml").write_bytes(plant.replace(b'name = "Demo plant"', raw, 1))
    station = tmp_path / "station-a3.toml"
    station.write_text((DEMO / "station-a3.toml").read_text())
    with pytest.raises(ConfigError) as caught:
        load_station(station)
    assert "plant.toml" in str(caught.value) and expected in str(caught.value)


@pytest.mark.parametrize(
    "payload",
    [
        '{"at":"2025-03-04T08:00:00.000Z","good":1' + "0" * 5000 + ',"scrap":0}',
        '{"at":"2025-03-04T08:00:00.000Z","good":99999999999999999999,"scrap":0}',
        '{"at":"2025-03-04T08:00:00.000Z","good":NaN,"scrap":0}',
    ],
)
def test_a_journal_row_with_an_oversize_number_is_not_replayed_and_fails_verification(
    station_factory, tmp_path, payload
):
    journal = tmp_path / "a3.sqlite"
    agent = station_factory(journal_path=journal).agent
    good = agent.core.state.good
    agent.stop()
    with sqlite3.connect(journal) as conn:  # another tool writes a row it should not
        conn.execute(
            "INSERT INTO events (seq, id, kind, at, payload, prev_hash, hash)"
            " SELECT MAX(seq) + 1, 'forged', 'counted', '2025-03-04T08:00:00.000Z',"
            " ?, 'x', 'y' FROM events",
            (payload,),
        )
    assert verify(journal) != []
    restarted = station_factory(journal_path=journal).agent
    assert restarted.core.state.good == good
    assert restarted.core.journal_error == ""
    restarted.state_payload()  # the state can be published
