"""Plan and difference as displayed agree: displayed actual − displayed plan = displayed diff."""

from __future__ import annotations

from decimal import Decimal

from babel.numbers import parse_decimal
from hypothesis import given
from hypothesis import strategies as st

from andon.board import formatting as fmt
from andon.domain.shown_figures import plan_text, shown_difference
from andon.i18n import Translator, translator

EN = translator("en")
LANGUAGES = [translator(code) for code in ("en", "de", "zh_CN", "zh_TW")]


def _read(text: str, tr: Translator) -> Decimal:
    return parse_decimal(text.replace(fmt.MINUS, "-"), locale=tr.language)


def test_the_line_that_did_not_add_up() -> None:
    # 9.55 units planned, 13 made: the true difference 3.45 would read "+3.5" beside "9.6".
    assert plan_text(9.55, "en") == "9.6"
    assert fmt.signed(shown_difference(13, 9.55), EN) == "+3.4"
    assert fmt.signed(shown_difference(9, 9.55), EN) == "−0.6"
    assert fmt.signed(shown_difference(10, 9.96), EN) == "0.0"


@given(
    actual=st.integers(min_value=0, max_value=100_000),
    planned=st.floats(min_value=0, max_value=100_000, allow_nan=False, allow_infinity=False),
    tr=st.sampled_from(LANGUAGES),
)
def test_displayed_actual_minus_displayed_plan_is_displayed_difference(
    actual: int, planned: float, tr: Translator
) -> None:
    plan_shown = plan_text(planned, tr.language)
    diff_text = fmt.signed(shown_difference(actual, planned), tr)
    assert _read(fmt.number(actual, tr), tr) - _read(plan_shown, tr) == _read(diff_text, tr)


def test_a_whole_plan_is_written_with_the_decimal_of_its_difference() -> None:
    # "Plan 409" beside "−209.0", "80" above "73.3": every plan carries one decimal.
    assert plan_text(409, "en") == "409.0"
    assert fmt.signed(shown_difference(200, 409), EN) == "−209.0"
    assert [plan_text(v, "en") for v in (80, 73.333, 80.04)] == ["80.0", "73.3", "80.0"]
    assert plan_text(1234.5, "de") == "1.234,5"
    assert plan_text(None, "en") == "–"
