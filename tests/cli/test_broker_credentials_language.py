"""``andon station``, ``store`` and ``notify`` say a password or TLS file they cannot use
in the terminal's language, before they open their hardware or their queue.

Each test runs the real command on a copy of the demo plant whose ``[broker]`` table
names an empty password file or a TLS file that is not there.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from tests.support.cli import DEMO_CHANNEL_URLS, andon_in

ROOT = Path(__file__).resolve().parents[2]
DEMO = ROOT / "firmware_config" / "demo"


def andon(lang: str, *args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return andon_in(lang, *args, cwd=cwd, env=DEMO_CHANNEL_URLS)


def plant_with(tmp_path: Path, broker_lines: str) -> Path:
    """A copy of the demo plant whose ``[broker]`` table gains ``broker_lines``."""
    for file in DEMO.glob("*.toml"):
        shutil.copy(file, tmp_path / file.name)
    plant = tmp_path / "plant.toml"
    text = plant.read_text()
    assert "[broker]\n" in text
    plant.write_text(text.replace("[broker]\n", f"[broker]\n{broker_lines}", 1))
    return tmp_path


def empty_password(tmp_path: Path) -> tuple[Path, Path]:
    """(the plant copy's folder, its empty password file)."""
    folder = plant_with(
        tmp_path, 'username = "station.line-a.a1"\npassword_file = "empty.password"\n'
    )
    password = folder / "empty.password"
    password.write_text("")
    password.chmod(0o600)
    return folder, password


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("zh_CN.UTF-8", "{file}：无法启动工位：密码文件 {password} 是空的\n"),
        ("de_DE.UTF-8", "{file}: Station nicht startbar: Passwortdatei {password} ist leer\n"),
        ("C.UTF-8", "{file}: cannot start the station: password file {password} is empty\n"),
    ],
)
def test_the_station_says_an_empty_password_file_in_the_terminals_language(
    tmp_path: Path, lang: str, expected: str
) -> None:
    folder, password = empty_password(tmp_path)
    file, journal = folder / "station-a1.toml", folder / "journal.sqlite"
    station = ("station", "--config", str(file), "--journal", str(journal), "--sim")
    done = andon(lang, *station, "--seconds", "1", cwd=folder)
    assert done.returncode == 1, done.stderr
    assert done.stderr == expected.format(file=file, password=password)
    assert not journal.exists()  # said before the journal opened


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("zh_TW.UTF-8", "{file}：無法啟動倉庫看板：密碼檔案 {password} 是空的\n"),
        ("de_AT.UTF-8", "{file}: Lager-Board nicht startbar: Passwortdatei {password} ist leer\n"),
    ],
)
def test_the_store_board_says_an_empty_password_file_in_the_terminals_language(
    tmp_path: Path, lang: str, expected: str
) -> None:
    folder, password = empty_password(tmp_path)
    file = folder / "store.toml"
    done = andon(lang, "store", "--config", str(file), "--sim", "--seconds", "1", cwd=folder)
    assert done.returncode == 1, done.stderr
    assert done.stderr == expected.format(file=file, password=password)


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("zh_CN.UTF-8", "错误：密码文件 {password} 是空的\n"),
        ("de_DE.UTF-8", "Fehler: Passwortdatei {password} ist leer\n"),
    ],
)
def test_the_notifier_says_an_empty_password_file_in_the_terminals_language(
    tmp_path: Path, lang: str, expected: str
) -> None:
    folder, password = empty_password(tmp_path)
    queue = folder / "queue.sqlite"
    notify = folder / "notify.toml"
    notify.write_text(notify.read_text().replace("[[", f'queue = "{queue}"\n\n[[', 1))
    done = andon(lang, "notify", "--config", str(notify), cwd=folder)
    assert done.returncode == 1, done.stderr
    assert done.stderr == expected.format(password=password)
    assert not queue.exists()  # said before the queue opened


@pytest.mark.parametrize(
    ("command", "lang", "expected"),
    [
        ("station", "zh_CN.UTF-8", "{file}：无法启动工位：找不到 TLS 文件：{ca}\n"),
        (
            "store",
            "de_DE.UTF-8",
            "{file}: Lager-Board nicht startbar: TLS-Datei nicht gefunden: {ca}\n",
        ),
        ("station", "zh_TW.UTF-8", "{file}：無法啟動工位：找不到 TLS 檔案：{ca}\n"),
    ],
)
def test_a_missing_tls_file_is_said_in_the_terminals_language(
    tmp_path: Path, command: str, lang: str, expected: str
) -> None:
    folder = plant_with(tmp_path, 'ca_file = "missing-ca.pem"\n')
    plant = folder / "plant.toml"
    plant.write_text(plant.read_text().replace("tls = false", "tls = true", 1))
    file = folder / ("station-a1.toml" if command == "station" else "store.toml")
    done = andon(lang, command, "--config", str(file), "--sim", "--seconds", "1", cwd=folder)
    assert done.returncode == 1, done.stderr
    assert done.stderr == expected.format(file=file, ca=folder / "missing-ca.pem")


def test_andon_sim_and_the_watchdog_say_an_empty_password_file_in_their_language(
    tmp_path: Path,
) -> None:
    folder = plant_with(tmp_path, 'username = "board.main"\npassword_file = "empty.password"\n')
    password = folder / "empty.password"
    password.write_text("")
    password.chmod(0o600)
    plant = folder / "plant.toml"
    text = plant.read_text(encoding="utf-8")
    plant.write_text(text.replace("[site]\n", '[site]\nlanguage = "zh_CN"\n', 1), encoding="utf-8")

    sim = andon(
        "C.UTF-8", "sim", "--config", str(folder / "station-a1.toml"), "press", "help", cwd=folder
    )
    watchdog = andon("de_DE.UTF-8", "watchdog", "--config", str(plant), cwd=folder)

    assert sim.returncode == 2 and watchdog.returncode == 1
    assert sim.stderr == f"sim：密码文件 {password} 是空的\n"  # andon sim: the plant's language
    assert watchdog.stderr == (
        f"{plant}: Broker-Watchdog kann nicht starten: Passwortdatei {password} ist leer\n"
    )
