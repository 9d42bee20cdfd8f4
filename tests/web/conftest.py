"""Fixtures of the web tests: a web file and people file, a served site, a real Chromium.

* ``web_setup(**web_keys)`` writes a web file (the demo's board) and a people file
  whose PINs are all :data:`PIN`, and loads them;
* ``serve(site)`` starts uvicorn on a free loopback port in a thread (stopped after);
* ``browser``: Debian's Chromium driven by Playwright (no browser download), one per
  test module (see :func:`playwright_instance`).
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from andon.web.config import WebSetup, load_web
from andon.web.pins import hash_pin
from andon.web.server import WebServer
from andon.web.site import Site
from tests.conftest import free_port
from tests.support.stations import DEMO

PIN = "4711"
ROLES = {
    "1001": "operator",
    "2001": "supervisor",
    "3001": "maintenance",
    "4001": "store",
}
CHROMIUM = "/usr/bin/chromium"


@pytest.fixture(scope="session")
def artefacts(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Where the screenshots of each page go (review artefacts, docs/web.md): the folder
    ``ANDON_WEB_ARTEFACTS`` names, else ``web-screenshots`` in pytest's temporary folder."""
    named = os.environ.get("ANDON_WEB_ARTEFACTS")
    folder = Path(named) if named else tmp_path_factory.getbasetemp() / "web-screenshots"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return f'"{value}"'
    if isinstance(value, list):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    return str(value)


@pytest.fixture(scope="session")
def pin_hash() -> str:
    return hash_pin(PIN)


@pytest.fixture
def web_setup(tmp_path: Path, pin_hash: str) -> Callable[..., WebSetup]:
    def make(**keys: Any) -> WebSetup:
        people = ['kind = "people"', "schema = 1"]
        for badge, role in ROLES.items():
            people += [
                "",
                "[[person]]",
                f'badge = "{badge}"',
                f'pin_hash = "{pin_hash}"',
                f'roles = ["{role}"]',
            ]
        (tmp_path / "people.toml").write_text("\n".join(people) + "\n")
        values: dict[str, Any] = {
            "plant": str(DEMO / "plant.toml"),
            "id": "web",
            "listen": f"127.0.0.1:{free_port()}",
            "people": "people.toml",
        }
        values.update(keys)
        lines = ['kind = "web"', "schema = 1"]
        lines += [f"{key} = {_toml_value(value)}" for key, value in values.items()]
        (tmp_path / "web.toml").write_text("\n".join(lines) + "\n")
        return load_web(tmp_path / "web.toml")

    return make


@pytest.fixture
def serve() -> Iterator[Callable[..., WebServer]]:
    started: list[WebServer] = []

    def start(setup: WebSetup, site: Site | None = None, **options: Any) -> WebServer:
        server = WebServer.from_setup(setup, site, **options).start()
        started.append(server)
        return server

    yield start
    for server in started:
        server.stop()


@pytest.fixture(scope="module")
def playwright_instance() -> Iterator[Any]:
    """Playwright's sync API, for one test module at a time: while it runs, its event loop
    is the thread's running loop, so ``asyncio.run`` (Textual's pilot) of a later module
    would refuse to start; stopping it with the module frees the loop."""
    if not shutil.which(CHROMIUM) and not os.path.exists(CHROMIUM):
        if os.environ.get("CI"):
            pytest.fail("chromium is not installed (apt-get install chromium)")
        pytest.skip("chromium is not installed (apt-get install chromium)")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        yield playwright


@pytest.fixture(scope="module")
def browser(playwright_instance: Any) -> Iterator[Any]:
    browser = playwright_instance.chromium.launch(executable_path=CHROMIUM)
    yield browser
    browser.close()


PHONE = {"width": 360, "height": 740}
TV = {"width": 1920, "height": 1080}
