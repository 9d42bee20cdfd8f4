"""Which checks a configuration file needs, run in order.

* every file: the configuration itself, credentials, broker, clock, and this host's
  Mosquitto when it has one (a version that can hang on its TLS bridge);
* a station: pins, scanners and the disk of its journal;
* a store board: pins, scanners and the disk of the data directory;
* a board or a notifier: nothing on the device beyond the common checks;
* a plant file: only the common checks (e.g. with the monitor bundle).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

from andon.bus.credentials import BrokerSettings
from andon.config.broker import BrokerConfig
from andon.config.errors import ConfigError
from andon.config.loader import ConfigFile
from andon.config.messages import shown_issue, summary_in
from andon.config.notify import NotifyFile
from andon.doctor import words as W
from andon.doctor.broker import TIMEOUT_S, check_broker
from andon.doctor.check_names import CHECKS
from andon.doctor.clock import check_clock
from andon.doctor.credentials import check_credentials
from andon.doctor.disk import check_disk
from andon.doctor.mosquitto import MosquittoHost, check_mosquitto
from andon.doctor.pins import check_pins, used_pins
from andon.doctor.result import CheckResult, fail, ok, warn
from andon.doctor.scanners import check_scanners
from andon.i18n.catalog import DEFAULT_LANGUAGE, translator

DATA_DIR = Path("/var/lib/andon")


@dataclass(frozen=True)
class DoctorOptions:
    """What to check and how long to wait for the broker."""

    timeout_s: float = TIMEOUT_S
    skip: frozenset[str] = frozenset()
    """Checks left out (names from :data:`CHECKS`)."""
    data_dir: Path = DATA_DIR
    clock: Callable[[], CheckResult] = field(default=check_clock)
    mosquitto: MosquittoHost = field(default_factory=MosquittoHost)
    """This host's broker, its configuration and the broker watchdog's unit."""
    language: str = DEFAULT_LANGUAGE
    """The reader's language, for the configuration's findings (the others: :func:`render`)."""


def run_checks(config_file: Path, options: DoctorOptions | None = None) -> list[CheckResult]:
    """Every check the file's kind needs; a file that does not load fails ``config``."""
    from andon.config.plant import PlantFile
    from andon.config.station import StationFile
    from andon.config.store import StoreFile

    options = options or DoctorOptions()
    tr = translator(options.language)
    try:
        loaded = _load(config_file)
    except ConfigError as error:
        issues = "; ".join(shown_issue(i, options.language) for i in error.errors[:5])
        if len(error.errors) > 5:
            issues = tr.gettext(W.MORE_ISSUES).format(issues=issues, count=len(error.errors) - 5)
        return [fail("config", issues, f"andon check-config {config_file}")]
    summary = summary_in(loaded, tr)
    found = tr.gettext(W.CONFIG_OK).format(file=config_file, kind=loaded.kind, summary=summary)
    results = [ok("config", found)]
    if os.geteuid() == 0:
        results.append(
            warn(
                "user",
                W.AS_ROOT,
                f"sudo -u andon /opt/andon/venv/bin/andon doctor --config {config_file}",
            )
        )
    plant = loaded if isinstance(loaded, PlantFile) else loaded.plant_config
    wanted = [name for name in CHECKS if name not in options.skip]
    hardware = loaded.hardware if isinstance(loaded, StationFile | StoreFile) else None
    if hardware is not None and "pins" in wanted:
        results.append(check_pins(used_pins(hardware)))
    if hardware is not None and "scanner" in wanted:
        results.extend(check_scanners(hardware.scanners))
    settings = _settings(plant.broker)
    if "credentials" in wanted:
        results.append(check_credentials(settings))
    if "broker" in wanted:
        results.append(check_broker(doctor_settings(plant.broker), options.timeout_s))
    if "mosquitto" in wanted:
        local = check_mosquitto(options.mosquitto)
        if local is not None:
            results.append(local)
    if "clock" in wanted:
        results.append(options.clock())
    if "disk" in wanted and isinstance(loaded, StationFile | StoreFile):
        directory = (
            loaded.journal_path.parent if isinstance(loaded, StationFile) else options.data_dir
        )
        results.append(check_disk(directory))
    return results


def _load(config_file: Path) -> ConfigFile | NotifyFile:
    """Any configuration file: plant, station, board, store or notify."""
    from andon.config.loader import load_file, load_notify, read_toml

    if read_toml(config_file).get("kind") == "notify":
        return load_notify(config_file)
    return load_file(config_file)


def _settings(config: BrokerConfig) -> BrokerSettings:
    return BrokerSettings.from_config(config)


def doctor_settings(config: BrokerConfig) -> BrokerSettings:
    """The doctor's login: its own account when the device has one, else the device's.

    A provisioned client's account (a station's, a board's, the monitor's, any) is
    bound to its client id, so the doctor (connecting under an id of its own, to
    leave the running client alone) logs in as ``doctor_username`` with the
    device's password file.
    """
    settings = _settings(config)
    if config.doctor_username is None:
        return settings
    return replace(settings, username=config.doctor_username)
