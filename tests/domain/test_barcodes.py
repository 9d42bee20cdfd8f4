"""Scanned codes: what each printed card means, and clear refusals."""

import pytest

from andon.domain.barcodes import BarcodeError, CodeKind, parse


@pytest.mark.parametrize(
    ("text", "kind", "value", "part", "card"),
    [
        ("BD:1042", CodeKind.BADGE, "1042", "", ""),
        ("RC:MAT", CodeKind.REASON, "MAT", "", ""),
        ("KB:P-1001:0007", CodeKind.KANBAN, "P-1001:0007", "P-1001", "0007"),
        ("KX:P-1001:0001", CodeKind.EXPRESS_KANBAN, "P-1001:0001", "P-1001", "0001"),
        ("SN:A3-2611250001", CodeKind.SERIAL, "A3-2611250001", "", ""),
        ("  bd:7 \r\n", CodeKind.BADGE, "7", "", ""),
    ],
)
def test_cards_are_understood(text, kind, value, part, card):
    code = parse(text)
    assert (code.kind, code.value, code.part, code.card) == (kind, value, part, card)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "empty"),
        ("X" * 500, "longer than"),
        ("BD:\x00\x01", "characters"),
        ("HELLO", "unknown card"),
        ("ZZ:1", "unknown card"),
        ("BD:", "no value"),
        ("KB:P-1001", "expected KB:<part>:<card serial>"),
    ],
)
def test_bad_scans_say_why(text, message):
    with pytest.raises(BarcodeError, match=message):
        parse(text)
