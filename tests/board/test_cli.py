"""``andon board``: errors, a real terminal (pty), and the browser view (textual-serve)."""

from __future__ import annotations

import contextlib
import os
import pty
import select
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from andon.board.app import BoardApp
from andon.board.run import build_app, serve_command
from andon.cli.main import main
from andon.config.loader import load_board
from tests.board.scenario import CONFIG
from tests.conftest import free_port

BOARD = CONFIG / "board.toml"


def test_a_missing_or_bad_board_file_is_a_clear_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["board", "--config", str(tmp_path / "nope.toml")]) == 2
    assert "no such file" in capsys.readouterr().err
    bad = tmp_path / "bad.toml"
    bad.write_text(BOARD.read_text().replace('role = "supervisor"', 'role = "boss"'))
    (tmp_path / "plant.toml").write_text((CONFIG / "plant.toml").read_text())
    assert main(["board", "--config", str(bad)]) == 2
    assert "role" in capsys.readouterr().err


@pytest.mark.parametrize("address", ["localhost:", "localhost:x", "[::1]1883", ":1883"])
def test_broker_option_must_be_host_and_port(
    capsys: pytest.CaptureFixture[str], address: str
) -> None:
    with pytest.raises(SystemExit):
        main(["board", "--config", str(BOARD), "--broker", address])
    assert f"expected HOST:PORT, got {address!r}" in capsys.readouterr().err


def test_build_app_uses_the_plant_broker_and_the_options() -> None:
    app = build_app(load_board(BOARD), operator="Mehmet Yilmaz", kiosk=True, start_mode="calls")
    assert isinstance(app, BoardApp)
    assert app.feed is not None
    assert app.feed.settings.endpoint == "127.0.0.1:1883"
    assert (app.operator, app.kiosk, app.start_mode) == ("Mehmet Yilmaz", True, "calls")


def test_the_operator_comes_from_the_option_then_the_board_file() -> None:
    store = load_board(CONFIG / "store.toml")
    assert build_app(store).operator == "Tom Berger"
    assert build_app(store, operator="Mehmet Yilmaz").operator == "Mehmet Yilmaz"
    assert build_app(load_board(BOARD)).operator == "board supervisor"


def test_serve_command_runs_this_board_again_with_the_options() -> None:
    command = serve_command(Path("tests/board/config/board.toml"), ["--kiosk"])
    assert command.startswith(sys.executable)
    assert " -m andon board --config " in command
    assert str(BOARD.absolute()) in command
    assert command.endswith("--kiosk")


def _read_until(fd: int, *needles: bytes, timeout: float) -> bytes:
    """Read the terminal until every needle was shown."""
    seen = b""
    deadline = time.monotonic() + timeout
    while not all(needle in seen for needle in needles):
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise AssertionError(f"{needles!r} not all seen; got {seen[-2000:]!r}")
        ready, _, _ = select.select([fd], [], [], remaining)
        if ready:
            try:
                seen += os.read(fd, 65536)
            except OSError:
                break
    return seen


def _drain(fd: int, seconds: float) -> None:
    """Read what the terminal shows for a while (a full pty would block the board)."""
    ready, _, _ = select.select([fd], [], [], seconds)
    if ready:
        with contextlib.suppress(OSError):
            os.read(fd, 65536)


def test_the_board_runs_in_a_terminal_and_quits_on_q() -> None:
    port = free_port()  # nobody listens: the board shows that it cannot reach the broker
    pid, fd = pty.fork()
    if pid == 0:  # the child: the board in the pty
        os.environ.update(TERM="xterm-256color", COLUMNS="100", LINES="30")
        os.execv(
            sys.executable,
            [
                sys.executable,
                "-m",
                "andon",
                "board",
                "--config",
                str(BOARD),
                "--broker",
                f"127.0.0.1:{port}",
            ],
        )
    try:
        _read_until(fd, b"BROKER LOST", b"Assembly line A", timeout=30)
        os.write(fd, b"q")
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            done, status = os.waitpid(pid, os.WNOHANG)
            if done:
                assert os.waitstatus_to_exitcode(status) == 0
                return
            _drain(fd, 0.2)
        raise AssertionError("the board did not quit on q")
    finally:
        try:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
        except (ProcessLookupError, ChildProcessError):
            pass
        os.close(fd)


