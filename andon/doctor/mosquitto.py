"""The Mosquitto on this host: a version that can hang on its TLS bridge, and the remedy.

Mosquitto before 2.0.15 (Debian 12 ships 2.0.11) can spin at 100 % CPU and stop
answering every client after a TLS handshake of a bridge fails
(eclipse-mosquitto/mosquitto#2594). The check asks the installed program its
version (``mosquitto -h``), reads the broker's configuration and the files it
includes for a bridge that speaks TLS, and says whether the broker watchdog is
installed. A host without Mosquitto (a station, a board) gets no line.
"""

from __future__ import annotations

import glob
import os
import re
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from andon.doctor import words as W
from andon.doctor.result import CheckResult, ok, skip, warn

CHECK = "mosquitto"
FIXED = (2, 0, 15)
"""The first Mosquitto without the hang (its commit e979a46c)."""
ISSUE = "https://github.com/eclipse-mosquitto/mosquitto/issues/2594"
TLS_KEYS = frozenset({"bridge_cafile", "bridge_capath", "bridge_psk", "bridge_tls_use_os_certs"})
"""A bridge with any of these connects with TLS (or TLS-PSK)."""
SBIN = ("/usr/sbin", "/usr/local/sbin", "/sbin")
"""Where Debian installs the broker, often not on a service user's ``PATH``."""
_VERSION = re.compile(r"mosquitto version (\d+)\.(\d+)\.(\d+)")


@dataclass(frozen=True)
class MosquittoHost:
    """Where this host's broker, its configuration and the watchdog's unit are."""

    program: str = "mosquitto"
    config: Path = Path("/etc/mosquitto/mosquitto.conf")
    watchdog_unit: Path = Path("/etc/systemd/system/andon-broker-watchdog.service")


@dataclass
class Bridges:
    """The TLS bridges of a configuration, and the files that could not be read."""

    tls: list[tuple[str, Path]] = field(default_factory=list)
    """``(connection name, file)`` of each bridge that speaks TLS."""
    unreadable: list[Path] = field(default_factory=list)


def find_program(program: str) -> str | None:
    """The broker's path: on ``PATH``, else in the system's ``sbin`` directories."""
    search = os.pathsep.join([os.environ.get("PATH", os.defpath), *SBIN])
    return shutil.which(program, path=search)


def installed_version(program: str) -> tuple[int, int, int] | None:
    """The version ``program -h`` names in its first line (``mosquitto version 2.0.11``)."""
    try:
        done = subprocess.run(
            [program, "-h"], capture_output=True, text=True, timeout=10, check=False
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    found = _VERSION.search(done.stdout + done.stderr)
    if found is None:
        return None
    major, minor, patch = (int(part) for part in found.groups())
    return major, minor, patch


def tls_bridges(config: Path) -> Bridges:
    """The bridges speaking TLS in ``config`` and the ``include_dir`` files it names."""
    bridges = Bridges()
    _read(config, bridges)
    return bridges


def _read(path: Path, bridges: Bridges) -> None:
    try:
        lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        bridges.unreadable.append(path)
        return
    connection: str | None = None
    for line in lines:
        words = line.strip().split(None, 1)
        if not words or words[0].startswith("#"):
            continue
        key, value = words[0], words[1].strip() if len(words) > 1 else ""
        if key == "connection":
            connection = value
        elif key in TLS_KEYS and connection is not None and value not in ("", "false"):
            if (connection, path) not in bridges.tls:
                bridges.tls.append((connection, path))
        elif key == "include_dir" and value:
            directory = Path(value) if Path(value).is_absolute() else path.parent / value
            for name in sorted(glob.glob(str(directory / "*.conf"))):
                _read(Path(name), bridges)


def _shown(version: tuple[int, int, int]) -> str:
    return ".".join(str(part) for part in version)


def check_mosquitto(host: MosquittoHost | None = None) -> CheckResult | None:
    """Whether this host's Mosquitto can hang on a TLS bridge; ``None`` without one."""
    host = host or MosquittoHost()
    program = find_program(host.program)
    if program is None:
        return None
    found = installed_version(program)
    if found is None:
        return skip(CHECK, W.MOSQUITTO_NO_VERSION.format(program=program))
    if not host.config.is_file():
        config = host.config
        return skip(CHECK, W.MOSQUITTO_NO_CONFIG.format(version=_shown(found), config=config))
    return judge(found, tls_bridges(host.config), host)


def judge(version: tuple[int, int, int], bridges: Bridges, host: MosquittoHost) -> CheckResult:
    """The finding for a Mosquitto of ``version`` with ``bridges`` on ``host``."""
    shown = _shown(version)
    if not bridges.tls:
        if version < FIXED and bridges.unreadable:
            file = bridges.unreadable[0]
            detail = W.MOSQUITTO_UNREADABLE.format(version=shown, file=file)
            return warn(CHECK, detail, W.READ_AS_ROOT_HINT.format(file=file))
        return ok(CHECK, W.MOSQUITTO_NO_TLS_BRIDGE.format(version=shown, config=host.config))
    names = ", ".join(name for name, _ in bridges.tls)
    file = bridges.tls[0][1]
    if version >= FIXED:
        return ok(CHECK, W.MOSQUITTO_FIXED.format(version=shown, bridge=names, file=file))
    unit = host.watchdog_unit
    if unit.is_file():
        detail = W.MOSQUITTO_HANGS_WATCHED.format(version=shown, bridge=names, file=file, unit=unit)
        return warn(CHECK, detail, W.UPGRADE_HINT.format(issue=ISSUE))
    detail = W.MOSQUITTO_HANGS.format(version=shown, bridge=names, file=file, unit=unit)
    return warn(CHECK, detail, W.WATCHDOG_HINT.format(issue=ISSUE))
