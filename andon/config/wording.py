"""The sentences of particular configuration checks, marked for the catalogs.

Each check writes its problem in English from one of these templates (keys,
values and file names as written in the file); :mod:`andon.config.messages`
finds the template again and writes it in the reader's language. A new check
adds its sentence here, as a whole sentence with named fields.
"""

from __future__ import annotations

from collections.abc import Iterable

from andon.i18n.catalog import Translator
from andon.i18n.markers import N_, registered

# -- files and their kind (loader) ------------------------------------------------------
NO_FILE = N_("no such file")
A_DIRECTORY = N_("expected a file, got a directory")
CANNOT_READ = N_("cannot read: {error}")
NOT_UTF8 = N_("expected UTF-8 text; byte {byte} at offset {offset} is not")
TOO_MANY_DIGITS = N_("TOML: a number has too many digits to be read")
SYNTAX = N_("TOML syntax error: {message}")
KIND_ONE_OF = N_("expected kind to be one of {kinds}, got {got}")
KIND_IS = N_('expected kind = "{wanted}", got "{kind}"')
PLANT_PATH = N_('expected the path of an existing plant file, got "{reference}" (no file {path})')
PLANT_INVALID_ONE = N_("expected a valid plant file; {path} has {count} error")
PLANT_INVALID = N_("expected a valid plant file; {path} has {count} errors")
MANY_REASONS = N_(
    "{count} reason codes; keep {keep} or fewer so operators find the right one quickly"
)
STATION_ID_UNIQUE = N_('expected a station id unique on line {line}, got "{id}" (also in {other})')
ONE_COUNTING = N_(
    "expected one counting station per line; line {line} already counts at {station} ({other})"
)

# -- fields -----------------------------------------------------------------------------
IDENTIFIER = N_(
    "expected a lowercase name of letters, digits, '-' and '_' (it appears in MQTT topics; "
    "at most 64 characters, starting with a letter or digit), got {got}"
)
CODE = N_(
    "expected a code of letters, digits, '-', '_' and '.' (at most 32 characters, "
    "printable as a barcode), got {got}"
)
PATH_EMPTY = N_("expected a file path, got an empty string")
LANGUAGE = N_("expected a shipped language ({shipped}), got {got}")
TOPIC_PREFIX = N_("expected one MQTT topic level (no '/', '+', '#', '$' or spaces), got {got}")
LOCAL_TIME = N_("expected a local time of day without an offset, got {got}")

# -- calendar ---------------------------------------------------------------------------
STOP_START_WITHIN = N_("expected a start within the shift {shift} ({span}), got {got}")
STOP_END_AFTER = N_("expected an end after the start {start}, got {got}")
STOP_END_WITHIN = N_("expected an end within the shift {shift} ({span}), got {got}")
STOPS_OVERLAP = N_(
    "expected a stop that does not overlap stop {other} ({other_start}–{other_end}), "
    "got {start}–{end}"
)
WEEKDAY_ONCE = N_("expected each weekday once, got {days} repeated")
SHIFT_NAME_UNIQUE = N_("expected a unique shift name, got {got} (also shifts[{first}])")
SHIFTS_OVERLAP = N_(
    "expected shifts that do not overlap, got {shift} ({span}) overlapping {other} "
    "({other_span}) on {day}"
)

