"""The history page: the report ``andon report --format html`` writes, from the same
history, served by the web view."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable

import httpx
import pytest

from andon.board.catalogue import BoardCatalogue
from andon.board.model import BoardModel
from andon.web.config import WebSetup
from andon.web.hub import Hub
from andon.web.server import WebServer, make_site
from tests.support.stations import DEMO

SCENARIO = DEMO.parent / "scenarios" / "shift.toml"


def andon(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "andon", *args], capture_output=True, text=True, check=False
    )


@pytest.fixture(scope="module")
def history(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = f"sqlite:///{tmp_path_factory.mktemp('history') / 'history.sqlite'}"
    done = andon("simulate", str(DEMO), str(SCENARIO), "--historian", url, "-o", "/dev/null")
    assert done.returncode == 0, done.stderr
    return url


def test_the_history_page_serves_the_reports_of_the_report_command(
    history: str, web_setup: Callable[..., WebSetup], serve: Callable[..., WebServer]
) -> None:
    setup = web_setup(historian=history)
    catalogue = BoardCatalogue.from_board(setup.board)
    server = serve(setup, make_site(setup, hub=Hub(catalogue, BoardModel(catalogue), None)))
    with httpx.Client(base_url=server.url, follow_redirects=False, timeout=60) as client:
        assert client.get("/history").status_code == 303  # nothing anonymous
        form = client.get("/sign-in").text
        csrf = form.split('name="csrf" value="', 1)[1].split('"', 1)[0]
        signed = client.post("/sign-in", data={"csrf": csrf, "badge": "1001", "pin": "4711"})
        assert signed.status_code == 303
        page = client.get("/history").text
        assert 'action="/history/report"' in page and 'value="line-a"' in page
        query = {"period": "day", "line": "line-a", "at": "2026-03-04"}
        answer = client.get("/history/report", params=query)
        assert answer.status_code == 200
        assert "default-src 'none'" in answer.headers["content-security-policy"]
        done = andon(
            "report", "--config", str(DEMO), "--database", history, "--line", "line-a",
            "--day", "--at", "2026-03-04", "--format", "html",
        )  # fmt: skip
        assert done.returncode == 0, done.stderr
        assert answer.text == done.stdout  # one report code, one report
        assert "<svg" in answer.text
        empty = client.get("/history/report", params={**query, "at": "2025-01-01"})
        assert empty.status_code == 404 and "no events" in empty.text
        assert client.get("/history/report", params={"period": "year"}).status_code == 404
