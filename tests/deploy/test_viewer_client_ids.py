"""Boards, web boards and the monitor are bound to their client ids, as every client.

``andon provision`` gives each of them a secret client id in its bundle, and the broker
binds its account to it. On a real Mosquitto: a board and an ``andon web`` server
connect under their bundles' ids; another account of the plant under such an id is
refused and the board stays connected; the board's own account under any other id is
refused; ``andon doctor`` logs in with each one's doctor account; a bundle from before
(no ``client_id``) is refused by the board, the web server and ``andon sim --as``,
naming its plant copy and the key.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import time
from dataclasses import replace
from pathlib import Path

from andon.board.run import build_app
from andon.config.loader import load_board
from andon.doctor.broker import check_broker
from andon.doctor.result import Status
from andon.web.config import load_web
from andon.web.server import WebServer, with_broker

from .conftest import DEMO_PLANT, HOST, REPO, WAIT_S, Plant
from .test_broker_acl import STATION_A1, SUPERVISOR
from .test_client_ids import refused
from .test_consumer_client_ids import clientids, secret_id

WEB = "web.web"
VIEWERS = (SUPERVISOR, WEB, "monitor")


def wait_until(condition: object, what: str) -> None:
    deadline = time.monotonic() + WAIT_S
    while not condition():  # type: ignore[operator]
        assert time.monotonic() < deadline, what
        time.sleep(0.02)


def test_the_broker_binds_boards_web_boards_and_the_monitor(plain_plant: Plant) -> None:
    bound = clientids(plain_plant)
    for username in VIEWERS:
        assert bound[username] == secret_id(plain_plant, username)
    clients = {p.name for p in (plain_plant.result.out / "clients").iterdir()}
    assert set(bound) == clients  # every account of the plant is bound


def test_a_board_connects_under_its_id_and_no_other_account_takes_it(plain_plant: Plant) -> None:
    client_id = secret_id(plain_plant, SUPERVISOR)
    board = load_board(plain_plant.bundle(SUPERVISOR) / "board.toml")
    app = build_app(board)  # from its bundle alone, as andon board --config starts it
    assert app.feed.bus.settings.client_id == client_id
    app.feed.start()
    try:
        wait_until(lambda: app.feed.bus.connected, "the board never connected")
        assert f" as {client_id} " in plain_plant.broker.log()
        for username in (STATION_A1, WEB, "monitor"):
            assert refused(plain_plant.settings(username, client_id=client_id)), username
        time.sleep(0.3)  # the broker would have closed the board's connection by now
        assert app.feed.bus.connected
        assert f"Client {client_id} already connected" not in plain_plant.broker.log()
    finally:
        app.feed.close()


def test_a_viewers_account_under_any_other_id_is_refused(plain_plant: Plant) -> None:
    for username in VIEWERS:
        own = plain_plant.settings(username)
        others = [secret_id(plain_plant, u) for u in VIEWERS if u != username]
        for wrong in ("", username, f"andon-{username}", *others):
            assert refused(replace(own, client_id=wrong)), (username, wrong)
        assert not refused(own), username


def test_one_web_server_connects_once_under_its_bundles_id(
    plain_plant: Plant, tmp_path: Path
) -> None:
    bundle = tmp_path / WEB
    shutil.copytree(plain_plant.bundle(WEB), bundle)
    shutil.copy(DEMO_PLANT.parent / "people.toml", bundle / "people.toml")
    setup = load_web(bundle / "web.toml")
    setup = replace(setup, web=setup.web.model_copy(update={"listen": f"{HOST}:0"}))
    broker = with_broker(setup, HOST, plain_plant.result.layout.plain.port)
    assert broker.client_id == secret_id(plain_plant, WEB)
    server = WebServer.from_setup(setup, broker=broker).start()
    try:
        log = plain_plant.broker.log
        wait_until(lambda: f" as {broker.client_id} " in log(), "the web server never connected")
        assert refused(plain_plant.settings(SUPERVISOR, client_id=broker.client_id))
        assert f"Client {broker.client_id} already connected" not in log()
    finally:
        server.stop()


def test_the_doctor_logs_in_beside_each_viewer(plain_plant: Plant) -> None:
    doctors = {SUPERVISOR: "doctor-board.supervisor", WEB: "doctor-web.web"}
    doctors["monitor"] = "doctor-monitor"
    for username, doctor in doctors.items():
        settings = plain_plant.doctor_settings(username)
        assert settings.username == doctor
        result = check_broker(settings)
        assert result.status is Status.OK, result.detail


def old_bundle(plant: Plant, username: str, into: Path) -> Path:
    """A copy of a bundle as provisioned before its account was bound: no client_id."""
    bundle = into / username
    shutil.copytree(plant.bundle(username), bundle)
    copy = bundle / "plant.toml"
    lines = copy.read_text().splitlines(keepends=True)
    kept = [line for line in lines if not line.startswith(("client_id", "doctor_username"))]
    assert len(kept) == len(lines) - 2
    copy.write_text("".join(kept))
    return bundle


def andon(*args: str) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "andon", *args]
    return subprocess.run(command, cwd=REPO, capture_output=True, text=True, timeout=60)


def test_an_old_bundle_without_its_client_id_is_refused_naming_the_file_and_key(
    plain_plant: Plant, tmp_path: Path
) -> None:
    board = old_bundle(plain_plant, SUPERVISOR, tmp_path)
    web = old_bundle(plain_plant, WEB, tmp_path)
    shutil.copy(DEMO_PLANT.parent / "people.toml", web / "people.toml")
    station = plain_plant.bundle("station.line-a.a3") / "station-a3.toml"
    runs = {
        "board": andon("board", "--config", str(board / "board.toml")),
        "web": andon("web", "--config", str(web / "web.toml")),
        "sim": andon(
            "sim", "--config", str(station), "--as", str(board / "board.toml"), "press", "help"
        ),
    }
    for name, done in runs.items():
        copy = (web if name == "web" else board) / "plant.toml"
        assert done.returncode == 2, (name, done.stdout, done.stderr)
        assert f"{copy}: broker.client_id: expected the client id andon provision" in done.stderr
        account = WEB if name == "web" else SUPERVISOR
        assert f"gives the account {account}" in done.stderr, name


def test_a_bound_board_is_not_served_one_process_per_browser(plain_plant: Plant) -> None:
    done = andon("board", "--config", str(plain_plant.bundle(SUPERVISOR) / "board.toml"), "--serve")
    assert done.returncode == 2, done.stdout
    assert f"the broker lets the account {SUPERVISOR} connect once" in done.stderr
    assert "andon web" in done.stderr