# -- plant: call types, roles, reasons, parts, lines ------------------------------------
LEVEL_INCREASES = N_(
    "expected a level greater than {previous} (levels strictly increase down the ladder), got {got}"
)
AFTER_NOT_DECREASING = N_(
    "expected at least {previous} s (the previous level's after_s; times never decrease "
    "down the ladder), got {got}"
)
RESERVED_CALL_TYPE = N_(
    "expected a call type name other than {got}, which names the acknowledge button"
)
ROLE_DEFINED = N_("expected a role defined in [roles] ({roles}), got {got}")
AT_MOST_REASONS = N_("expected at most {most} reason codes ({keep} or fewer is best), got {got}")
CALL_TYPE = N_("expected a call type ({call_types}), got {got}")
SIGNAL_OF_CALL_TYPE = N_("expected a signal of a call type of the plant ({call_types}), got {got}")
UNIQUE_BADGE = N_("expected a unique badge, got {got} again (first at {table}[{first}])")
UNIQUE_REASON = N_("expected a unique reason code, got {got} again (first at {table}[{first}])")
UNIQUE_PART = N_("expected a unique part number, got {got} again (first at {table}[{first}])")
UNIQUE_BACK_NUMBER = N_(
    "expected a unique back number, got {got} again (first at {table}[{first}])"
)
UNIQUE_LINE = N_("expected a unique line id, got {got} again (first at {table}[{first}])")
SHIFT_OF_CALENDAR = N_("expected a shift of the calendar ({shifts}), got {got}")
PLAN_TAKT = N_("expected a plan with a takt above 0 s: {error}")
HYSTERESIS = N_("expected a hysteresis ({hysteresis}) smaller than the band ({band})")
TAKT_OR_DEMAND = N_("expected either takt_s or demand (with optional available_s), not both")
A_PLAN = N_("expected a plan: takt_s (seconds per unit) or demand (units per shift)")
ONLY_WITH_DEMAND = N_("expected {key} only with demand; this line gives takt_s")
AT_LEAST_ONE_LINE = N_("expected at least one line (leave the key out for every line)")
LINE_ONCE = N_("expected each line once, got {got} again")
LINE_OF_PLANT = N_("expected a line of the plant {site} ({lines}), got {got}")

# -- boards, broker ---------------------------------------------------------------------
BOARD_STATION_ID = N_('expected a station id with role = "station"')
BOARD_ONE_LINE = N_('expected exactly one line (the station\'s) with role = "station"')
BOARD_STATION_ONLY = N_('expected station only with role = "station", got role = "{role}"')
INLINE_PASSWORD = N_(
    "expected no inline password: put the password in a file readable only by the andon "
    "user and name it with password_file"
)
TOGETHER = N_("expected {missing} together with {present}")
ONLY_WITH_TLS = N_("expected {key} only with tls = true")
USERNAME_WITH_PASSWORD = N_("expected a username together with password_file")
BOUND_NO_CLIENT_ID = N_(
    "expected the client id andon provision gives the account {account}: the broker accepts "
    "it under that id only; provision again and install the new bundle"
)

# -- station and store hardware ---------------------------------------------------------
PIN_CLASH = N_("pin {pin} is used by both {first} and {second}")
PIN_USED = N_("expected a pin no other device uses, got {pin}, which {other} already uses")
COLOUR_ONE_TIER = N_("each colour may appear on one tier only; repeated: {colours}")
BIN_PER_PART = N_("one bin sensor per part; repeated parts: {parts}")
UNKNOWN_SIGNAL = N_("unknown signal {signal}; expected one of {known}")
UNKNOWN_SIGNAL_HINT = N_("unknown signal {signal} (did you mean {close}?); expected one of {known}")
RULE_DOES_NOTHING = N_("a rule needs a colour, a buzzer tune, or both")
TOWER_LACKS_COLOUR = N_(
    "expected a tier for every colour the plant's [[lamps.rules]] use; "
    "lamps.rules[{index}].colour: {colour} is not on the tower (its tiers: {tiers})"
)
ACK_BUTTON = N_("expected the acknowledge button as [hardware.acknowledge], not as a call button")
SCANNER_UNIQUE = N_("expected a unique scanner name, got {got} again")
CALL_TYPE_OF_PLANT = N_("expected a call type of the plant ({call_types}), got {got}")
PART_OF_PLANT = N_("expected a part number from [[parts]] of the plant ({parts}), got {got}")
PART_NONE_DEFINED = N_(
    "expected a part number from [[parts]] of the plant (none defined), got {got}"
)
COUNTER_INPUT = N_("expected a [hardware.counter] input on a counting station")
COUNTS_FALSE = N_("expected false: line {line} counts at station {station} (its counting_station)")
COUNTS_TRUE = N_("expected true: line {line} names this station as its counting_station")
PLATE_PER_PART = N_("expected one plate per part, got {got} again")

