"""Splitting a scanner's bytes into codes and rejecting what is not one."""

from __future__ import annotations

from hal.events import Scanned, ScanRejected
from hal.scan_lines import ScanLineAssembler


def texts(events) -> list[str]:
    return [e.text if isinstance(e, Scanned) else f"!{e.reason}" for e in events]


def test_lines_split_on_the_terminator_even_across_reads() -> None:
    lines = ScanLineAssembler("kanban", terminator=b"\r", max_length=64)
    assert lines.feed(b"KB-00", 1.0) == []
    events = lines.feed(b"17\rKB-0018\rKB", 2.0)
    assert events == [
        Scanned(scanner="kanban", text="KB-0017", at=2.0),
        Scanned(scanner="kanban", text="KB-0018", at=2.0),
    ]
    assert texts(lines.feed(b"-0019\r", 3.0)) == ["KB-0019"]


def test_a_two_byte_terminator_split_between_reads() -> None:
    lines = ScanLineAssembler("s", terminator=b"\r\n", max_length=64)
    assert lines.feed(b"ABC\r", 1.0) == []
    assert texts(lines.feed(b"\nDEF\r\n", 1.0)) == ["ABC", "DEF"]


def test_stray_line_feeds_and_empty_lines_are_ignored() -> None:
    lines = ScanLineAssembler("s", terminator=b"\r", max_length=64)
    assert texts(lines.feed(b"ABC\r\nDEF\r\n\r\r", 1.0)) == ["ABC", "DEF"]


def test_utf8_and_gs1_separators_are_codes() -> None:
    lines = ScanLineAssembler("s", terminator=b"\r", max_length=64)
    code = "]d2010950600013435\x1d10ABC"
    assert texts(lines.feed(code.encode() + b"\r" + "Zählpunkt 7".encode() + b"\r", 1.0)) == [
        code,
        "Zählpunkt 7",
    ]


def test_binary_and_control_characters_are_rejected() -> None:
    lines = ScanLineAssembler("s", terminator=b"\r", max_length=64)
    events = lines.feed(b"\xff\xfe\x00\x01\rAB\x07C\rOK\r", 1.0)
    assert [type(e) for e in events] == [ScanRejected, ScanRejected, Scanned]
    assert "binary" in events[0].reason
    assert "control character" in events[1].reason
    assert events[2].text == "OK"


def test_a_terminated_line_that_is_too_long_is_rejected() -> None:
    lines = ScanLineAssembler("s", terminator=b"\r", max_length=8)
    assert texts(lines.feed(b"123456789\r12345678\r", 1.0)) == [
        "!longer than 8 characters",
        "12345678",
    ]


def test_an_endless_line_is_rejected_once_and_skipped_to_the_next_terminator() -> None:
    lines = ScanLineAssembler("s", terminator=b"\r", max_length=8)
    events = []
    for _ in range(100):
        events += lines.feed(b"garbage-" * 4, 1.0)
    assert texts(events) == ["!longer than 8 characters"]
    assert texts(lines.feed(b"tail\rGOOD\r", 2.0)) == ["GOOD"]


def test_reset_forgets_a_partial_line() -> None:
    lines = ScanLineAssembler("s", terminator=b"\r", max_length=64)
    lines.feed(b"HALF", 1.0)
    lines.reset()
    assert texts(lines.feed(b"WHOLE\r", 2.0)) == ["WHOLE"]
