"""``andon hal-monitor`` on simulated pins."""

from __future__ import annotations

import textwrap

from andon.cli.main import main

STATION = """
kind = "station"

[hardware]
acknowledge = { pin = 23 }
counter = { pin = 5 }
scrap = { pin = 6 }
fault = { pin = 13 }
downstream_full = { pin = 4, pull_up = false }

[hardware.buttons]
help = { pin = 17, long_press_s = 1.5 }

[[hardware.bins]]
pin = 19
part = "A-100"
settle_s = 2.0

[[hardware.bins]]
pin = 26
part = "B-200"
button = true

[[hardware.scanners]]
name = "kanban"
port = "/dev/andon-scanner"
terminator = "\\r\\n"
"""


def run_monitor(tmp_path, capsys, *extra: str) -> tuple[int, list[str]]:
    config = tmp_path / "station.toml"
    config.write_text(textwrap.dedent(STATION), encoding="utf-8")
    code = main(["hal-monitor", "--config", str(config), "--sim", "--seconds", "0", *extra])
    return code, capsys.readouterr().out.splitlines()


def test_every_input_change_is_printed(tmp_path, capsys) -> None:
    code, lines = run_monitor(tmp_path, capsys)
    assert code == 0
    assert "watching button.help on GPIO17 (pull-up, active low)" in lines
    assert "watching downstream_full on GPIO4 (pull-down, active high)" in lines
    assert any(line.startswith("watching scanner kanban on ") for line in lines)
    changes = [line.split(None, 1)[1] for line in lines if line[:9].strip()[:1].isdigit()]
    assert changes == [
        "button help: pressed",
        "button help: held (long press = cancel)",
        "acknowledge: pressed",
        "counter: good part +1",
        "counter: good part +1",
        "counter: good part +1",
        "scrap +1",
        "machine fault: ACTIVE",
        "machine fault: cleared",
        "downstream buffer: FULL",
        "downstream buffer: below standard",
        "bin A-100: EMPTY (call material)",
        "bin A-100: full again",
        "bin B-200: EMPTY (call material)",
        "scanner kanban: 'SIM-KANBAN-0001'",
    ]
    assert lines[-1] == "simulated walk done"


def test_times_are_seconds_since_start_on_the_simulated_clock(tmp_path, capsys) -> None:
    _, lines = run_monitor(tmp_path, capsys)
    times = [float(line.split()[0]) for line in lines if line[:9].strip()[:1].isdigit()]
    assert times == sorted(times)
    assert 0 < times[0] < 0.2  # the first short press, released after its debounce


def test_raw_edges_on_request(tmp_path, capsys) -> None:
    _, lines = run_monitor(tmp_path, capsys, "--raw")
    raw = [line.split(None, 1)[1] for line in lines if " raw " in line]
    assert raw[:2] == ["button.help: raw active", "button.help: raw inactive"]
    assert "bin.A-100: raw active" in raw


def test_a_bad_file_is_reported(tmp_path, capsys) -> None:
    config = tmp_path / "bad.toml"
    config.write_text('kind = "station"\n[hardware]\ncounter = { pin = "five" }\n')
    assert main(["hal-monitor", "--config", str(config), "--sim", "--seconds", "0"]) == 2
    assert f"{config}: hardware.counter.pin: Input should be a valid integer" in (
        capsys.readouterr().err
    )
