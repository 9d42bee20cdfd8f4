"""How the board writes numbers, durations, pace and trends."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from andon.board import formatting as fmt
from andon.i18n import translator

EN = translator("en")
DE = translator("de")
ZH = translator("zh_CN")


@pytest.mark.parametrize(
    ("seconds", "text"),
    [
        (None, "–"),
        (0, "0:00"),
        (59.9, "0:59"),
        (61, "1:01"),
        (3599, "59:59"),
        (3661, "1:01:01"),
        (-5, "0:00"),
        (float("nan"), "–"),
    ],
)
def test_duration(seconds: float | None, text: str) -> None:
    assert fmt.duration(seconds) == text


@pytest.mark.parametrize(
    ("seconds", "text"),
    [
        (None, "never"),
        (12.7, "12 s"),
        (89, "89 s"),
        (90, "1 min"),
        (3599, "59 min"),
        (3600 * 2 + 5 * 60, "2 h 05"),
    ],
)
def test_age(seconds: float | None, text: str) -> None:
    assert fmt.age(seconds, EN) == text


def test_signed_uses_a_real_minus_and_no_sign_for_zero() -> None:
    assert fmt.signed(-7.12, EN) == "−7.1"
    assert fmt.signed(15.38, EN) == "+15.4"
    assert fmt.signed(-0.04, EN) == "0.0"
    assert fmt.signed(-0.3333 * 100, EN, 0) == "−33"
    assert fmt.signed(-1234.56, DE) == "−1.234,6"
    assert fmt.signed(2.5, ZH) == "+2.5"
    assert fmt.signed_percent(-0.3333, EN) == "−33%"
    assert fmt.signed_percent(0.12, DE) == "+12\u00a0%"
    assert fmt.signed_percent(0.001, EN) == "0%"


def test_a_difference_of_durations_has_the_same_signs_as_any_difference() -> None:
    assert fmt.signed_duration(-40, EN) == "−0:40"
    assert fmt.signed_duration(3905, DE) == "+1:05:05"
    assert fmt.signed_duration(-65.4, ZH) == "−1:05"
    assert fmt.signed_duration(0.3, EN) == "0:00"
    assert fmt.signed_duration(None, EN) == "–"


def test_numbers_and_percentages_in_babels_pattern_of_the_language() -> None:
    assert fmt.number(18, EN) == "18"
    assert fmt.number(25.12, EN) == "25.1"
    assert fmt.number(25.12, DE) == "25,1"
    assert fmt.number(1234, EN) == "1,234"
    assert fmt.number(None, EN) == "–"
    assert fmt.percent(0.7164, EN) == "72%"
    assert fmt.percent(0.7164, DE) == "72\u00a0%"
    assert fmt.percent(0.7164, ZH) == "72%"
    assert fmt.percent(None, EN) == "–"
    assert fmt.seconds_text(160.0, EN) == "160 s"


def test_every_pace_has_a_symbol_and_a_word_not_only_a_colour() -> None:
    styles = [fmt.pace_style(p) for p in ("normal", "too_fast", "too_slow", None, "unknown")]
    assert [s.symbol for s in styles] == ["●", "▲", "▼", "○", "○"]
    assert [s.word for s in styles] == [
        "ON PLAN",
        "TOO FAST",
        "TOO SLOW",
        "NOT JUDGED",
        "NOT JUDGED",
    ]
    assert len({s.css for s in styles}) == 4


def test_sparkline_scales_between_min_and_max() -> None:
    assert fmt.sparkline([0, 4, 8], 10) == "▁▅█"
    assert fmt.sparkline([1, 2, 3, 4, 5], 3) == fmt.sparkline([3, 4, 5], 3)
    assert fmt.sparkline([], 5) == ""
    assert fmt.sparkline([1, 2], 0) == ""


def test_sparkline_does_not_magnify_noise() -> None:
    assert fmt.sparkline([0.3, -0.3, 0.0], 3) == "▅▄▅"
    assert fmt.sparkline([5, 5, 5], 3) == "▅▅▅"


def test_bar_fills_eighths_of_a_cell() -> None:
    assert fmt.bar(1.0, 4) == "████"
    assert fmt.bar(0.5, 4) == "██  "
    assert fmt.bar(0.53, 4) == "██▏ "
    assert fmt.bar(2.0, 3) == "███"
    assert fmt.bar(0.0, 2) == "  "


def test_clock_is_in_the_plant_time_zone() -> None:
    berlin = ZoneInfo("Europe/Berlin")
    t = datetime(2026, 11, 25, 9, 30, 5, tzinfo=UTC)
    assert fmt.clock(t, berlin) == "10:30"
    assert fmt.clock_s(t, berlin) == "10:30:05"
    assert fmt.clock(None, berlin) == "–"
