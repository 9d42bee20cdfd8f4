"""Numbers, percentages, durations and dates by locale (Babel), and CJK cell widths."""

from __future__ import annotations

from datetime import datetime

from hypothesis import given
from hypothesis import strategies as st

from andon.i18n import formats
from andon.i18n.width import cells, fit, pad

NBSP = "\xa0"


def test_percent_by_language() -> None:
    assert formats.percent(0.426, "en") == "42.6%"
    assert formats.percent(0.87, "de") == f"87,0{NBSP}%"
    assert formats.percent(0.98, "zh_CN") == "98.0%"
    assert formats.percent(1.0, "de", digits=0) == f"100{NBSP}%"


def test_numbers_by_language() -> None:
    assert formats.number(1234.5, "en", digits=1) == "1,234.5"
    assert formats.number(1234.5, "de", digits=1) == "1.234,5"
    assert formats.number(175, "zh_TW") == "175"


def test_durations() -> None:
    assert formats.clock_duration(5424) == "1:30:24"
    assert formats.clock_duration(245) == "4:05"
    assert formats.spoken_duration(720, "en") == "12 minutes"
    assert formats.spoken_duration(720, "de") == "12 Minuten"
    assert formats.spoken_duration(720, "zh_CN") == "12分钟"


def test_dates_and_times() -> None:
    instant = datetime(2026, 12, 6, 22, 5)
    assert formats.time_of_day(instant, "de") == "22:05"
    assert formats.date(instant, "de") == "06.12.2026"
    assert formats.date(instant, "zh_CN") == "2026年12月6日"


def test_cjk_glyphs_take_two_cells_and_are_never_cut() -> None:
    assert cells("设备综合效率") == 12
    assert fit("设备综合效率", 6) == "设备…"
    assert cells(fit("设备综合效率", 6)) == 5
    assert pad("过快", 6) == "过快  "
    assert pad("过快", 6, right=True) == "  过快"


@given(st.text(alphabet=st.sampled_from("ab设备過快…1 ")), st.integers(0, 30))
def test_fit_never_exceeds_its_width(text: str, width: int) -> None:
    fitted = fit(text, width)
    assert cells(fitted) <= width
    assert fitted == text or fitted.endswith("…") or width == 0
    assert cells(pad(text, width)) == width
