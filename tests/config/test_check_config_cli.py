"""``andon check-config``: every bad file names the file, the key path and what was expected."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from config_samples import PLANT, STATION, edit

REPO = Path(__file__).resolve().parents[2]
DEMO = REPO / "firmware_config" / "demo"

Write = Callable[[str, str], Path]
Check = Callable[..., tuple[int, str, list[str]]]


def _andon(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "andon", *args],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_the_demo_set_passes_the_real_command() -> None:
    files = sorted(str(p.relative_to(REPO)) for p in DEMO.glob("*.toml"))
    assert len(files) >= 11

    result = _andon("check-config", *files)

    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    ok_lines = result.stdout.splitlines()
    assert sorted(line.split()[1] for line in ok_lines) == files
    assert all(line.startswith("OK ") for line in ok_lines)
    assert "(plant: demo-plant, 3 lines, 3 shifts" in result.stdout
    assert "(station: line-a/a3, 3 buttons, 0 bins, 1 scanner, counts the line)" in result.stdout


def test_the_real_command_fails_on_bad_files_and_reports_each(tmp_path: Path) -> None:
    (tmp_path / "plant.toml").write_text(edit(PLANT, "takt_s = 60", "takt_s = 0"))
    (tmp_path / "broken.toml").write_text('kind = "plant"\nschema = 1\n[site\n')

    result = _andon("check-config", str(tmp_path / "plant.toml"), str(tmp_path / "broken.toml"))

    assert result.returncode == 1
    assert result.stdout == ""
    assert (
        f"{tmp_path / 'plant.toml'}: lines[0].takt_s: expected a number greater than 0, got 0"
        in (result.stderr)
    )
    assert f"{tmp_path / 'broken.toml'}: line 3, column 6: TOML syntax error" in result.stderr


def test_a_missing_file_exits_2_after_checking_the_others(write: Write, check: Check) -> None:
    good = write("plant.toml", PLANT)

    code, out, err = check(good, good.parent / "absent.toml")

    assert code == 2
    assert f"OK {good} (plant: " in out
    assert err == [f"{good.parent / 'absent.toml'}: no such file"]


def test_missing_beats_invalid_in_the_exit_code(write: Write, check: Check) -> None:
    bad = write("plant.toml", edit(PLANT, "takt_s = 60", "takt_s = -1"))

    code, _, err = check(bad, bad.parent / "absent.toml")

    assert code == 2
    assert any("lines[0].takt_s" in line for line in err)


# Each bad case: the file to write (name, text), the key path and the expected wording.
BAD_PLANTS = {
    "unknown key": (
        edit(PLANT, 'area = "assembly"', 'area = "assembly"\ncolour = "red"'),
        "site.colour",
        "unknown key; expected one of: id, name, area, timezone, topic_prefix",
    ),
    "unknown table": (
        PLANT + "\n[lights]\nbright = true\n",
        "lights",
        "unknown key; expected one of: kind, schema, site, broker, calendar",
    ),
    "wrong type": (
        edit(PLANT, "takt_s = 60", 'takt_s = "60"'),
        "lines[0].takt_s",
        'expected a number, got "60"',
    ),
    "a break outside its shift": (
        edit(PLANT, 'start = "09:00"\nend = "09:15"', 'start = "13:50"\nend = "14:20"'),
        "calendar.shifts[0].stops[0].end",
        "expected an end within the shift early (06:00–14:00), got 14:20",
    ),
    "a break after its night shift": (
        edit(PLANT, 'start = "02:00"\nend = "02:30"', 'start = "07:00"\nend = "07:30"'),
        "calendar.shifts[1].stops[0].start",
        "expected a start within the shift night (22:00–06:00), got 07:00",
    ),
    "a takt of 0": (
        edit(PLANT, "takt_s = 60", "takt_s = 0"),
        "lines[0].takt_s",
        "expected a number greater than 0, got 0",
    ),
    "both takt and demand": (
        edit(PLANT, "takt_s = 60", "takt_s = 60\ndemand = 175"),
        "lines[0].demand",
        "expected either takt_s or demand",
    ),
    "neither takt nor demand": (
        edit(PLANT, "takt_s = 60", ""),
        "lines[0]",
        "expected a plan: takt_s (seconds per unit) or demand (units per shift)",
    ),
    "an inline password": (
        PLANT + '\n[broker]\nusername = "andon"\npassword = "hunter2"\n',
        "broker.password",
        "expected no inline password: put the password in a file",
    ),
    "a bad timezone": (
        edit(PLANT, 'timezone = "Europe/Berlin"', 'timezone = "Europe/Atlantis"'),
        "site.timezone",
        'expected an IANA time zone name such as "Europe/Berlin", got "Europe/Atlantis"',
    ),
    "an escalation ladder out of order": (
        PLANT
        + """
