"""The line screen's calls of the shift: how a closed call reads in its "Reason / who"."""

from __future__ import annotations

from datetime import UTC

from andon.board.screens.line import history_row
from andon.board.station_data import CallData
from andon.board.views import CallView
from andon.i18n import translator
from tests.board import factory as f
from tests.board.scenario import catalogue


def detail(call_type: str, status: str, language: str = "en", **over: str) -> object:
    call = CallData("c1", call_type, status, f.at(0), **over)  # type: ignore[arg-type]
    view = CallView(call, "line-a", "a1", f.path("line-a", "a1"), 60.0)
    _, cells = history_row(view, UTC, catalogue(language=language), translator(language))
    return cells[-1]


def test_a_material_call_closed_by_the_store_reads_delivered_by_the_store() -> None:
    assert detail("material", "resolved", closed_by="Central store") == (
        "Delivered · Central store"
    )
    assert detail("material", "resolved", "de", closed_by="Central store") == (
        "Geliefert · Central store"
    )
    assert detail("material", "resolved", "zh_CN", closed_by="Central store") == (
        "已送达 · Central store"
    )


def test_only_a_resolved_material_call_without_a_reason_reads_delivered() -> None:
    assert detail("material", "resolved") == "Delivered"
    assert detail("material", "cancelled", closed_by="Lena Fischer") == "Lena Fischer"
    assert detail("help", "resolved", closed_by="Lena Fischer") == "Lena Fischer"
    assert "Delivered" not in str(detail("material", "resolved", reason="fault", closed_by="x"))


def test_a_call_the_bin_sensor_closed_names_the_sensor_in_the_boards_language() -> None:
    assert detail("material", "resolved", closed_by="bin sensor") == "Delivered · bin sensor"
    assert detail("material", "resolved", "zh_CN", closed_by="bin sensor") == "已送达 · 料箱传感器"
    assert detail("material", "resolved", "de", closed_by="bin sensor") == (
        "Geliefert · Behältersensor"
    )
