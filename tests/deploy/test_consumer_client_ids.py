"""The site historian, the notifiers and the store boards are bound to their client ids too.

``andon provision`` gives each of them a secret client id in its bundle, and the broker
binds its account to it (as for stations, see test_client_ids.py). On a real Mosquitto:
``andon historian`` connects under its bound id and keeps its persistent session; other
accounts under the historian's predictable ids are refused and do not kick it off; its
credentials under any other id are refused; ``andon doctor`` logs in beside it with its
doctor account.
"""

from __future__ import annotations

import re
import subprocess
import sys
import time
from dataclasses import replace
from pathlib import Path

from andon.config.loader import load_notify, load_plant, load_store
from andon.doctor.broker import check_broker
from andon.doctor.result import Status
from andon.historian.service import Historian
from andon.notify.service import Notifier
from andon.store.assemble import build_store

from .conftest import DEMO_PLANT, WAIT_S, Connect, Inbox, Plant
from .test_broker_acl import SUPERVISOR
from .test_client_ids import refused

HISTORIAN = "historian.history"
NOTIFIER = "notifier.maintenance"
STORE = "store.store"
STATUS = "andon/demo-plant/_historians/history/status"
"""The historian's retained status (online while it runs)."""
DEFAULT_ID = "andon-historian-history"
"""The id an unprovisioned historian named ``history`` connects under."""


def secret_id(plant: Plant, username: str) -> str:
    client_id = load_plant(plant.bundle(username) / "plant.toml").broker.client_id
    assert client_id is not None and re.fullmatch(
        re.escape(username) + r"\.[0-9a-f]{16}", client_id
    )
    return client_id


def clientids(plant: Plant) -> dict[str, str]:
    import json

    text = (plant.result.broker_dir / "clientids.json").read_text()
    return {c["username"]: c["clientid"] for c in json.loads(text)["clients"]}


def test_the_broker_binds_the_historian_notifiers_and_store_boards(plain_plant: Plant) -> None:
    bound = clientids(plain_plant)
    for username in (HISTORIAN, NOTIFIER, STORE):
        assert bound[username] == secret_id(plain_plant, username)


def start_historian(plant: Plant, tmp_path: Path) -> subprocess.Popen[bytes]:
    bundle = plant.bundle(HISTORIAN)
    command = [
        sys.executable, "-m", "andon", "historian", "--config", str(bundle / "plant.toml"),
        "--name", "history", "--database", f"sqlite:///{tmp_path / 'history.sqlite'}",
        "--broker", f"127.0.0.1:{plant.result.layout.plain.port}",
    ]  # fmt: skip
    return subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)


def stop(process: subprocess.Popen[bytes]) -> str:
    if process.poll() is None:
        process.terminate()
    out, _ = process.communicate(timeout=30)
    return out.decode()


def online(message_payload: bytes) -> bool:
    return b'"online": true' in message_payload or b'"online":true' in message_payload


def wait_status(statuses: Inbox, want_online: bool, after: int = 0) -> None:
    deadline = time.monotonic() + WAIT_S * 3
    while time.monotonic() < deadline:
        if any(online(m.payload) == want_online for m in statuses.messages[after:]):
            return
        time.sleep(0.05)
    raise AssertionError(f"no status online={want_online}: {statuses.messages[after:]}")


def test_the_historian_runs_under_its_bound_id_and_no_other_account_kicks_it_off(
    plain_plant: Plant, connect: Connect, tmp_path: Path
) -> None:
    client_id = secret_id(plain_plant, HISTORIAN)
    statuses = Inbox()
    connect(plain_plant.settings("monitor"), subscribe={STATUS: statuses})
    historian = start_historian(plain_plant, tmp_path)
    try:
        wait_status(statuses, want_online=True)
        assert f" as {client_id} " in plain_plant.broker.log()
        seen = len(statuses.messages)
        for guess in (DEFAULT_ID, HISTORIAN, client_id):
            assert refused(plain_plant.settings(SUPERVISOR, client_id=guess, clean_session=False))
        time.sleep(0.3)  # the broker would have closed the historian's connection by now
        assert historian.poll() is None
        assert f"Client {client_id} already connected" not in plain_plant.broker.log()
        assert all(online(m.payload) for m in statuses.messages[seen:])  # no will sent
    finally:
        output = stop(historian)
    assert historian.returncode == 0, output