def test_serve_gives_browsers_the_board_on_loopback() -> None:
    port = free_port()
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "andon",
            "board",
            "--config",
            str(BOARD),
            "--serve",
            "--port",
            str(port),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2) as response:
                    page = response.read().decode()
                break
            except OSError:
                assert process.poll() is None, process.stdout.read() if process.stdout else ""
                assert time.monotonic() < deadline, "the board was not served in time"
                time.sleep(0.1)
        assert "Assembly - supervisor board" in page
        assert '<html lang="en">' in page
        for remote in ("googleapis", "https://", "//fonts."):
            assert remote not in page, f"the page fetches {remote}"
        assert "Noto Sans Mono CJK SC" in page
    finally:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(5)
        if process.stdout:
            process.stdout.close()


def test_a_screen_host_chooses_its_language_and_an_unknown_one_is_refused() -> None:
    from andon.cli.commands.board import with_language
    from andon.config.loader import load_board

    board = load_board(BOARD)
    assert with_language(board, None).shown_language == board.shown_language
    assert with_language(board, "zh-tw").shown_language == "zh_TW"
    done = subprocess.run(
        [sys.executable, "-m", "andon", "board", "--config", str(BOARD), "--language", "xx"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2 and "--language" in done.stderr and "zh_CN" in done.stderr


def test_an_enterprise_password_without_its_account_is_said_in_the_terminals_language(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    enterprise = tmp_path / "enterprise.toml"
    enterprise.write_text(
        'kind = "enterprise"\nschema = 1\n[enterprise]\nid = "acme"\nname = "ACME"\n'
        '[broker]\nhost = "localhost"\nport = 1883\ntls = false\n'
    )
    password = tmp_path / "board.password"
    password.write_text("secret\n")
    args = ["board", "--config", str(BOARD), "--enterprise", str(enterprise)]
    args += ["--enterprise-password-file", str(password)]
    monkeypatch.setenv("LANGUAGE", "de")
    assert main(args) == 2
    err = capsys.readouterr().err
    assert f"--enterprise-password-file {password}: erwartet auch --enterprise-username" in err
    assert "needs a username" not in err and "ValueError" not in err
    monkeypatch.setenv("LANGUAGE", "zh_CN")
    assert main(args) == 2
    assert "还应给出 --enterprise-username" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("de", "e.toml: broker: die Einstellungen sind nicht verwendbar: port: erwartet 1..65535"),
        ("zh_CN", "e.toml：broker：这些设置无法使用：port：应为 1..65535，实际为 0"),
        ("zh_TW", "e.toml：broker：這些設定無法使用：port：應為 1..65535，實際為 0"),
        ("en", "e.toml: broker: the settings cannot be used: port: expected 1..65535, got 0"),
    ],
)
def test_the_enterprise_brokers_unusable_settings_are_said_in_the_readers_language(
    language: str, expected: str
) -> None:
    from andon.bus.credentials import BrokerSettings
    from andon.cli import speech
    from andon.i18n import translator
    from andon.provision import errors

    # the sentence andon.board.run.enterprise_settings raises around the settings' own error
    with pytest.raises(ValueError) as caught:
        BrokerSettings(host="broker.acme", port=0)
    error = errors.ProvisionError(
        errors.ENTERPRISE_BROKER_UNUSABLE.format(file="e.toml", error=caught.value)
    )
    assert expected in speech.provision(error, translator(language))


def test_a_password_file_the_board_cannot_use_is_said_in_the_readers_language(
    tmp_path: Path,
) -> None:
    from andon.bus.credentials import CredentialsError, read_password
    from andon.cli import speech
    from andon.i18n import translator

    empty = tmp_path / "board.password"
    empty.write_text("")
    with pytest.raises(CredentialsError) as caught:
        read_password(empty)
    assert speech.broker(caught.value, translator("de")) == f"Passwortdatei {empty} ist leer"
