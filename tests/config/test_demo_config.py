"""The demo configuration set loads, plans like the seeds and is live at any hour."""

from __future__ import annotations

import shutil
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from andon.config.board import BoardFile
from andon.config.loader import ConfigFile, load_file, load_plant, load_station
from andon.config.plant import PlantFile
from andon.config.station import StationFile
from andon.config.store import StoreFile

REPO = Path(__file__).resolve().parents[2]
CONFIG = REPO / "firmware_config"
DEMO = CONFIG / "demo"


@pytest.fixture(scope="module")
def demo() -> dict[str, ConfigFile]:
    plants: dict[Path, PlantFile] = {}
    return {path.stem: load_file(path, plants=plants) for path in sorted(DEMO.glob("*.toml"))}


@pytest.fixture(scope="module")
def plant() -> PlantFile:
    return load_plant(DEMO / "plant.toml")


def test_the_demo_set_has_a_plant_three_lines_of_stations_two_boards_and_a_store(
    demo: dict[str, ConfigFile],
) -> None:
    kinds = sorted(config.kind for config in demo.values())
    assert kinds == [
        "board",
        "board",
        "notify",
        "people",
        "plant",
        *["station"] * 7,
        "store",
        "web",
    ]
    stations = [c for c in demo.values() if isinstance(c, StationFile)]
    per_line = {
        line: sorted(s.id for s in stations if s.line == line)
        for line in ("line-a", "line-b", "line-c")
    }
    assert per_line == {
        "line-a": ["a1", "a2", "a3"],
        "line-b": ["b1", "b2"],
        "line-c": ["c1", "c2"],
    }
    boards = {c.role for c in demo.values() if isinstance(c, BoardFile)}
    assert boards == {"supervisor", "maintenance"}


def test_members_share_the_one_plant_file(demo: dict[str, ConfigFile]) -> None:
    plant = demo["plant"]
    members = [c for c in demo.values() if hasattr(c, "plant_config")]
    assert len(members) == len(demo) - 2  # all but the plant file and the people file
    assert all(member.plant_config is members[0].plant_config for member in members)
    assert members[0].plant_config == plant
    assert all(member.plant == DEMO / "plant.toml" for member in members)


def test_the_site_and_broker_are_the_demo_ones(plant: PlantFile) -> None:
    assert (plant.site.id, plant.site.area, plant.site.timezone) == (
        "demo-plant",
        "assembly",
        "Europe/Berlin",
    )
    assert (plant.broker.host, plant.broker.port, plant.broker.tls) == ("127.0.0.1", 1883, False)
    assert plant.broker.username is None and plant.broker.password_file is None


def test_line_a_plans_like_seed_002(plant: PlantFile) -> None:
    line = plant.line("line-a")
    assert line.demand == 175 and line.available_seconds(plant.calendar) == 27_900
    assert round(line.demand_takt_s(plant.calendar) or 0, 1) == 159.4
    assert line.takt_s(plant.calendar) == 160


def test_line_b_has_a_fixed_takt_and_line_c_one_from_the_calendar(plant: PlantFile) -> None:
    assert plant.takt_s("line-b") == 60
    assert plant.line("line-b").demand_takt_s(plant.calendar) is None
    line_c = plant.line("line-c")
    assert plant.calendar.shift("early").working_s == 8 * 3600 - 30 * 60
    assert line_c.available_seconds(plant.calendar) == 27_000
    assert plant.takt_s("line-c") == 45


def test_each_line_counts_at_the_station_that_says_so(
    plant: PlantFile, demo: dict[str, ConfigFile]
) -> None:
    counting = {c.line: c.id for c in demo.values() if isinstance(c, StationFile) and c.counts}
    assert counting == {line.id: line.counting_station for line in plant.lines}


def test_the_demo_is_live_at_every_hour_of_every_day(plant: PlantFile) -> None:
    calendar = plant.domain_calendar()
    berlin = ZoneInfo("Europe/Berlin")
    start = datetime(2025, 3, 24, 0, 0, tzinfo=berlin)  # a week with a DST change (Sunday)
    for step in range(7 * 24 * 4):
        moment = start + timedelta(minutes=15 * step)
        assert calendar.shift_at(moment) is not None, moment


def test_reasons_are_few_and_grouped(plant: PlantFile) -> None:
    assert 0 < len(plant.reasons) <= 25
    assert {r.category for r in plant.reasons} == {"availability", "performance", "quality"}
    assert any(r.planned for r in plant.reasons) and any(not r.planned for r in plant.reasons)


def test_every_part_called_at_a_line_has_a_plate_at_the_store(demo: dict[str, ConfigFile]) -> None:
    store = demo["store"]
    assert isinstance(store, StoreFile)
    called = {b.part for c in demo.values() if isinstance(c, StationFile) for b in c.hardware.bins}
    plates = {plate.part for plate in store.hardware.plates}
    assert called <= plates
    assert {plate.pin for plate in store.hardware.plates} == {5, 6, 13, 19}
    assert store.hardware.beacon is not None and store.hardware.beacon.pin == 26


def test_stations_use_the_documented_pin_map(demo: dict[str, ConfigFile]) -> None:
    station = demo["station-a3"]
    assert isinstance(station, StationFile)
    hw = station.hardware
    assert {k: b.pin for k, b in hw.buttons.items()} == {"help": 17, "quality": 27, "equipment": 22}
    assert hw.acknowledge is not None and hw.acknowledge.pin == 23
    assert hw.tower is not None and hw.tower.backend == "gpio"
    assert [(t.colour, t.pin) for t in hw.tower.tiers] == [
        ("red", 12),
        ("yellow", 16),
        ("green", 20),
        ("blue", 21),
    ]
    assert hw.downstream_full is not None and hw.downstream_full.pin == 4
    assert [s.port for s in hw.scanners if s.kind == "serial"] == ["/dev/andon-scanner"]


def test_a_station_journal_defaults_under_var_lib(demo: dict[str, ConfigFile]) -> None:
    station = demo["station-b1"]
    assert isinstance(station, StationFile)
    assert station.journal_path == Path("/var/lib/andon/line-b-b1.sqlite")


def test_the_production_example_checks_against_a_plant_beside_it(tmp_path: Path) -> None:
    shutil.copy(DEMO / "plant.toml", tmp_path / "plant.toml")
    text = (CONFIG / "station.example.toml").read_text(encoding="utf-8")
    # What its first comment tells the user to do on the device.
    text = text.replace('plant = "demo/plant.toml"', 'plant = "plant.toml"')
    (tmp_path / "station.toml").write_text(text, encoding="utf-8")

    station = load_station(tmp_path / "station.toml")

    assert (station.line, station.id) == ("line-a", "a1")
    assert station.journal_path == Path("/var/lib/andon/line-a-a1.sqlite")
    assert station.line_config.takt_s(station.plant_config.calendar) == 160


def test_no_example_holds_an_inline_secret() -> None:
    for path in CONFIG.rglob("*.toml"):
        text = path.read_text(encoding="utf-8")
        assert "password =" not in text.replace("password_file", ""), path
