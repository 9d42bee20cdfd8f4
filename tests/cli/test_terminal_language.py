"""Terminal commands write their errors and results in the terminal's language."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from andon.i18n import shipped_languages
from tests.support.cli import andon_in

ROOT = Path(__file__).resolve().parents[2]
DEMO = ROOT / "firmware_config" / "demo"


def test_verify_journal_in_chinese_and_german(tmp_path: Path) -> None:
    missing = tmp_path / "none.sqlite"
    other = tmp_path / "other.sqlite"
    with sqlite3.connect(other) as conn:
        conn.execute("CREATE TABLE parts (number TEXT)")
    conn.close()

    chinese = andon_in("zh_CN.UTF-8", "verify-journal", str(missing))
    german = andon_in("de_DE.UTF-8", "verify-journal", str(other))
    english = andon_in("C.UTF-8", "verify-journal", str(missing))

    assert chinese.returncode == german.returncode == english.returncode == 2
    assert chinese.stderr == f"错误：{missing} 处没有日志文件\n"
    assert german.stderr == f"Fehler: {other} ist kein andon-Journal (Tabellen: ['parts'])\n"
    assert english.stderr == f"error: no journal file at {missing}\n"


def test_a_report_for_an_unknown_line_and_an_empty_range(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'empty.sqlite'}"
    report = ("report", "--config", str(DEMO), "--database", url)

    line = andon_in("zh_TW.UTF-8", *report, "--line", "line-z")
    empty = andon_in("de_AT.UTF-8", *report, "--from", "2026-05-01", "--to", "2026-05-02")
    backwards = andon_in("zh_CN.UTF-8", *report, "--from", "2026-05-02", "--to", "2026-05-01")

    assert line.returncode == 1
    assert line.stderr == (
        "工廠 demo-plant 中沒有產線 'line-z'（它的產線：line-a, line-b, line-c）\n"
    )
    assert empty.returncode == 1
    assert empty.stderr.startswith("keine Ereignisse des Werks von 2026-05-01")
    assert empty.stderr.endswith(": die Historie ist leer\n")
    assert backwards.returncode == 2 and backwards.stderr == "错误：--to 必须晚于 --from\n"


def test_sim_and_provision_refuse_in_the_terminals_language(tmp_path: Path) -> None:
    sim = andon_in("de_DE.UTF-8", "sim", "press", "help")
    port = andon_in(
        "zh_CN.UTF-8",
        "provision",
        "--plant",
        str(DEMO / "plant.toml"),
        "--out",
        str(tmp_path / "out"),
        "--port",
        "70000",
    )

    assert sim.returncode == 2
    assert sim.stderr == "sim: --config FILE ist nötig (die TOML-Datei der Station)\n"
    assert port.returncode != 0 and "错误：端口应为 1..65535，实际为 70000" in port.stderr


def test_provision_says_why_it_cannot_provision_in_the_terminals_language(tmp_path: Path) -> None:
    args = ("provision", "--plant", str(DEMO / "plant.toml"), "--out", str(tmp_path / "out"))

    german = andon_in("de_DE.UTF-8", *args, "--broker-host", "[::1]")
    chinese = andon_in("zh_TW.UTF-8", *args, "--broker-host", "[::1]")
    english = andon_in("C.UTF-8", *args, "--broker-host", "[::1]")

    assert german.returncode == chinese.returncode == english.returncode == 1
    assert german.stderr == (
        "Fehler: Broker-Host: eine IPv6-Adresse ohne eckige Klammern schreiben: '[::1]'\n"
    )
    assert chinese.stderr == "錯誤：代理伺服器主機：IPv6 位址請不要加方括號：'[::1]'\n"
    assert english.stderr == "error: broker host: write an IPv6 address without brackets: '[::1]'\n"


def test_a_station_file_with_errors_in_german(tmp_path: Path) -> None:
    station = tmp_path / "station.toml"
    station.write_text(
        (DEMO / "station-a1.toml")
        .read_text(encoding="utf-8")
        .replace("schema = 1", "schema = 1\nbogus = 1"),
        encoding="utf-8",
    )
    (tmp_path / "plant.toml").write_text((DEMO / "plant.toml").read_text(encoding="utf-8"))

    done = andon_in("de_DE.UTF-8", "station", "--config", str(station), "--sim")

    assert done.returncode == 1
    assert f"{station}: bogus: unbekannter Schlüssel; erwartet einer von: " in done.stderr


LAMPS = """
kind = "station"
name = "press-1"

[hardware]
line_stop = { pin = 25 }

