"""``andon doctor``: each check on real files, ptys and a real broker, and the command."""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterator, Sequence
from dataclasses import replace
from pathlib import Path

import pytest

from andon.bus.credentials import BrokerSettings
from andon.cli.main import main
from andon.config.hardware import HidScanner, SerialScanner
from andon.config.loader import load_station
from andon.doctor.broker import check_broker
from andon.doctor.clock import TIME_ERROR, check_clock
from andon.doctor.credentials import check_credentials
from andon.doctor.disk import check_disk
from andon.doctor.pins import check_pins, used_pins
from andon.doctor.result import CheckResult, Status, ok, render
from andon.doctor.runner import DoctorOptions, run_checks
from andon.doctor.scanners import check_scanners, check_serial_port

from .conftest import DEMO_PLANT, HOST, Plant, free_port

# --- pins ---------------------------------------------------------------------------------


def test_the_pins_of_a_station_are_found() -> None:
    station = load_station(DEMO_PLANT.parent / "station-a3.toml")
    assert used_pins(station.hardware) == [4, 5, 6, 12, 13, 16, 17, 20, 21, 22, 23, 24, 25, 27]


def test_pins_pass_with_a_usable_chip_and_library(tmp_path: Path) -> None:
    chip = tmp_path / "gpiochip0"
    chip.write_bytes(b"")
    result = check_pins([17, 27], chips=[chip], module="json", environ={})
    assert result.status is Status.OK
    assert str(chip) in result.detail


def test_pins_fail_without_a_chip() -> None:
    result = check_pins([17], chips=[], module="json", environ={})
    assert result.status is Status.FAIL and "no GPIO chip" in result.detail


def test_pins_fail_on_a_chip_that_cannot_be_opened(tmp_path: Path) -> None:
    result = check_pins([17], chips=[tmp_path / "gpiochip9"], module="json", environ={})
    assert result.status is Status.FAIL and "gpio group" in result.fix


def test_pins_fail_without_the_pin_library(tmp_path: Path) -> None:
    chip = tmp_path / "gpiochip0"
    chip.write_bytes(b"")
    result = check_pins([17], chips=[chip], module="andon_no_such_module", environ={})
    assert result.status is Status.FAIL and "pi extra" in result.fix


def test_pins_fail_on_the_mock_factory(tmp_path: Path) -> None:
    result = check_pins([17], chips=[], environ={"GPIOZERO_PIN_FACTORY": "mock"})
    assert result.status is Status.FAIL and "simulated" in result.detail


def test_no_pins_nothing_to_check() -> None:
    assert check_pins([]).status is Status.SKIP


# --- scanners -----------------------------------------------------------------------------


@pytest.fixture
def pty_port() -> Iterator[str]:
    controller, device = os.openpty()
    try:
        yield os.ttyname(device)
    finally:
        os.close(device)
        os.close(controller)


def test_a_serial_scanner_on_a_pty_opens(pty_port: str) -> None:
    result = check_serial_port("scanner", Path(pty_port), 9600)
    assert result.status is Status.OK
    assert pty_port in result.detail


def test_a_missing_or_wrong_scanner_port_fails(tmp_path: Path, pty_port: str) -> None:
    plain_file = tmp_path / "not-a-device"
    plain_file.write_text("")
    results = check_scanners(
        [
            SerialScanner(name="left", port=str(tmp_path / "andon-scanner")),
            SerialScanner(name="right", port=str(plain_file)),
            HidScanner(kind="hid", name="wedge", device=pty_port),
        ]
    )
    assert [r.status for r in results] == [Status.FAIL, Status.FAIL, Status.OK]
    assert "does not exist" in results[0].detail and "udev" in results[0].fix
    assert "not a device" in results[1].detail
    assert [r.check for r in results] == ["scanner left", "scanner right", "scanner wedge"]


def test_a_scanner_port_link_is_followed(tmp_path: Path, pty_port: str) -> None:
    link = tmp_path / "andon-scanner"
    link.symlink_to(pty_port)
    result = check_serial_port("scanner", link)
    assert result.status is Status.OK and pty_port in result.detail


