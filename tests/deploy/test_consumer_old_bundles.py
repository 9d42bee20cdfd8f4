"""A historian, notifier or store bundle from before the broker bound them (no
``client_id``) is refused by its command, naming the plant copy and the key, in the
terminal's language, instead of the broker's bare "not authorised"."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from tests.support.cli import DEMO_CHANNEL_URLS, andon_in

from .conftest import REPO, Plant
from .test_consumer_client_ids import HISTORIAN, NOTIFIER, STORE
from .test_viewer_client_ids import old_bundle

EXPECTED = {
    "zh_CN": "应有 andon provision 为账户 {account} 分配的客户端 ID",
    "de": "erwartet die Client-ID, die andon provision dem Konto {account} gibt",
    "en": "expected the client id andon provision gives the account {account}",
}


def andon(language: str, *args: str) -> subprocess.CompletedProcess[str]:
    return andon_in(language, *args, cwd=REPO, env=DEMO_CHANNEL_URLS, timeout=60)


@pytest.mark.parametrize("language", ["zh_CN", "de", "en"])
def test_old_historian_notifier_and_store_bundles_are_refused_naming_the_key(
    plain_plant: Plant, tmp_path: Path, language: str
) -> None:
    port = str(plain_plant.result.layout.plain.port)
    bundles = {
        name: old_bundle(plain_plant, name, tmp_path) for name in (HISTORIAN, NOTIFIER, STORE)
    }
    database = f"sqlite:///{tmp_path / 'history.sqlite'}"
    runs = {
        HISTORIAN: andon(
            language, "historian", "--config", str(bundles[HISTORIAN] / "plant.toml"),
            "--name", "history", "--database", database, "--broker", f"127.0.0.1:{port}",
        ),
        NOTIFIER: andon(language, "notify", "--config", str(bundles[NOTIFIER] / "notify.toml")),
        STORE: andon(
            language, "store", "--config", str(bundles[STORE] / "store.toml"), "--sim",
            "--seconds", "1",
        ),
    }  # fmt: skip
    for account, done in runs.items():
        copy = bundles[account] / "plant.toml"
        assert done.returncode == (2 if account == HISTORIAN else 1), (account, done.stderr)
        assert f"{copy}" in done.stderr and "broker.client_id" in done.stderr, done.stderr
        assert EXPECTED[language].format(account=account) in done.stderr, done.stderr
    assert not (tmp_path / "history.sqlite").exists()  # refused before the database opened
