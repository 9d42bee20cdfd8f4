"""A value not of its own form (a time of day, a time zone, a delivery cycle, an enterprise
file's broker) is refused in the terminal's language, with the file and the key."""

from __future__ import annotations

from pathlib import Path

import pytest

from andon.cli.main import main
from tests.config.config_samples import PLANT, edit


def _check(tmp_path: Path, text: str, capsys: pytest.CaptureFixture[str]) -> str:
    path = tmp_path / "plant.toml"
    path.write_text(text)
    assert main(["check-config", str(path)]) == 1
    return capsys.readouterr().err


def test_a_plants_values_of_their_own_form_are_refused_in_german(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LANGUAGE", "de")
    text = edit(PLANT, 'timezone = "Europe/Berlin"', 'timezone = "Europe/Atlantis"')
    text = edit(text, 'start = "06:00"', 'start = "6h"')
    text = edit(text, "box_quantity = 100", 'box_quantity = 100\ndelivery_cycle = "1-6"')
    err = _check(tmp_path, text, capsys)
    expected = [
        'site.timezone: erwartet einen IANA-Zeitzonennamen wie "Europe/Berlin", '
        'erhalten: "Europe/Atlantis"',
        'calendar.shifts[0].start: erwartet eine Uhrzeit "HH:MM" zwischen 00:00 und 23:59, '
        'erhalten: "6h"',
        'parts[0].delivery_cycle: erwartet einen Lieferzyklus "a-b-c" aus ganzen Zahlen, '
        'z. B. "1-6-2", erhalten: "1-6"',
    ]
    for sentence in expected:
        assert sentence in err


def test_an_enterprise_files_broker_is_refused_in_chinese(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    plant = tmp_path / "plant.toml"
    plant.write_text(PLANT)
    enterprise = tmp_path / "enterprise.toml"
    enterprise.write_text(
        'kind = "enterprise"\nschema = 1\n[enterprise]\nid = "acme"\nname = "ACME"\n'
        '[broker]\nhost = "broker.acme"\nport = 8883\ntls = true\nfailover = ["b2"]\n'
        "[bridge]\nrestart_min_s = 60\nrestart_max_s = 30\n"
    )
    monkeypatch.setenv("LANGUAGE", "zh_CN")
    args = ["provision", "--plant", str(plant), "--out", str(tmp_path / "out")]
    assert main([*args, "--enterprise", str(enterprise)]) != 0
    err = capsys.readouterr().err
    assert 'broker.failover[0]：应为端口在 1..65535 之间的 "host:port"，实际为 "b2"' in err
    assert "bridge：restart_max_s 应 ≥ restart_min_s（60），实际为 30" in err
    enterprise.write_text(enterprise.read_text().replace('failover = ["b2"]\n', ""))
    assert main([*args, "--enterprise", str(enterprise)]) != 0
    assert "broker：tls = true 时应给出 ca_file（企业代理的 CA）" in capsys.readouterr().err