# --- credentials and broker ---------------------------------------------------------------


def _settings(password_file: Path | None) -> BrokerSettings:
    return BrokerSettings(username="station.l.s", password_file=password_file)


def test_credentials(tmp_path: Path) -> None:
    path = tmp_path / "mqtt.password"
    path.write_text("secret\n")
    path.chmod(0o600)
    assert check_credentials(_settings(path)).status is Status.OK
    path.chmod(0o640)
    shared = check_credentials(_settings(path))
    assert shared.status is Status.WARN and "chmod 600" in shared.fix
    path.write_text("\n")
    assert check_credentials(_settings(path)).status is Status.FAIL
    assert check_credentials(_settings(tmp_path / "gone")).status is Status.FAIL
    assert check_credentials(BrokerSettings()).status is Status.SKIP
    missing_ca = BrokerSettings(tls=True, ca_file=tmp_path / "ca.crt")
    assert check_credentials(missing_ca).status is Status.FAIL


def test_a_broker_that_is_not_there(tmp_path: Path) -> None:
    result = check_broker(BrokerSettings(host=HOST, port=free_port()), timeout_s=2)
    assert result.status is Status.FAIL
    assert "nothing listens" in result.detail and "systemctl status mosquitto" in result.fix


def test_a_host_that_does_not_resolve() -> None:
    result = check_broker(BrokerSettings(host="no-such-host.invalid", port=1883), timeout_s=2)
    assert result.status is Status.FAIL and "cannot resolve" in result.detail


# --- clock --------------------------------------------------------------------------------


def _answer(text: str, code: int = 0) -> object:
    def run(command: Sequence[str]) -> subprocess.CompletedProcess[str]:
        assert command[0] == "timedatectl"
        return subprocess.CompletedProcess(list(command), code, stdout=text, stderr="")

    return run


def _no_timedatectl(command: Sequence[str]) -> subprocess.CompletedProcess[str]:
    raise FileNotFoundError(command[0])


NOW = 1_780_000_000.0  # 2026


@pytest.mark.parametrize(
    ("answer", "code", "expected"),
    [("yes\n", 0, Status.OK), ("no\n", 0, Status.FAIL)],
)
def test_the_clock_from_timedatectl(answer: str, code: int, expected: Status) -> None:
    result = check_clock(run=_answer(answer, code), kernel_state=lambda: 0, now=lambda: NOW)  # type: ignore[arg-type]
    assert result.status is expected and "timedatectl" in result.detail


@pytest.mark.parametrize(
    ("state", "expected"),
    [(0, Status.OK), (TIME_ERROR, Status.FAIL), (None, Status.WARN)],
)
def test_the_clock_from_the_kernel_without_systemd(state: int | None, expected: Status) -> None:
    result = check_clock(run=_no_timedatectl, kernel_state=lambda: state, now=lambda: NOW)
    assert result.status is expected


def test_a_clock_that_was_never_set_fails() -> None:
    result = check_clock(run=_answer("yes"), kernel_state=lambda: 0, now=lambda: 0.0)  # type: ignore[arg-type]
    assert result.status is Status.FAIL and "1970" in result.detail and "NTP" in result.fix


def test_the_kernel_is_asked_for_real() -> None:
    result = check_clock(run=_no_timedatectl)
    assert "adjtimex" in result.detail or result.status is Status.WARN


# --- disk ---------------------------------------------------------------------------------


def test_disk(tmp_path: Path) -> None:
    assert check_disk(tmp_path, min_free_bytes=0, low_free_bytes=0).status is Status.OK
    total = shutil.disk_usage(tmp_path).total
    full = check_disk(tmp_path, min_free_bytes=total + 1)
    assert full.status is Status.FAIL and "journalctl --vacuum-size" in full.fix
    low = check_disk(tmp_path, min_free_bytes=0, low_free_bytes=total + 1)
    assert low.status is Status.WARN
    missing = check_disk(tmp_path / "gone")
    assert missing.status is Status.FAIL and "install -d" in missing.fix


