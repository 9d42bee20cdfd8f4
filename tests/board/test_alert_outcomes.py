"""The Calls screen says what became of each call's latest alert, in the board's language."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from textual.pilot import Pilot

from andon.board.app import BoardApp
from andon.board.deliveries import DeliveryBook
from andon.board.screens.calls import CallsScreen
from andon.bus.client import BusClient
from andon.bus.messages import MessageError, encode
from andon.domain.events import AlertDelivery
from andon.notify.deliveries import deliveries_topic
from tests.board import factory as f
from tests.board.conftest import AppFactory
from tests.board.fake_station import FakeStation
from tests.board.live import WAIT_S, live_app, until_text
from tests.board.pilot import redraw, run, screen_text
from tests.board.scenario import catalogue
from tests.conftest import Mosquitto


def failed(call_id: str, at: datetime) -> AlertDelivery:
    return AlertDelivery(
        at=at,
        call_id=call_id,
        level=2,
        channel="mail",
        outcome="failed",
        detail="to Lena Fischer: the service did not accept it (6 tries)",
        code="failed_to_tries",
        params={"recipient": "Lena Fischer", "tries": "6"},
        reason="not_accepted",
    )


def sent(call_id: str, at: datetime) -> AlertDelivery:
    return AlertDelivery(
        at=at,
        call_id=call_id,
        level=3,
        channel="sms",
        outcome="sent",
        detail="to Jonas Weber",
        code="sent_to",
        params={"recipient": "Jonas Weber"},
    )


def message(delivery: AlertDelivery) -> bytes:
    body: dict[str, Any] = {"v": 1, "notifier": "maintenance", **delivery.to_dict()}
    return encode(body)


def test_the_book_keeps_each_calls_latest_outcome_and_refuses_a_malformed_one() -> None:
    book = DeliveryBook(kept=2)
    assert book.take(message(failed("line-a.a1.C1", f.at(10))))
    assert not book.take(message(failed("line-a.a1.C1", f.at(10))))  # the same, after a restart
    assert not book.take(message(sent("line-a.a1.C1", f.at(5))))  # older: it came late
    assert book.latest()["line-a.a1.C1"].outcome == "failed"
    assert book.take(message(sent("line-a.a1.C1", f.at(20))))
    assert book.latest()["line-a.a1.C1"].outcome == "sent"
    book.take(message(sent("line-a.a1.C2", f.at(21))))
    book.take(message(sent("line-a.a1.C3", f.at(22))))
    assert sorted(book.latest()) == ["line-a.a1.C2", "line-a.a1.C3"]  # the oldest heard of goes
    with pytest.raises(MessageError, match=r"delivery\.outcome"):
        book.take(
            encode({**sent("x", f.at(1)).to_dict(), "v": 1, "notifier": "n", "outcome": "lost"})
        )


def test_a_malformed_outcome_is_counted_on_the_diagnostics(make_app: AppFactory) -> None:
    app = make_app("maintenance.toml")
    topic = deliveries_topic(f.PREFIX, f.SITE, "maintenance")
    app.model.delivery(topic, b'{"v": 1, "notifier": "maintenance"}')
    (problem,) = app.model.view(app.clock()).diagnostics.malformed
    assert (problem.topic, problem.count) == (topic, 1)


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", "alert L2 mail: not delivered to Lena Fischer after 6 tries: the service did not"),
        ("zh_CN", "通知 L2 mail：尝试 6 次后仍未能送达 Lena Fischer：服务未接受该消息"),
        ("de", "Meldung L2 mail: nach 6 Versuchen nicht an Lena Fischer zugestellt: der Dienst"),
    ],
)
def test_the_calls_screen_shows_the_latest_alert_in_the_boards_language(
    make_app: AppFactory, language: str, expected: str
) -> None:
    app = make_app("maintenance.toml", language=language)
    call = app.model.view(app.clock()).open_calls[0]
    topic = deliveries_topic(f.PREFIX, f.SITE, "maintenance")
    app.model.delivery(topic, message(failed(call.call_id, app.clock())))

    async def check(pilot: Pilot[None]) -> None:
        assert isinstance(pilot.app, BoardApp)
        assert isinstance(pilot.app.screen, CallsScreen)
        await redraw(pilot)
        text = screen_text(pilot.app)
        assert expected in text
        assert "Lena Fischer" in text

    run(app, check, size=(240, 40))


@pytest.mark.mosquitto
def test_an_outcome_published_by_a_notifier_reaches_the_calls_screen(
    mosquitto: Mosquitto,
) -> None:
    station = FakeStation(mosquitto.settings()).start()
    notifier = BusClient(mosquitto.settings())
    notifier.start()
    assert notifier.wait_connected(WAIT_S)
    app = live_app(catalogue(), mosquitto.settings(), start_mode="calls")
    topic = deliveries_topic(f.PREFIX, f.SITE, "maintenance")

    async def check(pilot: Pilot[None]) -> None:
        call_id = station.raise_call("help")
        await until_text(pilot, "Help", "raised")
        notifier.publish(topic, message(sent(call_id, datetime.now(UTC)))).wait(WAIT_S)
        await until_text(pilot, "alert L3 sms: sent to Jonas Weber")

    try:
        run(app, check, size=(200, 30))
    finally:
        notifier.close(timeout=1.0)
        station.close()
