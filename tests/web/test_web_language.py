"""``andon web`` says its errors and the web file's problems in the terminal's language."""

from __future__ import annotations

import io
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from andon.cli.main import main
from andon.web.config import WebSetup


def _run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("de", "Fehler: erwartet eine PIN mit 4 bis 64 Zeichen"),
        ("zh_CN", "错误：PIN 应为 4 到 64 个字符"),
        ("zh_TW", "錯誤：PIN 應為 4 到 64 個字元"),
        ("en", "error: expected a PIN of 4 to 64 characters"),
    ],
)
def test_a_pin_too_short_to_hash_is_refused_in_the_terminals_language(
    language: str,
    expected: str,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("LANGUAGE", language)
    monkeypatch.setattr(sys, "stdin", io.StringIO("12\n"))  # not a terminal: one line is read
    code, out, err = _run(capsys, "web", "--hash-pin")
    assert code == 2 and out == ""
    assert expected in err


def test_the_commands_own_errors_are_in_the_terminals_language(
    web_setup: Callable[..., WebSetup],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    web_setup()
    web = str(tmp_path / "web.toml")
    monkeypatch.setenv("LANGUAGE", "de")
    assert _run(capsys, "web")[2] == "Fehler: --config ist nötig (die Web-Datei)\n"
    assert _run(capsys, "web", "--config", web, "--speed", "0")[2] == (
        "--speed: erwartet eine Zahl größer als 0\n"
    )
    code, _, err = _run(capsys, "web", "--config", web, "--listen", "8080")
    assert code == 2
    assert err == '--listen: erwartet "host:port" wie "127.0.0.1:8080", erhalten: "8080"\n'
    secret = tmp_path / "secret"
    secret.write_text("too short\n")
    web_setup(secret_file=str(secret))
    monkeypatch.setenv("LANGUAGE", "zh_TW")
    code, out, err = _run(capsys, "web", "--config", web)
    assert code == 1 and out == ""
    assert err == f"錯誤：{secret}：金鑰應至少 32 位元組，實際為 9\n"


def test_the_web_files_problems_are_in_the_terminals_language(
    web_setup: Callable[..., WebSetup],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    web_setup()
    web = tmp_path / "web.toml"
    people = tmp_path / "people.toml"
    text = web.read_text()
    web.write_text(text.replace("listen = ", 'tls_cert = "cert.pem"\nlisten = '))
    monkeypatch.setenv("LANGUAGE", "zh_CN")
    code, _, err = _run(capsys, "web", "--config", str(web))
    assert code == 2 and f"{web}：tls_cert 与 tls_key 应一起给出" in err
    web.write_text(text)
    good = people.read_text()
    people.write_text(good.replace("scrypt$", "", 1))
    monkeypatch.setenv("LANGUAGE", "de")
    code, _, err = _run(capsys, "web", "--config", str(web))
    assert code == 2
    assert "person[0].pin_hash: erwartet einen mit `andon web --hash-pin` erzeugten PIN-Hash" in err
    people.write_text(good.replace('badge = "1001"', 'badge = "9999"'))
    code, _, err = _run(capsys, "web", "--config", str(web))
    assert code == 2
    expected = 'erwartet einen Badge aus den [[people]] der Werksdatei, erhalten: "9999"'
    assert f"person[0].badge: {expected}" in err
    people.write_text(good + good.split("\n\n", 1)[1])  # every person again
    code, _, err = _run(capsys, "web", "--config", str(web))
    assert code == 2 and "person[4].badge: Badge 1001 zweimal angegeben" in err


def test_a_good_web_files_summary_is_in_the_terminals_language(
    web_setup: Callable[..., WebSetup],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    setup = web_setup()
    monkeypatch.setenv("LANGUAGE", "de")
    code, out, _ = _run(capsys, "check-config", str(tmp_path / "web.toml"))
    assert code == 0
    assert f"(web: web, alle Linien, {setup.web.listen}, ohne TLS)" in out
    monkeypatch.setenv("LANGUAGE", "zh_TW")
    out = _run(capsys, "check-config", str(tmp_path / "people.toml"))[1]
    assert "（people：4 人）" in out