def test_the_historians_credentials_under_any_other_id_are_refused(plain_plant: Plant) -> None:
    own = plain_plant.settings(HISTORIAN)
    assert own.client_id == secret_id(plain_plant, HISTORIAN)
    other = secret_id(plain_plant, NOTIFIER)
    for wrong in ("", DEFAULT_ID, HISTORIAN, other):
        assert refused(replace(own, client_id=wrong, clean_session=True)), wrong
    assert not refused(replace(own, clean_session=False))


def test_notifiers_and_store_boards_connect_only_under_their_bound_ids(
    plain_plant: Plant,
) -> None:
    defaults = {NOTIFIER: "andon-notify-maintenance", STORE: "andon-store-demo-plant-store"}
    for username, default in defaults.items():
        own = plain_plant.settings(username)
        for wrong in ("", default, username):
            assert refused(replace(own, client_id=wrong)), (username, wrong)
        assert not refused(own), username


def test_the_notifier_and_store_board_use_the_ids_of_their_bundles(
    plain_plant: Plant, tmp_path: Path
) -> None:
    notify = load_notify(plain_plant.bundle(NOTIFIER) / "notify.toml")
    notify = notify.model_copy(update={"queue": tmp_path / "queue.sqlite"})
    senders = {channel.id: print for channel in notify.channels}  # never called: not started
    notifier = Notifier(notify, senders)
    try:
        assert notifier.broker.client_id == secret_id(plain_plant, NOTIFIER)
    finally:
        notifier.stop()
    store = load_store(plain_plant.bundle(STORE) / "store.toml")
    runtime = build_store(store, sim=True)
    try:
        assert runtime.board.bus is not None
        assert runtime.board.bus.settings.client_id == secret_id(plain_plant, STORE)
    finally:
        runtime.board.stop()


def test_the_doctor_logs_in_beside_each_bound_consumer(plain_plant: Plant) -> None:
    for username, doctor in (
        (HISTORIAN, "doctor-historian.history"),
        (NOTIFIER, "doctor-notifier.maintenance"),
        (STORE, "doctor-store.store"),
    ):
        settings = plain_plant.doctor_settings(username)
        assert settings.username == doctor
        result = check_broker(settings)
        assert result.status is Status.OK, result.detail
        assert f"accepted user {doctor}" in result.detail


def test_a_historian_uses_its_bound_id_when_provisioned_and_its_name_when_not(
    plain_plant: Plant, tmp_path: Path
) -> None:
    url = f"sqlite:///{tmp_path / 'h.sqlite'}"
    provisioned = load_plant(plain_plant.bundle(HISTORIAN) / "plant.toml")
    bound = Historian.for_plant(provisioned, url, name="history")
    assert bound.broker.client_id == secret_id(plain_plant, HISTORIAN)
    assert not bound.broker.clean_session
    demo = Historian.for_plant(load_plant(DEMO_PLANT), url, name="history")
    assert demo.broker.client_id == DEFAULT_ID


def test_against_the_doctor_accounts_the_binding_rests_on_the_id_being_secret(
    plain_plant: Plant,
) -> None:
    """The plugin binds an account to an id, not an id to an account. Every client's
    account is bound to its own id, so none may take the historian's; a doctor account is
    bound to none, so one that knows the historian's id (from its plant copy) may connect
    under it. So bundles stay private."""
    known = secret_id(plain_plant, HISTORIAN)
    assert refused(plain_plant.settings(SUPERVISOR, client_id=known))
    doctor = plain_plant.doctor_settings("station.line-a.a1")
    assert not refused(replace(doctor, client_id=known))
