"""The plant file's models: calendar, plan, pace, broker, calls, people, reasons, parts."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, time
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from config_samples import PLANT, edit, issues_of

from andon.config.calls import default_call_types
from andon.config.loader import load_plant
from andon.config.plant import PlantFile
from andon.domain.calendar import StopKind

Write = Callable[[str, str], Path]

CALL_TYPE = """
[call_types.{name}]
label = "{name}"
colour = "white"
"""


def plant_with(write: Write, text: str) -> PlantFile:
    return load_plant(write("plant.toml", text))


# -- calendar ------------------------------------------------------------------------------


def test_the_calendar_becomes_the_domain_calendar(write: Write) -> None:
    text = edit(PLANT, 'name = "Break"', 'name = "Break"\nkind = "meeting"')
    text = edit(text, "[calendar]", "[calendar]\nholidays = [2025-12-25]")
    plant = plant_with(write, edit(text, 'end = "06:00"', 'end = "06:00"\ndays = ["sun", "mon"]'))

    calendar = plant.domain_calendar()

    assert calendar.tz == ZoneInfo("Europe/Berlin")
    assert calendar.holidays == frozenset({date(2025, 12, 25)})
    early, night = calendar.shifts
    assert (early.name, early.start, early.end, early.days) == (
        "early",
        time(6),
        time(14),
        frozenset({1, 2, 3, 4, 5}),
    )
    assert early.stops[0].kind is StopKind.MEETING
    assert night.days == frozenset({7, 1})
    assert night.stops[0].kind is StopKind.BREAK


def test_config_working_time_agrees_with_the_domain(write: Write) -> None:
    plant = plant_with(write, PLANT)
    calendar = plant.domain_calendar()
    berlin = ZoneInfo("Europe/Berlin")

    night_s = calendar.working_seconds(
        datetime(2025, 6, 2, 22, tzinfo=berlin), datetime(2025, 6, 3, 6, tzinfo=berlin)
    )

    assert night_s == plant.calendar.shift("night").working_s == 8 * 3600 - 30 * 60
    assert plant.calendar.shift("early").working_s == 8 * 3600 - 15 * 60


@pytest.mark.parametrize(
    ("start", "end", "key", "expectation"),
    [
        (
            "05:50",
            "06:10",
            "start",
            "expected a start within the shift early (06:00–14:00), got 05:50",
        ),
        (
            "13:55",
            "14:05",
            "end",
            "expected an end within the shift early (06:00–14:00), got 14:05",
        ),
        ("10:00", "10:00", "end", "expected an end after the start 10:00, got 10:00"),
        (
            "09:10",
            "09:20",
            "start",
            'expected a stop that does not overlap stop "Break" (09:00–09:15)',
        ),
    ],
)
def test_a_stop_must_lie_inside_its_shift_and_apart(
    write: Write, start: str, end: str, key: str, expectation: str
) -> None:
    extra = f'\n[[calendar.shifts.stops]]\nname = "Extra"\nstart = "{start}"\nend = "{end}"\n'
    text = edit(
        PLANT, '[[calendar.shifts]]\nname = "night"', extra + '[[calendar.shifts]]\nname = "night"'
    )

    issues = issues_of(write("plant.toml", text))

    assert len(issues) == 1
    assert issues[0][0] == f"calendar.shifts[0].stops[1].{key}"
    assert issues[0][1].startswith(expectation)


def test_a_stop_may_cross_midnight_inside_a_night_shift(write: Write) -> None:
    text = edit(PLANT, 'start = "02:00"\nend = "02:30"', 'start = "23:50"\nend = "00:20"')

    plant = plant_with(write, text)

    assert plant.calendar.shift("night").working_s == 8 * 3600 - 30 * 60


def test_overlapping_shifts_are_rejected_with_the_day(write: Write) -> None:
    text = edit(PLANT, 'start = "22:00"\nend = "06:00"', 'start = "22:00"\nend = "07:00"')

    issues = issues_of(write("plant.toml", text))

    assert issues == [
        (
            "calendar.shifts[1]",
            "expected shifts that do not overlap, got night (22:00–07:00) overlapping early "
            "(06:00–14:00) on mon",
        )
    ]


def test_a_friday_night_shift_may_end_on_saturday_morning_without_overlap(write: Write) -> None:
    text = edit(
        PLANT, 'start = "22:00"\nend = "06:00"', 'start = "22:00"\nend = "06:00"\ndays = ["fri"]'
    )
    text = edit(
        text, 'working_days = ["mon", "tue", "wed", "thu", "fri"]', 'working_days = ["mon", "sat"]'
    )

    calendar = plant_with(write, text).calendar

    assert calendar.days_of(calendar.shift("night")) == frozenset({5})
    assert calendar.days_of(calendar.shift("early")) == frozenset({1, 6})


@pytest.mark.parametrize(
    ("value", "expectation"),
    [
        ('"6h"', 'expected a time of day "HH:MM" between 00:00 and 23:59, got "6h"'),
        ('"24:00"', 'expected a time of day "HH:MM" between 00:00 and 23:59, got "24:00"'),
        ("600", 'expected a time of day "HH:MM" between 00:00 and 23:59, got 600'),
    ],
)
def test_times_of_day_are_checked(write: Write, value: str, expectation: str) -> None:
    text = edit(PLANT, 'start = "06:00"', f"start = {value}")

    assert issues_of(write("plant.toml", text)) == [("calendar.shifts[0].start", expectation)]


def test_a_toml_local_time_is_a_time_of_day(write: Write) -> None:
    plant = plant_with(write, edit(PLANT, 'start = "06:00"', "start = 06:00:00"))

    assert plant.calendar.shifts[0].start == time(6)


def test_weekdays_are_names_and_unique(write: Write) -> None:
    text = edit(PLANT, '["mon", "tue", "wed", "thu", "fri"]', '["mon", "monday", "tue", "tue"]')

    issues = issues_of(write("plant.toml", text))

    assert issues[0][0] == "calendar.working_days[1]"
    assert issues[0][1].startswith('expected one of "mon", "tue", "wed"')


# -- plan ----------------------------------------------------------------------------------


def _line(body: str) -> str:
    return edit(PLANT, "takt_s = 60", body)


@pytest.mark.parametrize(
    ("body", "takt"),
    [
        ("demand = 175\navailable_s = 27900", 160),
        ('demand = 175\navailable_s = 27900\nrounding = "down"', 159),
        ('demand = 175\navailable_s = 27900\nrounding = "nearest"\nrounding_step_s = 5', 160),
        ('demand = 175\navailable_s = 27900\nrounding = "none"', 27900 / 175),
        ('demand = 400\nrounding = "none"', (8 * 3600 - 15 * 60) / 400),  # first shift: 27 900 s
        ('demand = 500\nshift = "night"', 54),  # 27 000 s / 500 = 54
        ("takt_s = 59.5", 59.5),
    ],
)
def test_the_adopted_takt(write: Write, body: str, takt: float) -> None:
    plant = plant_with(write, _line(body))

    assert plant.takt_s("line-a") == pytest.approx(takt)


def test_the_ideal_cycle_defaults_to_the_takt(write: Write) -> None:
    plant = plant_with(write, _line("demand = 175\navailable_s = 27900"))
    line = plant.line("line-a")

    assert line.ideal_cycle_seconds(plant.calendar) == 160
    assert (
        plant_with(write, _line("takt_s = 60\nideal_cycle_s = 50")).line("line-a").ideal_cycle_s
        == 50
    )


@pytest.mark.parametrize(
    ("body", "issue"),
    [
        ("takt_s = -5", ("lines[0].takt_s", "expected a number greater than 0, got -5")),
        ("demand = 0", ("lines[0].demand", "expected a number greater than 0, got 0")),
        (
            'takt_s = 60\nrounding = "down"',
            ("lines[0].rounding", "expected rounding only with demand; this line gives takt_s"),
        ),
        (
            'demand = 10\nshift = "late"',
            ("lines[0].shift", 'expected a shift of the calendar (early, night), got "late"'),
        ),
        (
            'demand = 10000\nrounding = "down"\nrounding_step_s = 5',
            ("lines[0].rounding_step_s", "expected a plan with a takt above 0 s: takt 2.79"),
        ),
        (
            'takt_s = 60\nstop_policy = "later"',
            (
                "lines[0].stop_policy",
                'expected one of "end_of_cycle", "at_once" or "never", got "later"',
            ),
        ),
    ],
)
def test_a_bad_plan_is_named(write: Write, body: str, issue: tuple[str, str]) -> None:
    issues = issues_of(write("plant.toml", _line(body)))

    assert len(issues) == 1
    assert issues[0][0] == issue[0]
    assert issues[0][1].startswith(issue[1])


def test_a_line_overrides_some_pace_settings(write: Write) -> None:
    plant = plant_with(write, PLANT + "\n[pace]\nband = 0.08\n\n[lines.pace]\nmin_elapsed_s = 0\n")

    pace = plant.pace_for("line-a")

    assert (pace.band, pace.min_elapsed_s, pace.hysteresis) == (0.08, 0, 0.02)
    assert plant.pace.min_elapsed_s == 600


def test_a_line_band_inside_the_plant_hysteresis_is_an_error(write: Write) -> None:
    issues = issues_of(write("plant.toml", PLANT + "\n[lines.pace]\nband = 0.01\n"))

    assert issues == [
        ("lines[0].pace.band", "expected a hysteresis (0.02) smaller than the band (0.01)")
    ]


def test_pace_tolerance_in_units_defaults_and_overrides(write: Write) -> None:
    text = PLANT + "\n[pace]\ntolerance_units = 3\n\n[lines.pace]\nhysteresis_units = 2.5\n"
    plant = plant_with(write, text)

    pace = plant.pace_for("line-a")

    assert (pace.tolerance_units, pace.hysteresis_units) == (3, 2.5)
    assert (plant.pace.tolerance_units, plant.pace.hysteresis_units) == (3, 1.5)
    default = plant_with(write, PLANT).pace
    assert (default.tolerance_units, default.hysteresis_units) == (1.5, 1.5)


@pytest.mark.parametrize(
    ("pace", "key", "expected"),
    [
        ("tolerance_units = -1", "pace.tolerance_units", "expected a number of at least 0, got -1"),
        ("tolerance_units = inf", "pace.tolerance_units", "finite number"),
        ("hysteresis_units = nan", "pace.hysteresis_units", "finite number"),
    ],
)
def test_bad_pace_units(write: Write, pace: str, key: str, expected: str) -> None:
    issues = issues_of(write("plant.toml", PLANT + f"\n[pace]\n{pace}\n"))

    assert [path for path, _ in issues] == [key]
    assert expected in issues[0][1]


def test_orders_and_full_work(write: Write) -> None:
    orders = '\n[[lines.orders]]\nproduct = "H-20"\nquantity = 30\ntakt_s = 50\n'
    plant = plant_with(write, PLANT + "downstream_standard_quantity = 4\n" + orders)

    line = plant.line("line-a")

    assert line.downstream_standard_quantity == 4
    assert [(o.product, o.quantity, o.takt_s) for o in line.orders] == [("H-20", 30, 50)]


# -- broker --------------------------------------------------------------------------------


def test_tls_defaults_to_port_8883_and_files_resolve_beside_the_plant(write: Write) -> None:
    broker = '\n[broker]\ntls = true\nca_file = "certs/ca.crt"\nusername = "a1"\n'
    broker += 'password_file = "/etc/andon/pw"\n'
    path = write("plant.toml", PLANT + broker)

    plant = load_plant(path)

    assert plant.broker.port == 8883
    assert plant.broker.ca_file == path.parent / "certs" / "ca.crt"
    assert plant.broker.password_file == Path("/etc/andon/pw")


@pytest.mark.parametrize(
    ("broker", "issue"),
    [
        (
            'cert_file = "c.pem"\ntls = true',
            ("broker.key_file", "expected key_file together with cert_file"),
        ),
        ('ca_file = "ca.crt"', ("broker.ca_file", "expected ca_file only with tls = true")),
        (
            'password_file = "pw"',
            ("broker.username", "expected a username together with password_file"),
        ),
        ("port = 70000", ("broker.port", "expected a number of at most 65535, got 70000")),
        (
            'ca_file = ""\ntls = true',
            ("broker.ca_file", "expected a file path, got an empty string"),
        ),
    ],
)
def test_broker_settings_fit_together(write: Write, broker: str, issue: tuple[str, str]) -> None:
    assert issues_of(write("plant.toml", PLANT + f"\n[broker]\n{broker}\n")) == [issue]


# -- call types, roles, people -------------------------------------------------------------


def test_built_in_call_types_and_roles_exist_without_tables(write: Write) -> None:
    plant = plant_with(write, PLANT)

    assert set(plant.call_types) == {"help", "quality", "equipment", "material"}
    assert plant.call_types["help"].requires_reason_after_s == 300
    assert plant.call_types["equipment"].colour == "red"
    assert set(plant.roles) == {
        "team_leader",
        "supervisor",
        "maintenance",
        "material_handler",
        "quality",
    }


def test_a_table_replaces_a_built_in_and_reason_time_follows_minor_stops(write: Write) -> None:
    text = PLANT + "\n[downtime]\nminor_stop_s = 120\n" + CALL_TYPE.format(name="help")
    text += CALL_TYPE.format(name="changeover") + "requires_reason_after_s = 0\n"
    plant = plant_with(write, text)

    assert plant.call_types["help"].colour == "white"
    assert plant.call_types["help"].escalation == []
    assert plant.call_types["help"].requires_reason_after_s == 120
    assert plant.call_types["changeover"].requires_reason_after_s == 0
    assert plant.call_types["quality"] == default_call_types()["quality"].model_copy(
        update={"requires_reason_after_s": 120}
    )


def test_acknowledge_is_no_call_type(write: Write) -> None:
    issues = issues_of(write("plant.toml", PLANT + CALL_TYPE.format(name="acknowledge")))

    assert issues == [
        (
            "call_types.acknowledge",
            'expected a call type name other than "acknowledge", which names the '
            "acknowledge button",
        )
    ]


def test_a_call_type_name_is_checked_as_a_key(write: Write) -> None:
    issues = issues_of(
        write("plant.toml", PLANT + '\n[call_types."Big Red"]\nlabel = "x"\ncolour = "red"\n')
    )

    assert issues[0][0] == 'call_types."Big Red"'
    assert issues[0][1].startswith("expected a lowercase name of letters, digits")


def test_roles_relabel_and_add_and_people_need_known_roles(write: Write) -> None:
    people = '\n[[people]]\nbadge = "1"\nname = "A"\nrole = "planner"\n'
    people += '\n[[people]]\nbadge = "2"\nname = "B"\nrole = "boss"\n'
    people += '\n[[people]]\nbadge = "1"\nname = "C"\nrole = "quality"\n'
    text = PLANT + '\n[roles]\nteam_leader = "Hanchō"\nplanner = "Planner"\n' + people

    issues = issues_of(write("plant.toml", text))

    assert issues == [
        ("people[2].badge", 'expected a unique badge, got "1" again (first at people[0])'),
        (
            "people[1].role",
            "expected a role defined in [roles] (maintenance, material_handler, planner, "
            'quality, supervisor, team_leader), got "boss"',
        ),
    ]


def test_badges_are_text(write: Write) -> None:
    issues = issues_of(
        write("plant.toml", PLANT + '\n[[people]]\nbadge = 1042\nname = "A"\nrole = "quality"\n')
    )

    assert issues == [("people[0].badge", "expected a text in quotes, got 1042")]


# -- reasons and parts ---------------------------------------------------------------------


def test_reasons_are_unique_and_apply_to_call_types(write: Write) -> None:
    reasons = '\n[[reasons]]\ncode = "JAM"\nlabel = "Jam"\ncategory = "performance"\n'
    reasons += 'applies_to = ["help"]\n'
    reasons += '\n[[reasons]]\ncode = "JAM"\nlabel = "Again"\napplies_to = ["helb"]\n'

    issues = issues_of(write("plant.toml", PLANT + reasons))

    assert issues == [
        ("reasons[1].code", 'expected a unique reason code, got "JAM" again (first at reasons[0])'),
        (
            "reasons[1].applies_to[0]",
            'expected a call type (equipment, help, material, quality), got "helb"',
        ),
    ]


def test_a_reason_without_applies_to_applies_to_every_call(write: Write) -> None:
    plant = plant_with(
        write,
        PLANT
        + '\n[[reasons]]\ncode = "X"\nlabel = "X"\n'
        + '\n[[reasons]]\ncode = "Y"\nlabel = "Y"\napplies_to = ["quality"]\n',
    )

    assert plant.reason("X") is not None and plant.reason("X").applies("equipment")
    assert plant.reason("Y") is not None and not plant.reason("Y").applies("help")
    assert plant.reason("Z") is None


def test_a_delivery_cycle_is_parsed(write: Write) -> None:
    plant = plant_with(
        write, edit(PLANT, "box_quantity = 100", 'box_quantity = 100\ndelivery_cycle = "1-6-2"')
    )

    cycle = plant.part("P-1").delivery_cycle

    assert cycle is not None
    assert (cycle.days, cycle.deliveries, cycle.delay) == (1, 6, 2)
    assert plant.model_dump()["parts"][0]["delivery_cycle"] == "1-6-2"


@pytest.mark.parametrize(
    ("extra", "issue"),
    [
        (
            'delivery_cycle = "1-6"',
            (
                "parts[0].delivery_cycle",
                'expected a delivery cycle "a-b-c" of whole numbers, e.g. "1-6-2", got "1-6"',
            ),
        ),
        (
            'delivery_cycle = "1-0-2"',
            ("parts[0].delivery_cycle.deliveries", "expected a number of at least 1, got 0"),
        ),
        ("max_kanbans = 0", ("parts[0].max_kanbans", "expected a number of at least 1, got 0")),
        ('back_number = "A 1"', ("parts[0].back_number", "expected a code of letters, digits")),
    ],
)
def test_bad_part_fields(write: Write, extra: str, issue: tuple[str, str]) -> None:
    issues = issues_of(
        write("plant.toml", edit(PLANT, "box_quantity = 100", f"box_quantity = 100\n{extra}"))
    )

    assert len(issues) == 1
    assert issues[0][0] == issue[0]
    assert issues[0][1].startswith(issue[1])


def test_part_numbers_are_unique(write: Write) -> None:
    part = '\n[[parts]]\nnumber = "P-1"\nname = "Nut"\nbox_quantity = 10\n'

    assert issues_of(write("plant.toml", PLANT + part)) == [
        ("parts[1].number", 'expected a unique part number, got "P-1" again (first at parts[0])')
    ]


def test_names_in_topics_are_lowercase_identifiers(write: Write) -> None:
    issues = issues_of(write("plant.toml", edit(PLANT, 'id = "line-a"', 'id = "Line A"')))

    assert issues[0][0] == "lines[0].id"
    assert issues[0][1].endswith('got "Line A"')
