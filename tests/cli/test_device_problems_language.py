"""What a failing device says reaches the terminal in the reader's language, through
``andon lamp-test``, ``andon station``, ``andon store`` and ``andon sim``."""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
from pathlib import Path

from tests.support.cli import andon_in
from tests.support.stations import DEMO

ROOT = Path(__file__).resolve().parents[2]

NO_PIN_LIBRARY = {"GPIOZERO_PIN_FACTORY": "no-such-pin-library"}
"""gpiozero finds no pin library, as on a machine without GPIO."""


def _closed_port() -> int:
    """A loopback port nothing listens on: a connection to it is refused."""
    with socket.create_server(("127.0.0.1", 0)) as server:
        return int(server.getsockname()[1])


def test_a_tower_that_refuses_the_connection_in_the_lamp_test(tmp_path: Path) -> None:
    port = _closed_port()
    config = tmp_path / "station.toml"
    config.write_text(
        'kind = "station"\n[hardware.tower]\nbackend = "pns"\nhost = "127.0.0.1"\n'
        f'port = {port}\ncolours = ["red"]\ntimeout_s = 0.2\nretry_s = 0.2\n',
        encoding="utf-8",
    )

    done = andon_in("zh_CN.UTF-8", "lamp-test", "--config", str(config), "--step-s", "0")

    assert done.returncode == 0, done.stderr
    assert f"     灯塔没有确认：PNS 信号灯塔 127.0.0.1:{port}：" in done.stderr
    assert "PNS tower" not in done.stderr and "WARNING" not in done.stderr


def test_a_station_and_a_store_on_a_machine_without_gpio(tmp_path: Path) -> None:
    station = DEMO / "station-a3.toml"
    store = DEMO / "store.toml"
    common = ("--broker", "127.0.0.1:9", "--seconds", "1")
    journal = ("--journal", str(tmp_path / "journal.sqlite"))

    at_station = andon_in(
        "zh_CN.UTF-8", "station", "--config", str(station), *common, *journal, env=NO_PIN_LIBRARY
    )
    at_store = andon_in("zh_TW.UTF-8", "store", "--config", str(store), *common, env=NO_PIN_LIBRARY)

    assert at_station.returncode == at_store.returncode == 1
    assert at_station.stderr == (
        f"{station}：无法启动工位：本机没有 GPIO（在树莓派上：pip install 'andon[pi]' 以安装 "
        "lgpio）；加上 --sim 可在模拟引脚上试用该配置\n"
    )
    assert at_store.stderr.startswith(f"{store}：無法啟動倉庫看板：本機沒有 GPIO（")
    assert "pin factory" not in at_store.stderr


def test_a_scan_the_scanner_refuses_is_said_by_andon_sim_in_chinese(
    mosquitto, station_factory, tmp_path: Path
) -> None:
    runtime = station_factory(mosquitto.settings(client_id="test-station-a3", clean_session=False))
    assert runtime.agent.bus.wait_subscribed(10)
    chinese = tmp_path / "demo"
    shutil.copytree(DEMO, chinese)
    plant = chinese / "plant.toml"
    plant.write_text(
        plant.read_text(encoding="utf-8").replace(
            'timezone = "Europe/Berlin"', 'timezone = "Europe/Berlin"\nlanguage = "zh_CN"', 1
        ),
        encoding="utf-8",
    )
    config = chinese / "station-a3.toml"
    command = [sys.executable, "-m", "andon", "sim", "--config", str(config)]
    broker = ("--broker", f"{mosquitto.host}:{mosquitto.port}")

    done = subprocess.run(
        [*command, *broker, "scan", "BD:\x07"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )

    assert done.returncode == 1, done.stderr
    assert done.stderr == "demo-plant/assembly/line-a/a3：被拒绝：含有控制字符 '\\x07'\n"


def test_the_hal_monitor_says_a_missing_scanner_once_in_chinese(tmp_path: Path) -> None:
    missing = tmp_path / "no-scanner"
    config = tmp_path / "station.toml"
    config.write_text(
        f'kind = "station"\n[[hardware.scanners]]\nkind = "serial"\nname = "front"\n'
        f'port = "{missing}"\n',
        encoding="utf-8",
    )

    done = andon_in("zh_CN.UTF-8", "hal-monitor", "--config", str(config), "--seconds", "1")

    assert done.returncode == 0, done.stderr
    assert f"scanner.front：有问题：无法打开 {missing}：" in done.stdout
    assert done.stdout.rstrip().endswith("；每 1 秒重试一次")
    assert "cannot open" not in done.stdout + done.stderr and "WARNING" not in done.stderr
