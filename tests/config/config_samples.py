"""Small valid configuration files that each test breaks in one place."""

from __future__ import annotations

from pathlib import Path

from andon.config.errors import ConfigError
from andon.config.loader import load_file

PLANT = """\
kind = "plant"
schema = 1

[site]
id = "test-plant"
name = "Test plant"
area = "assembly"
timezone = "Europe/Berlin"

[calendar]
working_days = ["mon", "tue", "wed", "thu", "fri"]

[[calendar.shifts]]
name = "early"
start = "06:00"
end = "14:00"

[[calendar.shifts.stops]]
name = "Break"
start = "09:00"
end = "09:15"

[[calendar.shifts]]
name = "night"
start = "22:00"
end = "06:00"

[[calendar.shifts.stops]]
name = "Night break"
start = "02:00"
end = "02:30"

[[parts]]
number = "P-1"
name = "Bolt"
box_quantity = 100

[[lines]]
id = "line-a"
name = "Line A"
takt_s = 60
"""

STATION = """\
kind = "station"
schema = 1
plant = "plant.toml"
line = "line-a"
id = "s1"
name = "Station 1"

[hardware.buttons.help]
pin = 17

[hardware.counter]
pin = 5

[[hardware.bins]]
part = "P-1"
pin = 19
"""


def edit(text: str, old: str, new: str) -> str:
    """Replace ``old`` (which must occur) by ``new``: a readable way to break a file."""
    assert old in text, f"test setup: {old!r} not in the file"
    return text.replace(old, new, 1)


def issues_of(path: Path) -> list[tuple[str, str]]:
    """Load ``path`` expecting failure: its issues as (key path, message) pairs."""
    try:
        load_file(path)
    except ConfigError as error:
        return [(issue.key_path, issue.message) for issue in error.errors]
    raise AssertionError(f"{path} loaded without errors")