# -- notify and shift reports -----------------------------------------------------------
INLINE_URL = N_(
    "expected no inline URL: Apprise URLs carry passwords and tokens; put the URL in a file "
    "readable only by the andon user and name it with urls_file, or name an environment "
    "variable with url_env"
)
ENV_NAME = N_("expected an environment variable name of letters, digits and '_', got {got}")
ONE_SOURCE = N_(
    "expected exactly one of urls_file (a file holding the Apprise URL) and url_env "
    "(an environment variable holding it)"
)
AT_LEAST_BACKOFF = N_("expected at least backoff_s ({backoff}), got {got}")
ESCALATION_LEVEL = N_("expected an escalation level 1 to 9, got {got}")
LOOPBACK = N_(
    "expected a loopback address (put a TLS reverse proxy in front, or set "
    "ack_allow_remote = true), got {got}"
)
ACK_URL = N_("expected ack_url only together with ack_listen")
CHANNEL_UNIQUE = N_("expected a unique channel id, got {got} again")
PERSON_ONCE = N_("expected each person once, got badge {got} again (first at contacts[{first}])")
BADGE_OF_PERSON = N_("expected the badge of a person in the plant file's [[people]], got {got}")
CHANNEL_ID = N_("expected a channel id ({channels}), got {got}")
CHANNEL_NONE_DEFINED = N_("expected a channel id (none defined), got {got}")
ADDRESS_FOR_PEOPLE = N_(
    'expected an address only for a channel with send_to = "people"; {channel} sends to its group'
)
PLANT_CALL_TYPES = N_("expected one of the plant's call types ({allowed}), got {got}")
PLANT_LINES = N_("expected one of the plant's lines ({allowed}), got {got}")
PLANT_ROLES = N_("expected one of the plant's roles ({allowed}), got {got}")
PLANT_SHIFTS = N_("expected one of the plant's shifts ({allowed}), got {got}")
PLANT_ONE_OF = {
    "call_types": PLANT_CALL_TYPES,
    "lines": PLANT_LINES,
    "roles": PLANT_ROLES,
    "shifts": PLANT_SHIFTS,
}
"""Key of a route or report → its sentence when a value is not the plant's."""
HISTORY_URL = N_("expected a database URL starting with sqlite:/// or postgresql://, got {got}")
BADGE_OF_CONTACT = N_("expected the badge of one of the [[contacts]] ({badges}), got {got}")
NOBODY = N_("expected someone of people or roles with an address on {channel}, got nobody")
URL_FILE_UNREADABLE = N_(
    "expected a readable file holding the channel's Apprise URL, got {file} ({error})"
)
URL_FILE_NOT_UTF8 = N_("expected UTF-8 text in {file}")
URL_ENV_EMPTY = N_("expected the environment variable {name} to hold the URL")
URLS_IN_FILE = N_("expected exactly one Apprise URL in the file {file}, got {count}")
URLS_IN_ENV = N_("expected exactly one Apprise URL in the environment variable {name}, got {count}")
URL_WITHOUT_TO = N_(
    'expected the URL of a channel with send_to = "people" to hold {to} (where the '
    "person's address goes), e.g. mailtos://…?to={to}"
)
URL_REFUSED = N_("expected a URL Apprise accepts (scheme {scheme}): {detail}")

# -- the web file and its people file ---------------------------------------------------
LISTEN = N_('expected "host:port" such as "{example}", got {got}')
TLS_TOGETHER = N_("expected tls_cert and tls_key together")
PIN_HASH = N_("expected a PIN hash made by `andon web --hash-pin` (scrypt$…), not a PIN")
BADGE_OF_PLANT = N_("expected a badge of the plant file's [[people]], got {got}")
BADGE_TWICE = N_("badge {badge} given twice")
TOKEN_UNREADABLE = N_("cannot read {file}: {error}")
TOKEN_SHORT = N_("expected at least 24 characters in {file}")