[hardware.tower]
tiers = [{ colour = "red", pin = 12 }]
"""


def test_the_lamp_test_and_the_broker_in_the_terminals_language(tmp_path: Path) -> None:
    config = tmp_path / "station.toml"
    config.write_text(LAMPS, encoding="utf-8")

    lamps = andon_in("zh_CN.UTF-8", "lamp-test", "--config", str(config), "--sim", "--step-s", "0")
    broker = andon_in("de_DE.UTF-8", "broker", "--host", "0.0.0.0")

    assert lamps.returncode == 0, lamps.stderr
    assert "  1. 灯塔第 1 层（red）：on  [模拟：亮：" in lamps.stdout
    assert "停线继电器：停止（通电）" in lamps.stdout
    assert lamps.stdout.rstrip().endswith("完成：所有输出均已关闭")
    assert broker.returncode == 2
    assert broker.stderr.startswith("Fehler: --host 0.0.0.0 ist keine Loopback-Adresse")


INPUTS = """
kind = "station"
name = "press-1"

[hardware.buttons]
help = { pin = 17 }

[hardware.counter]
pin = 5
"""


def test_the_hal_monitor_in_german(tmp_path: Path) -> None:
    config = tmp_path / "station.toml"
    config.write_text(INPUTS, encoding="utf-8")

    done = andon_in(
        "de_DE.UTF-8", "hal-monitor", "--config", str(config), "--sim", "--seconds", "0"
    )

    assert done.returncode == 0, done.stderr
    assert "beobachte button.help an GPIO17 (Pull-up, aktiv low)" in done.stdout
    assert "Taste help: gedrückt" in done.stdout and "Zähler: Gutteil +1" in done.stdout
    assert "simulierter Durchgang fertig" in done.stdout


def test_provision_lists_every_problem_of_the_files_in_the_terminals_language(
    tmp_path: Path,
) -> None:
    station = tmp_path / "station-a1.toml"
    text = (DEMO / "station-a1.toml").read_text(encoding="utf-8")
    text = text.replace('plant = "plant.toml"', f'plant = "{DEMO / "plant.toml"}"\nbogus = 1')
    station.write_text(text, encoding="utf-8")
    plant = DEMO / "plant.toml"
    args = ("provision", "--plant", str(plant), "--out", str(tmp_path / "out"), "--files")

    german = andon_in("de_DE.UTF-8", *args, str(plant), str(station))
    english = andon_in("C.UTF-8", *args, str(plant), str(station))

    assert german.returncode == english.returncode == 1
    assert german.stderr.startswith("Fehler: ungültige Konfiguration:\n  ")
    assert (
        f"\n  {plant}: erwartet eine station-, board-, store- oder notify-Datei, "
        "erhalten: eine plant-Datei" in german.stderr
    )
    assert f"\n  {station}: bogus: " in german.stderr
    assert english.stderr.startswith("error: invalid configuration:\n  ")
    assert f"\n  {station}: bogus: unknown key" in english.stderr
    german_issue = german.stderr.split(f"{station}: bogus: ")[1]
    english_issue = english.stderr.split(f"{station}: bogus: ")[1]
    assert german_issue != english_issue  # the configuration problem is German too


def test_a_language_andon_does_not_ship_is_refused_in_the_terminals_language() -> None:
    board = ROOT / "tests" / "board" / "config" / "board.toml"
    german = andon_in("de_DE.UTF-8", "board", "--config", str(board), "--language", "xx")
    chinese = andon_in("zh_TW.UTF-8", "demo", "--language", "xx")

    shipped = ", ".join(shipped_languages())
    assert german.returncode == chinese.returncode == 2
    assert german.stderr == (
        f"Fehler: --language: 'xx' ist keine mitgelieferte Sprache (mitgeliefert: {shipped})\n"
    )
    assert chinese.stderr == f"--language：'xx' 不是已提供的語言（已提供：{shipped}）\n"


def test_a_folder_without_a_plant_file_is_named_in_the_terminals_language(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'history.sqlite'}"
    done = andon_in("de_DE.UTF-8", "report", "--config", str(tmp_path), "--database", url)
    assert done.returncode == 2
    plant = tmp_path / "plant.toml"
    assert done.stderr == f'{plant}: erwartet eine Werksdatei (kind = "plant"), keine gefunden\n'


def test_provision_says_what_it_wrote_in_whole_chinese_sentences(tmp_path: Path) -> None:
    out = tmp_path / "out"
    done = andon_in(
        "zh_CN.UTF-8", "provision", "--plant", str(DEMO / "plant.toml"), "--out", str(out)
    )

    assert done.returncode == 0, done.stderr
    assert f"代理文件在 {out / 'broker'}/；在代理主机上这样安装：\n" in done.stdout
    assert (
        f"  sudo deploy/install.sh --role broker --broker-files {out / 'broker'}\n" in done.stdout
    )
    assert "（新密码）" in done.stdout and "(" not in done.stdout.replace("(mqtt", "")


def test_a_failed_broker_restart_is_one_sentence_in_german(monkeypatch) -> None:
    import pytest

    from andon.cli.commands.watchdog import run_command

    monkeypatch.setenv("LANGUAGE", "de")
    with pytest.raises(RuntimeError) as failed:
        run_command(["sh", "-c", "echo kaputt >&2; exit 3"])
    assert str(failed.value) == "sh -c 'echo kaputt >&2; exit 3' endete mit Status 3: kaputt"
