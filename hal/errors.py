"""The errors the hardware layer raises: each says which device and what went wrong.

Every sentence is a template marked for the catalogs; the hardware layer raises it in
English (logs, a simulated station's reply), and a command at the terminal writes it
in the reader's language (:func:`andon.cli.speech.shown` with :data:`TEMPLATES`).
Device names, pins, parts and the operating system's words stay as they are.
"""

from __future__ import annotations

from andon.i18n.markers import N_, registered

# -- building and opening devices -------------------------------------------------------
NO_INPUT_PIN = N_("{name}: cannot use GPIO{pin} as an input: {error}")
NO_OUTPUT_PIN = N_("{name}: cannot use GPIO{pin} as an output: {error}")
CANNOT_BUILD = N_("cannot build the station's devices: {error}")
CANNOT_BUILD_STORE = N_("cannot build the store's devices: {error}")
TWO_PLATES = N_("store board: two plates for part '{part}'")
DEVICES_CLOSED = N_("{owner} devices are closed")
NO_GPIO = N_(
    "no GPIO on this machine (on a Raspberry Pi: pip install 'andon[pi]' for "
    "lgpio); add --sim to try the configuration on simulated pins"
)
NEEDS_EVDEV = N_(
    "USB keyboard-wedge scanners need the optional 'evdev' package: "
    "pip install 'andon[hid]' (it builds a C extension: install a compiler and "
    "the kernel headers first), or set the scanner to USB serial (CDC) mode and "
    'use kind = "serial"'
)

# -- the hardware file ------------------------------------------------------------------
CANNOT_READ = N_("{path}: cannot read: {error}")
NOT_TOML = N_("{path}: not valid TOML: {error}")
KIND_MISSING = N_('{path}: kind: missing; expected "station" or "store"')
KIND_WRONG = N_('{path}: kind: {kind}; expected "station" or "store"')
NO_HARDWARE = N_("{path}: hardware: a [hardware] table is required")

# -- simulated inputs and outputs -------------------------------------------------------
STORE_HAS_NO_INPUTS = N_("this is a store board: it has no station inputs")
STATION_HAS_NO_STORE = N_("this is a station: it has no store board")
NO_BUTTON = N_("no button for call type '{name}' (configured: {known})")
NO_BIN = N_("no bin sensor for part '{name}' (configured: {known})")
NO_SCANNER_OF = N_("no scanner named '{name}' (configured: {known})")
NO_SCANNER = N_("no scanner named '{name}'")
NO_INPUT = N_("the pin map has no {name} input")
NO_GPIO_TOWER = N_("the pin map has no GPIO tower")
NO_PNS_TOWER = N_("the pin map has no PNS tower")
NO_RELAY = N_("the pin map has no line-stop relay")
NO_TIER = N_("the tower has no {colour} tier")
NO_BUZZER = N_("the tower has no buzzer")
NO_PLATE = N_("the store board has no plate for part '{part}'")
NO_BEACON = N_("the store board has no beacon")
NO_STORE_BUZZER = N_("the store board has no buzzer")
NEEDS_MANUAL_CLOCK = N_("sampling a pattern needs the manual clock")

TEMPLATES: tuple[str, ...] = registered(globals())
"""Every sentence above, found again when a command shows a hardware error."""


class HalError(Exception):
    """A device could not be built, opened or driven."""


class DeviceConfigError(HalError, ValueError):
    """The pin map or lamp rules ask for something the hardware cannot do."""