# -- values of their own form (times, zones, cycles, addresses) -------------------------
CLOCK_TIME = N_('expected a time of day "HH:MM" between 00:00 and 23:59, got {got}')
TIME_ZONE = N_('expected an IANA time zone name such as "Europe/Berlin", got {got}')
DELIVERY_CYCLE = N_('expected a delivery cycle "a-b-c" of whole numbers, e.g. "1-6-2", got {got}')
HTTP_ADDRESS = N_('expected an http:// or https:// address such as "{example}", got {got}')
SHIFT_OR_OFF = N_('expected a shift of the calendar ({shifts}) or "{off}", got {got}')

# -- the enterprise file (andon provision --enterprise) ---------------------------------
KIND_ENTERPRISE = N_('expected kind = "enterprise", got {got}')
ENDPOINT = N_('expected "host:port" with a port 1..65535, got {got}')
ENDPOINT_SPACES = N_("expected no spaces in host:port, got {got}")
CA_REQUIRED = N_("expected ca_file (the CA of the enterprise broker) with tls = true")
HOST_NAME = N_("expected a host name or address, got {got}")
RESTART_ORDER = N_("expected restart_max_s ≥ restart_min_s ({least}), got {got}")

# -- scenarios (andon simulate) ----------------------------------------------------------
INSTANT_NO_OFFSET = N_(
    "expected an instant with a UTC offset such as 2026-03-04T06:00:00+01:00, got {got} (no offset)"
)
INSTANT = N_("expected an instant with a UTC offset such as 2026-03-04T06:00:00+01:00, got {got}")
PLANT_TIME_NO_OFFSET = N_("expected a plant time without an offset")
MOMENT = N_(
    'expected a plant time "HH:MM" or "HH:MM:SS", or an instant with a UTC offset '
    "such as 2026-03-04T06:00:00+01:00, got {got}"
)
HOUR_START = N_('expected a plant time "HH:MM" or an instant with a UTC offset, got {got}')
CALL_OR_STOP = N_("expected either call or stop, not both")
CALL_OR_CALL_ID = N_("expected either call or args.call_id, not both")
STOP_OR_STOP_ID = N_("expected either stop or args.stop_id, not both")
ONE_ACTION = N_("expected exactly one action ({actions}), got {got}")
SCANNER_WITH_SCAN = N_("expected only together with scan")
AFTER_START = N_("expected an instant after start ({start})")
AFTER_FROM = N_("expected an instant after from ({start})")
ONE_TIME_ZONE = N_("expected stations of one plant time zone, got {zones}")
CONFIG_DIRECTORY = N_("expected CONFIG to be a directory of station files, got {folder}")
NO_STATION_FILES = N_("expected station files in {folder}, found none")
NO_STATION_FILE = N_("expected a station file in {folder}, no file {file}")
STATION_FILE_INVALID = N_("expected a valid station file; {file} has problems:")
STATION_ONCE = N_("expected each station once, got {station} again ({file})")
STATION_AMBIGUOUS = N_('expected a unique station, "{ref}" is on several lines: {stations}')
STATION_OF_SCENARIO = N_('expected one of the scenario\'s stations ({stations}), got "{ref}"')
WITHIN_RUN = N_("expected an instant from start before end ({start} - {end}), got {got}")
WITHIN_RUN_OR_END = N_("expected an instant from start or at end ({start} - {end}), got {got}")
NEEDS_BUTTON = N_("expected a button for call type {call_type} in the pin map of station {station}")
NEEDS_ACK_BUTTON = N_("expected an acknowledge button in the pin map of station {station}")
NEEDS_COUNTER = N_("expected a counter input in the pin map of station {station}")
NEEDS_SCRAP = N_("expected a scrap input in the pin map of station {station}")
NEEDS_FAULT = N_("expected a fault input in the pin map of station {station}")
NEEDS_DOWNSTREAM = N_("expected a downstream_full input in the pin map of station {station}")
NEEDS_BIN = N_("expected a bin for part {part} (bins: {bins}) in the pin map of station {station}")
NEEDS_SCANNER = N_("expected a scanner named {scanner} in the pin map of station {station}")
ONE_SCANNER = N_(
    "expected one scanner in the pin map of station {station}, "
    "or a scanner key naming one of {scanners}"
)
NO_RESERVED_ARGS = N_("expected no {keys} in args (say who with by)")
CALL_ONLY_WITH = N_("expected call only with {commands}")
STOP_ONLY_WITH = N_("expected stop only with {commands}")
PLAIN_ARGS = N_("args: expected texts, numbers and booleans only ({error})")
PLANT_FILE_MISSING = N_('expected a plant file (kind = "plant"), none found')
COUNTER_FOR_PRODUCTION = N_("expected station {station} to have a counter input")
NONE = N_("none")
"""An empty list of bins or scanners in the sentences above."""

