"""The loader: file kinds, plant references, paths, and pydantic errors in the file's words."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from config_samples import PLANT, STATION, edit, issues_of

from andon.config.board import BoardFile
from andon.config.errors import ConfigError, ConfigFileNotFoundError, ConfigIssue, format_key_path
from andon.config.loader import (
    load_board,
    load_file,
    load_plant,
    load_station,
    load_store,
    read_toml,
)
from andon.config.plant import PlantFile
from andon.config.station import StationFile

Write = Callable[[str, str], Path]

BOARD = 'kind = "board"\nschema = 1\nplant = "plant.toml"\nid = "sup"\n'
STORE = 'kind = "store"\nschema = 1\nplant = "plant.toml"\nid = "store"\nname = "Store"\n'
PLATE = '\n[[hardware.plates]]\npart = "{part}"\npin = {pin}\n'


def test_a_station_carries_its_plant_and_line(write: Write) -> None:
    write("plant.toml", PLANT)

    station = load_station(write("station.toml", STATION))

    assert isinstance(station.plant_config, PlantFile)
    assert station.plant_config.site.id == "test-plant"
    assert station.line_config.id == "line-a"
    assert station.hardware.buttons["help"].pin == 17


def test_a_plant_in_another_directory_is_found_relative_to_the_file(tmp_path: Path) -> None:
    (tmp_path / "shared").mkdir()
    (tmp_path / "shared" / "plant.toml").write_text(PLANT)
    (tmp_path / "pi").mkdir()
    station_text = edit(STATION, 'plant = "plant.toml"', 'plant = "../shared/plant.toml"')
    station_text += '\n[journal]\npath = "state/journal.sqlite"\n'
    (tmp_path / "pi" / "station.toml").write_text(station_text)

    station = load_station(tmp_path / "pi" / "station.toml")

    assert station.plant == tmp_path / "pi" / "../shared/plant.toml"
    assert station.journal_path == tmp_path / "pi" / "state" / "journal.sqlite"


def test_a_plant_loaded_once_serves_every_member(write: Write) -> None:
    write("plant.toml", PLANT)
    plants: dict[Path, PlantFile] = {}

    first = load_station(write("s1.toml", STATION), plants=plants)
    second = load_station(write("s2.toml", edit(STATION, 'id = "s1"', 'id = "s2"')), plants=plants)

    assert first.plant_config is second.plant_config
    assert list(plants) == [(first.plant).absolute()]


def test_a_model_validated_without_the_loader_says_so() -> None:
    station = StationFile.model_validate(
        {"kind": "station", "schema": 1, "plant": "p.toml", "line": "l", "id": "s", "name": "S"}
    )

    with pytest.raises(RuntimeError, match="validated without its plant file"):
        _ = station.plant_config


def test_the_typed_loaders_check_the_kind(write: Write) -> None:
    path = write("plant.toml", PLANT)

    with pytest.raises(ConfigError) as caught:
        load_station(path)

    assert caught.value.errors == [
        ConfigIssue(path, "kind", 'expected kind = "station", got "plant"')
    ]


@pytest.mark.parametrize(
    ("kind_line", "got"),
    [('kind = "line"', '"line"'), ("kind = 3", "3"), ("", "nothing")],
)
def test_an_unknown_kind_is_named(write: Write, kind_line: str, got: str) -> None:
    path = write("x.toml", f"{kind_line}\nschema = 1\n")

    assert issues_of(path) == [
        (
            "kind",
            'expected kind to be one of "plant", "station", "board", "store", "notify", '
            f'"web", "people", got {got}',
        )
    ]


def test_the_schema_version_is_required(write: Write) -> None:
    path = write("plant.toml", edit(PLANT, "schema = 1\n", "schema = 2\n"))

    assert issues_of(path) == [("schema", "expected one of 1, got 2")]


def test_a_missing_file_is_its_own_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigFileNotFoundError) as caught:
        load_file(tmp_path / "none.toml")

    assert str(caught.value.errors[0]) == f"{tmp_path / 'none.toml'}: no such file"


def test_a_directory_or_non_utf8_file_is_reported(tmp_path: Path) -> None:
    (tmp_path / "binary.toml").write_bytes(b'name = "\xff"\n')

    with pytest.raises(ConfigError, match="expected a file, got a directory"):
        read_toml(tmp_path)
    with pytest.raises(ConfigError, match="expected UTF-8 text; byte 0xff at offset 8 is not"):
        read_toml(tmp_path / "binary.toml")


def test_plant_errors_stay_with_the_plant_file_and_station_errors_are_still_found(
    write: Write,
) -> None:
    plant = write("plant.toml", edit(PLANT, "takt_s = 60", "takt_s = 0"))
    station = write("station.toml", STATION + "\n[hardware.acknowledge]\npin = 17\n")

    with pytest.raises(ConfigError) as caught:
        load_file(station)

    assert [(i.file, i.key_path) for i in caught.value.errors] == [
        (station, "hardware.acknowledge.pin"),
        (station, "plant"),
        (plant, "lines[0].takt_s"),
    ]
    assert caught.value.file == station
    assert str(caught.value).startswith(f"{station}: 3 configuration errors\n  {station}: ")


def test_a_strict_type_check_refuses_quoted_booleans(write: Write) -> None:
    write("plant.toml", PLANT)
    path = write(
        "station.toml", edit(STATION, 'name = "Station 1"', 'name = "Station 1"\ncounts = "yes"')
    )

    assert issues_of(path) == [("counts", 'expected true or false, got "yes"')]


def test_the_counting_station_agrees_with_the_line(write: Write) -> None:
    write("plant.toml", edit(PLANT, "takt_s = 60", 'takt_s = 60\ncounting_station = "s9"'))
    counting = edit(STATION, 'name = "Station 1"', 'name = "Station 1"\ncounts = true')

    assert issues_of(write("station.toml", counting)) == [
        ("counts", "expected false: line line-a counts at station s9 (its counting_station)")
    ]
    write("plant.toml", edit(PLANT, "takt_s = 60", 'takt_s = 60\ncounting_station = "s1"'))
    assert issues_of(write("station.toml", STATION)) == [
        ("counts", "expected true: line line-a names this station as its counting_station")
    ]


def test_acknowledge_is_not_a_call_button(write: Write) -> None:
    write("plant.toml", PLANT)
    text = STATION + "\n[hardware.buttons.acknowledge]\npin = 23\n"

    assert issues_of(write("station.toml", text)) == [
        (
            "hardware.buttons.acknowledge",
            "expected the acknowledge button as [hardware.acknowledge], not as a call button",
        )
    ]


def test_scanner_names_are_unique(write: Write) -> None:
    write("plant.toml", PLANT)
    scanner = '\n[[hardware.scanners]]\nport = "/dev/ttyUSB{n}"\n'

    issues = issues_of(write("station.toml", STATION + scanner.format(n=0) + scanner.format(n=1)))

    assert issues == [
        ("hardware.scanners[1].name", 'expected a unique scanner name, got "scanner" again')
    ]


def test_a_board_shows_all_lines_by_default(write: Write) -> None:
    write("plant.toml", PLANT)

    board = load_board(write("board.toml", BOARD))

    assert isinstance(board, BoardFile)
    assert board.line_ids() == ["line-a"]
    assert (board.role, board.title, board.serve_host, board.stale_after_s) == (
        "supervisor",
        "sup",
        "127.0.0.1",
        30,
    )


@pytest.mark.parametrize(
    ("extra", "issues"),
    [
        (
            'lines = ["line-a", "line-x", "line-a"]',
            [
                ("lines[1]", 'expected a line of the plant test-plant (line-a), got "line-x"'),
                ("lines[2]", 'expected each line once, got "line-a" again'),
            ],
        ),
        (
            'role = "station"',
            [
                ("station", 'expected a station id with role = "station"'),
                ("lines", 'expected exactly one line (the station\'s) with role = "station"'),
            ],
        ),
        (
            'station = "s1"',
            [("station", 'expected station only with role = "station", got role = "supervisor"')],
        ),
        ("rotate_s = 0", [("rotate_s", "expected a number greater than 0, got 0")]),
        ("serve_port = 0", [("serve_port", "expected a number of at least 1, got 0")]),
        ('operator = ""', [("operator", 'expected a text of at least 1 character(s), got ""')]),
        (
            f'operator = "{"x" * 129}"',
            [("operator", f'expected a text of at most 128 characters, got "{"x" * 56}..."')],
        ),
    ],
)
def test_bad_board_files(write: Write, extra: str, issues: list[tuple[str, str]]) -> None:
    write("plant.toml", PLANT)

    assert issues_of(write("board.toml", BOARD + extra + "\n")) == issues


def test_a_board_may_name_its_operator(write: Write) -> None:
    write("plant.toml", PLANT)

    unnamed = load_board(write("board.toml", BOARD))
    named = load_board(write("named.toml", BOARD + 'operator = "Anna Becker"\n'))

    assert (unnamed.operator, named.operator) == (None, "Anna Becker")


def test_a_station_board_names_its_station(write: Write) -> None:
    write("plant.toml", PLANT)

    board = load_board(
        write("board.toml", BOARD + 'role = "station"\nstation = "s1"\nlines = ["line-a"]\n')
    )

    assert (board.role, board.station, board.line_ids()) == ("station", "s1", ["line-a"])


def test_a_store_has_a_plate_per_known_part(write: Write) -> None:
    write("plant.toml", PLANT)
    text = STORE + PLATE.format(part="P-1", pin=5) + "\n[hardware.beacon]\npin = 26\n"

    store = load_store(write("store.toml", text))

    assert store.plate_for("P-1") == 0 and store.plate_for("P-2") is None
    assert store.line_ids() == ["line-a"]


def test_bad_store_plates(write: Write) -> None:
    write("plant.toml", PLANT)
    text = STORE + PLATE.format(part="P-1", pin=5) + PLATE.format(part="P-1", pin=6)
    text += PLATE.format(part="P-7", pin=13) + PLATE.format(part="P-8", pin=13)

    assert issues_of(write("store.toml", text)) == [
        (
            "hardware.plates[3].pin",
            "expected a pin no other device uses, got 13, which hardware.plates[2].pin "
            "already uses",
        )
    ]
    text = STORE + PLATE.format(part="P-1", pin=5) + PLATE.format(part="P-1", pin=6)
    text += PLATE.format(part="P-7", pin=13)
    assert issues_of(write("store.toml", text)) == [
        ("hardware.plates[1].part", 'expected one plate per part, got "P-1" again'),
        (
            "hardware.plates[2].part",
            'expected a part number from [[parts]] of the plant (P-1), got "P-7"',
        ),
    ]


def test_unknown_keys_list_the_allowed_ones_at_any_depth(write: Write) -> None:
    write("plant.toml", PLANT)
    text = STATION + '\n[hardware.tower]\nbackend = "pns"\nhost = "tower"\nblink = true\n'
    ladder = '\n[call_types.help]\nlabel = "Help"\ncolour = "yellow"\n'
    ladder += '\n[[call_types.help.escalation]]\nlevel = 1\nafter_s = 0\nwhile = "unresolved"\n'
    ladder += 'roles = ["supervisor"]\nwhen = 3\n'

    (issue,) = issues_of(write("station.toml", text))
    assert issue[0] == "hardware.tower.blink"
    assert issue[1].startswith("unknown key; expected one of: backend, host, port, colours")
    assert issues_of(write("plant.toml", PLANT + ladder)) == [
        (
            "call_types.help.escalation[0].when",
            "unknown key; expected one of: level, after_s, while, roles",
        )
    ]


def test_key_paths_quote_keys_toml_would_quote() -> None:
    assert format_key_path(["call_types", "help", "escalation", 0, "roles", 1]) == (
        "call_types.help.escalation[0].roles[1]"
    )
    assert format_key_path(["hardware", "buttons", "big red"]) == 'hardware.buttons."big red"'
    assert format_key_path([]) == ""


def test_loaded_files_are_frozen(write: Write) -> None:
    plant = load_plant(write("plant.toml", PLANT))

    with pytest.raises(ValueError, match="frozen"):
        plant.site.id = "other"  # type: ignore[misc]


LAMP_RULE = '\n[[lamps.rules]]\nwhen = "{when}"\ncolour = "{colour}"\npriority = 10\n'


def test_lamp_rules_default_to_the_plant_call_types(write: Write) -> None:
    plant = load_plant(write("plant.toml", PLANT))

    signals = {rule.when for rule in plant.lamp_rules()}

    assert {"call.help", "call.quality", "call.equipment", "call.material"} <= signals


def test_lamp_rules_name_call_types_of_the_plant(write: Write) -> None:
    text = PLANT + LAMP_RULE.format(when="call.smoke", colour="red")

    (issue,) = issues_of(write("plant.toml", text))

    assert issue == (
        "lamps.rules[0].when",
        "expected a signal of a call type of the plant (equipment, help, material, quality), "
        'got "call.smoke"',
    )


def test_a_station_tower_has_every_colour_the_lamp_rules_use(write: Write) -> None:
    write("plant.toml", PLANT + LAMP_RULE.format(when="running", colour="blue"))
    tower = '\n[hardware.tower]\n[[hardware.tower.tiers]]\ncolour = "green"\npin = 20\n'

    (issue,) = issues_of(write("station.toml", STATION + tower))

    assert issue[0] == "hardware.tower"
    assert issue[1].startswith(
        "expected a tier for every colour the plant's [[lamps.rules]] use; lamps.rules[0].colour"
    )


def test_a_plant_reference_to_a_station_file_fails_without_looping(write: Write) -> None:
    station = write("station.toml", edit(STATION, 'plant = "plant.toml"', 'plant = "station.toml"'))

    with pytest.raises(ConfigError) as caught:
        load_file(station)

    assert [str(issue) for issue in caught.value.errors] == [
        f"{station}: plant: expected a valid plant file; {station} has 1 error",
        f'{station}: kind: expected kind = "plant", got "station"',
    ]
