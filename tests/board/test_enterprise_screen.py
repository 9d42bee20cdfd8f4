"""The enterprise overview: one row per site from the enterprise broker, and the picker.

The model takes what an enterprise broker holds (every station's retained state
and status under the enterprise prefix, each site's bridge status); the feed takes
it from a real Mosquitto; the screen is snapshotted at 80×24 and 200×60 like the
other screens, and Enter / Backspace walk site → area → line and back.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
from textual.pilot import Pilot

from andon.board.sites import Selection, SitesModel
from andon.board.sites_feed import SitesFeed
from andon.bus.client import BusClient
from andon.bus.messages import STATE_VERSION
from tests.board.conftest import AppFactory
from tests.board.pilot import assert_text_snapshot, run, screen_text, settle
from tests.support.stations import wait_for

NOW = datetime(2026, 3, 4, 9, 30, tzinfo=UTC)
STATIONS = [
    # site, area, line, station, good, planned, open calls, online
    ("plant-north", "assembly", "line-a", "a1", 40, 42.5, 1, True),
    ("plant-north", "assembly", "line-a", "a2", 38, 42.5, 0, True),
    ("plant-north", "assembly", "line-b", "b1", 12, 20.0, 2, False),
    ("plant-north", "paint", "line-p", "p1", 7, 6.0, 0, True),
    ("plant-south", "assembly", "line-a", "a1", 55, 50.0, 0, True),
]


def state(path: str, good: int, planned: float, calls: int) -> bytes:
    return json.dumps(
        {
            "v": STATE_VERSION,
            "station": path,
            "line": path.split("/")[2],
            "seq": 10,
            "at": "2026-03-04T09:30:00+00:00",
            "good": good,
            "planned": planned,
            "open_calls": [{"call_id": f"C{n}"} for n in range(calls)],
            "hours": [],
        }
    ).encode()


def messages(prefix: str = "acme") -> list[tuple[str, bytes]]:
    out = []
    for site, area, line, station, good, planned, calls, online in STATIONS:
        path = f"{site}/{area}/{line}/{station}"
        out.append((f"{prefix}/{path}/state", state(path, good, planned, calls)))
        status = {"v": 1, "station": path, "online": online, "at": "", "version": "", "detail": ""}
        out.append((f"{prefix}/{path}/status", json.dumps(status).encode()))
    out.append((f"{prefix}/plant-north/_bridges/enterprise/status", b"1"))
    out.append((f"{prefix}/plant-south/_bridges/enterprise/status", b"0"))
    out.append((f"{prefix}/plant-west/_bridges/enterprise/status", b"1"))
    return out


@pytest.fixture
def sites() -> SitesModel:
    model = SitesModel("acme")
    for topic, payload in messages():
        assert model.ingest(topic, payload, NOW)
    return model


def test_one_row_per_site_added_up_and_the_picker_walks_down(sites: SitesModel) -> None:
    rows = {r.key: r for r in sites.rows(Selection())}
    assert list(rows) == ["plant-north", "plant-south", "plant-west"]
    north = rows["plant-north"]
    assert (north.stations, north.online, north.good, north.planned, north.open_calls) == (
        4,
        3,
        97,
        111.0,
        3,
    )
    assert (north.wan, rows["plant-south"].wan) == (True, False)
    assert rows["plant-west"].stations == 0  # a bridge heard, no station yet
    areas = sites.rows(Selection("plant-north"))
    assert [(r.key, r.good, r.wan) for r in areas] == [("assembly", 90, None), ("paint", 7, None)]
    lines = sites.rows(Selection("plant-north").down("assembly"))
    assert [(r.key, r.stations, r.open_calls) for r in lines] == [
        ("line-a", 2, 1),
        ("line-b", 1, 2),
    ]
    stations = sites.rows(Selection("plant-north", "assembly", "line-a"))
    assert [r.key for r in stations] == ["a1", "a2"]
    assert Selection("plant-north", "assembly", "line-a").up().up().up() == Selection()


def test_malformed_and_foreign_messages_are_counted_not_raised(sites: SitesModel) -> None:
    before = sites.rows(Selection())
    assert not sites.ingest("acme/plant-north/assembly/line-a/a1/state", b"{not json", NOW)
    assert not sites.ingest("acme/plant-north/assembly/line-a/a1/status", b'{"online": 1}', NOW)
    assert not sites.ingest("acme/plant-north/_bridges/enterprise/status", b"up", NOW)
    assert not sites.ingest("other/plant-north/assembly/line-a/a1/state", b"{}", NOW)
    assert sites.rejected == 3
    assert sites.rows(Selection()) == before


@pytest.mark.mosquitto
def test_the_feed_takes_every_site_from_the_enterprise_broker(mosquitto) -> None:
    publisher = BusClient(mosquitto.settings(client_id="enterprise-side"))
    publisher.start()
    feed = None
    try:
        assert publisher.wait_connected(10)
        for topic, payload in messages():
            assert publisher.publish(topic, payload, qos=1, retain=True).wait(5)
        # Another enterprise's topics on the same broker are not this board's.
        assert publisher.publish("other/plant-x/_bridges/enterprise/status", b"1", retain=True)
        model = SitesModel("acme")
        feed = SitesFeed(model, mosquitto.settings(), lambda: NOW).start()
        wait_for(lambda: len(model.stations) == len(STATIONS) and len(model.bridges) == 3, 10)
        rows = {r.key: r for r in model.rows(Selection())}
        assert rows["plant-south"].good == 55 and rows["plant-south"].wan is False
        # The WAN comes back at plant-south: its bridge says 1.
        assert publisher.publish(
            "acme/plant-south/_bridges/enterprise/status", b"1", qos=1, retain=True
        ).wait(5)
        wait_for(lambda: model.bridges.get("plant-south") is True, 10)
        assert "plant-x" not in model.sites()
    finally:
        if feed is not None:
            feed.close()
        publisher.close(timeout=1)


@pytest.mark.parametrize("size", [(80, 24), (200, 60)], ids=["80x24", "200x60"])
@pytest.mark.parametrize("language", ["en", "zh_CN", "zh_TW", "de"])
def test_the_enterprise_overview_reads_as_stored(
    make_app: AppFactory, sites: SitesModel, size: tuple[int, int], language: str
) -> None:
    app = make_app("board.toml", start_mode="enterprise", sites=sites, language=language)

    async def check(pilot: Pilot[None]) -> None:
        await settle(pilot)
        name = f"{size[0]}x{size[1]}"
        assert_text_snapshot(app, f"{language}/enterprise-{name}")
        await pilot.press("enter")  # the first site: its areas
        await settle(pilot)
        assert_text_snapshot(app, f"{language}/enterprise-site-{name}")
        await pilot.press("backspace")
        await settle(pilot)
        assert "plant-south" in screen_text(app)

    run(app, check, size=size)


def test_the_key_shows_only_on_an_enterprise_board(make_app: AppFactory, sites) -> None:
    plain = make_app("board.toml", start_mode="overview")
    enterprise = make_app("board.toml", start_mode="overview", sites=sites)

    async def without(pilot: Pilot[None]) -> None:
        await settle(pilot)
        await pilot.press("p")
        await settle(pilot)
        assert plain.current_mode == "overview"

    async def with_sites(pilot: Pilot[None]) -> None:
        await settle(pilot)
        assert "Sites" in screen_text(enterprise).splitlines()[-1]
        await pilot.press("p")
        await settle(pilot)
        assert enterprise.current_mode == "enterprise"
        assert "plant-north" in screen_text(enterprise)

    run(plain, without, size=(200, 60))
    run(enterprise, with_sites, size=(200, 60))


def test_the_overview_in_german(make_app: AppFactory, sites: SitesModel) -> None:
    app = make_app("board.toml", start_mode="enterprise", sites=sites, language="de")

    async def check(pilot: Pilot[None]) -> None:
        await settle(pilot)
        text = screen_text(app)
        assert "alle Werke" in text
        assert "offene Rufe" in text  # the column of open calls

    run(app, check, size=(200, 60))
