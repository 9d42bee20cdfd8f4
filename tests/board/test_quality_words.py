"""The Q of OEE and the quality call are two words in Chinese: 良品率 and 质量."""

from __future__ import annotations

import pytest
from textual.pilot import Pilot

from andon.board.app import BoardApp
from andon.domain import events as ev
from tests.board.conftest import AppFactory
from tests.board.pilot import redraw, run, screen_text
from tests.board.test_screens import A1, event, station_seq

KPI = {"zh_CN": "良品率", "zh_TW": "良品率", "de": "Qual.", "en": "Qual"}
CALL = {"zh_CN": "质量", "zh_TW": "品質", "de": "Qualität", "en": "Quality"}


@pytest.mark.parametrize("language", ["zh_CN", "zh_TW"])
def test_the_line_screen_tells_the_oee_factor_from_the_quality_call(
    make_app: AppFactory, language: str
) -> None:
    async def check(pilot: Pilot[None]) -> None:
        app = pilot.app
        assert isinstance(app, BoardApp)
        call = ev.CallRaised(
            at=app.clock(), call_id="line-a.a1.C9", call_type="quality", source="button"
        )
        event(app, A1, station_seq(app, A1) + 1, call)
        await redraw(pilot)
        rows = screen_text(app).splitlines()
        (kpis,) = [row for row in rows if "OEE" in row]  # availability … OEE, one row
        assert KPI[language] in kpis
        assert CALL[language] not in kpis
        (called,) = [row for row in rows if row.strip().startswith("10:30 ")]  # raised now
        assert CALL[language] in called

    run(make_app(start_mode="line", language=language), check, size=(80, 24))


def test_the_calls_screen_calls_a_quality_call_quality_in_chinese(make_app: AppFactory) -> None:
    async def check(pilot: Pilot[None]) -> None:
        app = pilot.app
        assert isinstance(app, BoardApp)
        call = ev.CallRaised(
            at=app.clock(), call_id="line-a.a1.C9", call_type="quality", source="button"
        )
        event(app, A1, station_seq(app, A1) + 1, call)
        await redraw(pilot)
        text = screen_text(app)
        (row,) = [row for row in text.splitlines() if "10:30 呼叫" in row]  # raised just now
        assert "质量" in row
        assert "良品率" not in text

    run(make_app(start_mode="calls", language="zh_CN"), check, size=(200, 60))