# --- the report and the command -----------------------------------------------------------


def test_the_report_says_what_to_fix() -> None:
    results = [
        ok("config", "fine"),
        CheckResult("broker", Status.FAIL, "refused", "first line\nsecond line"),
    ]
    assert render(results).splitlines() == [
        "OK    config  fine",
        "FAIL  broker  refused",
        "              fix: first line",
        "                   second line",
        "1 check failed",
    ]


def _synced() -> CheckResult:
    return ok("clock", "synchronized (test)")


def _station_bundle(plant: Plant, tmp_path: Path, journal: Path) -> Path:
    bundle = plant.bundle("station.line-a.a1")
    config = bundle / "station-a1.toml"
    text = config.read_text() + f'\n[journal]\npath = "{journal / "a1.sqlite"}"\n'
    copy = tmp_path / "station.toml"
    copy.write_text(text)
    shutil.copy(bundle / "plant.toml", tmp_path / "plant.toml")
    shutil.copy(bundle / "mqtt.password", tmp_path / "mqtt.password")
    (tmp_path / "mqtt.password").chmod(0o600)
    return copy


def test_a_station_checked_against_the_real_broker(plain_plant: Plant, tmp_path: Path) -> None:
    journal = tmp_path / "journal"
    journal.mkdir()
    config = _station_bundle(plain_plant, tmp_path, journal)
    options = DoctorOptions(skip=frozenset({"pins", "scanner"}), clock=_synced)
    results = {r.check: r for r in run_checks(config, options)}
    assert results["config"].status is Status.OK
    assert results["credentials"].status is Status.OK
    assert results["broker"].status is Status.OK, results["broker"].detail
    assert "accepted user doctor.line-a.a1" in results["broker"].detail
    assert results["disk"].status is Status.OK and str(journal) in results["disk"].detail
    assert "pins" not in results


def test_a_wrong_password_is_reported_with_the_fix(plain_plant: Plant, tmp_path: Path) -> None:
    config = _station_bundle(plain_plant, tmp_path, tmp_path)
    (tmp_path / "mqtt.password").write_text("stale\n")
    options = DoctorOptions(skip=frozenset({"pins", "scanner"}), clock=_synced)
    broker = next(r for r in run_checks(config, options) if r.check == "broker")
    assert broker.status is Status.FAIL
    assert "refused user doctor.line-a.a1" in broker.detail
    assert "andon provision" in broker.fix


def test_the_command_exits_1_on_any_failure(
    plain_plant: Plant, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = _station_bundle(plain_plant, tmp_path, tmp_path)
    skips = ["--skip", "pins", "--skip", "scanner", "--skip", "clock"]
    assert main(["doctor", "--config", str(config), *skips]) == 0
    assert "all checks passed" in capsys.readouterr().out
    missing_scanner = main(["doctor", "--config", str(config), "--skip", "pins", "--skip", "clock"])
    printed = capsys.readouterr().out
    assert missing_scanner == 1
    assert "FAIL  scanner" in printed and "/dev/andon-scanner" in printed


def test_an_invalid_configuration_fails_the_config_check(tmp_path: Path) -> None:
    broken = tmp_path / "station.toml"
    broken.write_text('kind = "station"\nschema = 1\nplant = "missing.toml"\n')
    results = run_checks(broken, DoctorOptions(clock=_synced))
    assert [r.check for r in results] == ["config"]
    assert results[0].status is Status.FAIL and "andon check-config" in results[0].fix


def test_the_broker_check_uses_its_own_client_id(plain_plant: Plant) -> None:
    doctor = plain_plant.doctor_settings("monitor")
    settings = replace(doctor, client_id="station-a1", clean_session=False)
    first = check_broker(settings)
    second = check_broker(settings)
    assert first.status is second.status is Status.OK
    log = plain_plant.broker.log()
    assert "as andon-doctor-" in log and " as station-a1 " not in log
