"""A scan's outcome at the store, and a station's refusal of a bad scan, in the reader's
language: the whole sentence, the scanner's or the station's reason inside it too."""

from __future__ import annotations

import pytest

from andon.domain import refusals as r
from andon.i18n import translator
from andon.i18n.refusals import shown as refusal
from andon.store import words as W
from andon.store.calls import MaterialCallBook
from andon.store.kanban import Refusal, route_kanban

PARTS = frozenset({"P-1001"})


def _refused(text: str) -> str:
    decision = route_kanban(text, PARTS, MaterialCallBook())
    assert isinstance(decision, Refusal)
    return decision.message


@pytest.mark.parametrize(
    ("text", "language", "expected"),
    [
        (
            "KB:P-9999:0001",
            "de",
            "ohne Kanban keine Entnahme: unbekanntes Teil 'P-9999' auf Kanban 0001",
        ),
        ("KB:P-1001:0001", "zh_CN", "没有看板不取货：P-1001 没有未关闭的物料呼叫"),
        ("BD:1042", "zh_TW", "不是看板：'BD:1042' 是工牌；請掃描料箱上的看板卡（KB:… 或 KX:…）"),
        (
            "SN:A3-1",
            "de",
            "kein Kanban: 'SN:A3-1' ist eine Seriennummer; "
            "scannen Sie die KB:- oder KX:-Karte der Kiste",
        ),
        ("KB:P-1001", "de", "kein Kanban: Kanban 'KB:P-1001': erwartet KB:<Teil>:<Kartennummer>"),
        ("", "zh_CN", "不是看板：扫描内容为空"),
        ("P-1001", "zh_TW", "不是看板：未知卡片 'P-1001'：應為以下之一：BD:、RC:、KB:、KX:、SN:"),
        ("KB:" + "9" * 200, "de", "kein Kanban: Scan länger als 128 Zeichen"),
    ],
)
def test_a_refused_scan_reads_in_the_readers_language(
    text: str, language: str, expected: str
) -> None:
    assert W.shown(_refused(text), translator(language)) == expected


def test_the_outcome_of_a_kanban_sent_to_its_station_reads_in_the_readers_language() -> None:
    de, zh = translator("de"), translator("zh_CN")
    where = "line-a/a1"
    station = r.sentence(r.NOT_A_LINE_PART, part="P-1001")
    refused = W.STATION_REFUSED.format(where=where, reason=station)
    assert W.shown(refused, de) == (
        "line-a/a1 hat das Kanban abgelehnt: "
        "ohne Kanban keine Entnahme: P-1001 ist kein Teil dieser Linie"
    )
    booked = W.BOOKED_EXPRESS.format(card="0007", part="P-1001", where=where)
    assert W.shown(booked, zh) == "看板 0007（加急）已登记：P-1001 送往 line-a/a1"
    late = W.NO_ANSWER.format(where=where, seconds="5", part="P-1001")
    assert (
        W.shown(late, zh) == "line-a/a1 在 5 秒内没有应答；再次扫描前请查看 P-1001 的呼叫是否已关闭"
    )
    assert W.shown("a text no template wrote", de) == "a text no template wrote"


def test_a_bad_scan_at_a_station_reads_in_the_boards_language() -> None:
    from andon.domain.barcodes import BarcodeError, parse

    with pytest.raises(BarcodeError) as caught:
        parse("XX:1")
    assert refusal(str(caught.value), translator("de")) == (
        "unbekannte Karte 'XX:1': erwartet BD:, RC:, KB:, KX: oder SN:"
    )
