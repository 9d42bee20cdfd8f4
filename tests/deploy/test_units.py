"""The systemd units (systemd-analyze verify where available), the udev rules and journald."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from .conftest import REPO

DEPLOY = REPO / "deploy"
UNIT_FILES = sorted((DEPLOY / "systemd").glob("*.service"))
SYSTEM_UNITS = Path("/usr/lib/systemd/system")


def settings(unit: Path) -> dict[str, list[str]]:
    """``key -> values`` of a unit file (systemd allows a key more than once)."""
    found: dict[str, list[str]] = {}
    for line in unit.read_text().splitlines():
        if "=" in line and not line.lstrip().startswith(("#", ";", "[")):
            key, _, value = line.partition("=")
            found.setdefault(key.strip(), []).append(value.strip())
    return found


ROOT_UNIT = "andon-broker-watchdog.service"
"""The one unit that runs as root: it restarts a hung Mosquitto (systemctl kill)."""


def test_the_broker_watchdog_runs_beside_mosquitto_and_pings_systemd() -> None:
    s = settings(DEPLOY / "systemd" / ROOT_UNIT)
    assert s["ExecStart"] == [
        "/opt/andon/venv/bin/andon watchdog --config /etc/andon/watchdog/plant.toml"
    ]
    assert s["Type"] == ["notify"] and int(s["WatchdogSec"][0]) > 0
    assert s["After"] == ["mosquitto.service"]


def test_the_expected_units_are_there() -> None:
    assert [u.name for u in UNIT_FILES] == [
        "andon-board-web.service",
        "andon-board.service",
        "andon-broker-watchdog.service",
        "andon-historian.service",
        "andon-notify.service",
        "andon-station@.service",
        "andon-store.service",
        "andon-web.service",
    ]


def test_systemd_analyze_verify_accepts_every_unit(tmp_path: Path) -> None:
    analyze = shutil.which("systemd-analyze")
    if analyze is None or not SYSTEM_UNITS.is_dir():
        pytest.skip("systemd-analyze is not available on this machine")
    # A root with the system's own units, the andon units and the command they start.
    root = tmp_path / "root"
    shutil.copytree(SYSTEM_UNITS, root / "usr/lib/systemd/system", symlinks=True)
    units = root / "etc/systemd/system"
    units.mkdir(parents=True)
    for unit in UNIT_FILES:
        shutil.copy(unit, units / unit.name)
    command = root / "opt/andon/venv/bin/andon"
    command.parent.mkdir(parents=True)
    command.write_text("#!/bin/sh\n")
    command.chmod(0o755)
    names = [u.name.replace("@.", "@station-a1.") for u in UNIT_FILES]
    done = subprocess.run(
        [analyze, "verify", f"--root={root}", *names],
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    # verify reports unknown keys and bad values on stderr but still exits 0.
    assert done.returncode == 0 and not done.stderr.strip() and not done.stdout.strip(), (
        done.stderr + done.stdout
    )


@pytest.mark.parametrize("unit", UNIT_FILES, ids=lambda u: u.name)
def test_every_unit_restarts_logs_to_the_journal_and_is_hardened(unit: Path) -> None:
    s = settings(unit)
    if unit.name == ROOT_UNIT:
        assert "User" not in s and "ReadWritePaths" not in s  # writes nothing, kills Mosquitto
    else:
        assert s["User"] == ["andon"]
        assert s["ReadWritePaths"] == ["/var/lib/andon"]
        assert s["StateDirectory"] == ["andon"]
    assert s["Restart"][0] in ("on-failure", "always")
    assert s["NoNewPrivileges"] == ["yes"]
    assert s["ProtectSystem"] == ["strict"]
    assert s["ExecStart"][0].startswith("/opt/andon/venv/bin/andon ")
    assert "--config /etc/andon/" in s["ExecStart"][0]
    assert s.get("StandardError") == ["journal"]
    assert s["WantedBy"] == ["multi-user.target"]


@pytest.mark.parametrize(
    ("unit", "command"),
    [
        ("andon-station@.service", "station --config /etc/andon/%i/station.toml"),
        ("andon-store.service", "store --config /etc/andon/store/store.toml"),
    ],
)
def test_stations_and_stores_use_the_watchdog_and_their_devices(unit: str, command: str) -> None:
    s = settings(DEPLOY / "systemd" / unit)
    assert s["Type"] == ["notify"]
    assert s["WatchdogSec"] and int(s["WatchdogSec"][0]) > 0
    assert s["Restart"] == ["on-failure"]
    assert s["SupplementaryGroups"] == ["gpio dialout input"]
    assert s["ExecStart"] == [f"/opt/andon/venv/bin/andon {command}"]
    assert "PrivateDevices" not in s


def test_the_kiosk_owns_tty1_and_the_web_board_serves() -> None:
    kiosk = settings(DEPLOY / "systemd" / "andon-board.service")
    assert kiosk["TTYPath"] == ["/dev/tty1"]
    assert kiosk["Conflicts"] == ["getty@tty1.service"]
    assert kiosk["StandardInput"] == ["tty"]
    web = settings(DEPLOY / "systemd" / "andon-board-web.service")
    assert web["ExecStart"][0].endswith("board --config /etc/andon/board/board.toml --serve")
    view = settings(DEPLOY / "systemd" / "andon-web.service")
    assert view["ExecStart"] == ["/opt/andon/venv/bin/andon web --config /etc/andon/web/web.toml"]


RULE_KEY = re.compile(
    r"^(ACTION|SUBSYSTEM|KERNEL|ATTRS\{\w+\}|ENV\{\w+\}|GOTO|LABEL|GROUP|MODE|SYMLINK)"
    r'(==|!=|\+=|=)"[^"]*"$'
)


def test_the_udev_rules_are_well_formed() -> None:
    text = (DEPLOY / "udev" / "99-andon-scanners.rules").read_text()
    labels, gotos, links = set(), set(), []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip() or line.startswith("#"):
            continue
        for part in (p.strip() for p in line.split(", ")):
            assert RULE_KEY.match(part), f"line {number}: {part!r}"
            key, value = part.split("=", 1)[0].rstrip("!+="), part.split('"')[1]
            if key == "LABEL":
                labels.add(value)
            elif key == "GOTO":
                gotos.add(value)
            elif key == "SYMLINK":
                links.append(value)
    assert gotos <= labels
    assert "andon-scanner" in links  # the port the demo stations name: /dev/andon-scanner
    demo = (REPO / "firmware_config" / "demo" / "station-a1.toml").read_text()
    assert 'port = "/dev/andon-scanner"' in demo


def test_journald_keeps_the_journal_and_caps_it() -> None:
    text = (DEPLOY / "journald" / "andon.conf").read_text()
    assert "[Journal]\n" in text
    assert "\nStorage=persistent\n" in text
    assert re.search(r"\nSystemMaxUse=\d+M\n", text)