[call_types.help]
label = "Help"
colour = "yellow"

[[call_types.help.escalation]]
level = 1
after_s = 300
while = "unacknowledged"
roles = ["team_leader"]

[[call_types.help.escalation]]
level = 2
after_s = 60
while = "unresolved"
roles = ["supervisor"]
""",
        "call_types.help.escalation[1].after_s",
        "expected at least 300 s (the previous level's after_s",
    ),
    "an escalation to an unknown role": (
        PLANT
        + """
[call_types.help]
label = "Help"
colour = "yellow"

[[call_types.help.escalation]]
level = 1
after_s = 0
while = "unacknowledged"
roles = ["team_leader", "boss"]
""",
        "call_types.help.escalation[0].roles[1]",
        "expected a role defined in [roles] (maintenance, material_handler, quality, "
        'supervisor, team_leader), got "boss"',
    ),
    "a shift array written as a table": (
        edit(PLANT, "[[lines]]", "[lines]"),
        "lines",
        "expected an array of tables (write [[lines]] for each entry), got a table",
    ),
}


@pytest.mark.parametrize("case", sorted(BAD_PLANTS))
def test_a_bad_plant_file_names_file_key_and_expectation(
    case: str, write: Write, check: Check
) -> None:
    text, key_path, expectation = BAD_PLANTS[case]
    plant = write("plant.toml", text)

    code, out, err = check(plant)

    assert code == 1
    assert out == ""
    assert any(line.startswith(f"{plant}: {key_path}: {expectation}") for line in err), err


BAD_STATIONS = {
    "two devices on one pin": (
        edit(STATION, "[hardware.counter]\npin = 5", "[hardware.counter]\npin = 17"),
        "hardware.counter.pin",
        "expected a pin no other device uses, got 17, which hardware.buttons.help.pin already uses",
    ),
    "an unknown part on a bin": (
        edit(STATION, 'part = "P-1"', 'part = "P-404"'),
        "hardware.bins[0].part",
        'expected a part number from [[parts]] of the plant (P-1), got "P-404"',
    ),
    "a button for no call type": (
        edit(STATION, "[hardware.buttons.help]", "[hardware.buttons.helb]"),
        "hardware.buttons.helb",
        'expected a call type of the plant (equipment, help, material, quality), got "helb"',
    ),
    "a line the plant does not have": (
        edit(STATION, 'line = "line-a"', 'line = "line-z"'),
        "line",
        'expected a line of the plant test-plant (line-a), got "line-z"',
    ),
    "a missing plant file": (
        edit(STATION, 'plant = "plant.toml"', 'plant = "elsewhere/plant.toml"'),
        "plant",
        'expected the path of an existing plant file, got "elsewhere/plant.toml"',
    ),
    "a tower of an unknown backend": (
        STATION + '\n[hardware.tower]\nbackend = "neon"\n',
        "hardware.tower.backend",
        'expected one of "gpio", "pns", got "neon"',
    ),
    "a counting station without a counter": (
        edit(
            edit(STATION, "[hardware.counter]\npin = 5\n", ""),
            'name = "Station 1"',
            'name = "Station 1"\ncounts = true',
        ),
        "counts",
        "expected a [hardware.counter] input on a counting station",
    ),
}


@pytest.mark.parametrize("case", sorted(BAD_STATIONS))
def test_a_bad_station_file_names_file_key_and_expectation(
    case: str, write: Write, check: Check
) -> None:
    text, key_path, expectation = BAD_STATIONS[case]
    write("plant.toml", PLANT)
    station = write("station.toml", text)

    code, _, err = check(station)

    assert code == 1
    assert any(line.startswith(f"{station}: {key_path}: {expectation}") for line in err), err


def test_a_toml_syntax_error_gives_line_and_column(write: Write, check: Check) -> None:
    plant = write("plant.toml", edit(PLANT, 'name = "Test plant"', 'name = "Test plant'))

    code, _, err = check(plant)

    assert code == 1
    assert len(err) == 1
    assert err[0].startswith(f"{plant}: line 6, column ")
    assert "TOML syntax error" in err[0]


def test_an_error_at_the_end_of_the_file_has_a_position_too(write: Write, check: Check) -> None:
    plant = write("plant.toml", 'kind = "plant"\nname = "unterminated')

    _, _, err = check(plant)

    assert err == [
        f"{plant}: line 2, column 21: TOML syntax error: Unterminated string at the end of the file"
    ]


def test_errors_in_the_plant_file_name_the_plant_file(write: Write, check: Check) -> None:
    plant = write("plant.toml", edit(PLANT, 'timezone = "Europe/Berlin"', 'timezone = "Mars"'))
    station = write("station.toml", STATION)

    code, _, err = check(station)

    assert code == 1
    assert err[0] == f"{station}: plant: expected a valid plant file; {plant} has 1 error"
    assert err[1].startswith(f"{plant}: site.timezone: expected an IANA time zone")


def test_every_error_of_a_file_is_reported(write: Write, check: Check) -> None:
    text = edit(PLANT, 'area = "assembly"', 'area = "Assembly Hall"')
    text = edit(text, 'start = "09:00"\nend = "09:15"', 'start = "15:00"\nend = "15:15"')
    text = edit(text, "box_quantity = 100", "box_quantity = 0\ncolour = 3")
    text = edit(text, "takt_s = 60", "takt_s = 0")
    text += '\n[broker]\nport = "1883"\npassword = "x"\n\n[pace]\nband = 0.05\nhysteresis = 0.05\n'
    plant = write("plant.toml", text)

    code, _, err = check(plant)

    assert code == 1
    paths = [line.split(": ")[1] for line in err]
    assert paths == [
        "site.area",
        "broker.port",
        "broker.password",
        "calendar.shifts[0].stops[0].start",
        "pace.hysteresis",
        "parts[0].box_quantity",
        "parts[0].colour",
        "lines[0].takt_s",
    ]
    assert all(line.startswith(f"{plant}: ") for line in err)
    assert all(": expected " in line or ": unknown key; expected" in line for line in err), err


def test_a_secret_is_never_echoed(write: Write, check: Check) -> None:
    plant = write("plant.toml", PLANT + '\n[broker]\npassword = "s3cret-value"\n')

    _, out, err = check(plant)

    assert "s3cret-value" not in out + "\n".join(err)


def test_stations_clashing_across_files_are_reported(write: Write, check: Check) -> None:
    write("plant.toml", PLANT)
    counting = 'name = "Station 1"\ncounts = true'
    first = write("s1.toml", edit(STATION, 'name = "Station 1"', counting))
    same_id = write("s1-again.toml", STATION)
    also_counting = write(
        "s2.toml", edit(edit(STATION, 'id = "s1"', 'id = "s2"'), 'name = "Station 1"', counting)
    )

    code, out, err = check(first, same_id, also_counting)

    assert code == 1
    assert out.splitlines() == [
        f"OK {first} (station: line-a/s1, 1 button, 1 bin, 0 scanners, counts the line)"
    ]
    assert err == [
        f'{same_id}: id: expected a station id unique on line line-a, got "s1" (also in {first})',
        f"{also_counting}: counts: expected one counting station per line; line line-a already "
        f"counts at s1 ({first})",
    ]


def test_more_than_25_reasons_is_a_warning_and_more_than_50_an_error(
    write: Write, check: Check
) -> None:
    def with_reasons(count: int) -> str:
        reasons = "".join(
            f'\n[[reasons]]\ncode = "R{i}"\nlabel = "Reason {i}"\n' for i in range(count)
        )
        return PLANT + reasons

    many = write("many.toml", with_reasons(26))
    code, out, err = check(many)
    assert code == 0
    assert f"OK {many}" in out
    assert err == [
        f"warning: {many}: reasons: 26 reason codes; keep 25 or fewer so operators find the "
        "right one quickly"
    ]

    too_many = write("too-many.toml", with_reasons(51))
    code, _, err = check(too_many)
    assert code == 1
    assert err == [
        f"{too_many}: reasons: expected at most 50 reason codes (25 or fewer is best), got 51"
    ]


CONFIG = REPO / "firmware_config"


def shipped_config_files() -> list[Path]:
    """Every configuration file shipped under firmware_config/ (scenarios are for simulate)."""
    return sorted(p for p in CONFIG.rglob("*.toml") if "scenarios" not in p.parts)


@pytest.mark.parametrize(
    "example", shipped_config_files(), ids=lambda p: str(p.relative_to(CONFIG))
)
def test_every_shipped_example_passes_check_config_as_it_stands(example: Path) -> None:
    result = _andon("check-config", str(example.relative_to(REPO)))

    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(f"OK {example.relative_to(REPO)} ")


def test_every_shipped_scenario_loads_for_simulate() -> None:
    from andon.simulate.load import load_scenario

    scenarios = sorted((CONFIG / "scenarios").glob("*.toml"))
    assert scenarios
    for path in scenarios:
        assert load_scenario(path, DEMO).steps, path