# -- a file's summary (``OK plant.toml (plant: ...)``) -----------------------------------
COUNTED: dict[str, tuple[str, str]] = {
    "line": (N_("{count} line"), N_("{count} lines")),
    "shift": (N_("{count} shift"), N_("{count} shifts")),
    "call type": (N_("{count} call type"), N_("{count} call types")),
    "reason": (N_("{count} reason"), N_("{count} reasons")),
    "part": (N_("{count} part"), N_("{count} parts")),
    "person": (N_("{count} person"), N_("{count} people")),
    "button": (N_("{count} button"), N_("{count} buttons")),
    "bin": (N_("{count} bin"), N_("{count} bins")),
    "scanner": (N_("{count} scanner"), N_("{count} scanners")),
    "plate": (N_("{count} plate"), N_("{count} plates")),
    "channel": (N_("{count} channel"), N_("{count} channels")),
    "contact": (N_("{count} contact"), N_("{count} contacts")),
    "route": (N_("{count} route"), N_("{count} routes")),
}
"""What a summary counts: the text for one and for any other number."""
ALL_LINES = N_("all lines")
ROLE = N_("role {role}")
COUNTS_THE_LINE = N_("counts the line")
WITH_TLS = N_("TLS")
WITHOUT_TLS = N_("no TLS")
# Translators: between the items of a file's summary ("demo, 2 lines, 3 shifts").
SEPARATOR = N_(", ")
OK = N_("OK {file} ({kind}: {summary})")
WARNING = N_("warning: {issue}")
"""How ``andon check-config`` shows advice (valid, but unwise)."""


def channel_unknown(channels: Iterable[str], got: str) -> str:
    """A channel id (``got``, as :func:`~andon.config.errors.describe_value` writes it) that
    is not one of ``channels``."""
    known = ", ".join(channels)
    if not known:
        return CHANNEL_NONE_DEFINED.format(got=got)
    return CHANNEL_ID.format(channels=known, got=got)


def part_unknown(numbers: Iterable[str], got: str) -> str:
    """A part number (``got``, described) that is not one of the plant's ``numbers``."""
    known = ", ".join(numbers)
    if not known:
        return PART_NONE_DEFINED.format(got=got)
    return PART_OF_PLANT.format(parts=known, got=got)


def _text(message: str, tr: Translator | None) -> str:
    return message if tr is None else tr.gettext(message)


def counted(count: int, noun: str, tr: Translator | None = None) -> str:
    """``1 bin``, ``2 bins`` (in ``tr``'s language; English without one)."""
    one, many = COUNTED[noun]
    return _text(one if count == 1 else many, tr).format(count=count)


def summary(items: Iterable[str], tr: Translator | None = None) -> str:
    """The items of a file's summary, separated as ``tr``'s language separates them."""
    return _text(SEPARATOR, tr).join(items)


def said(message: str, tr: Translator | None = None, **fields: object) -> str:
    """``message`` in ``tr``'s language (English without one), its fields filled in."""
    return _text(message, tr).format(**fields)


CHECKS: tuple[str, ...] = registered(
    globals(),
    leave_out=(
        "ALL_LINES",
        "ROLE",
        "COUNTS_THE_LINE",
        "WITH_TLS",
        "WITHOUT_TLS",
        "NONE",
        "SEPARATOR",
        "OK",
        "WARNING",
    ),
)
"""Every sentence above (the ones :mod:`andon.config.messages` translates)."""
