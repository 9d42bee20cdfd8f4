"""The history page: the report ``andon report --format html`` writes, from the same
history, served by the web view."""

from __future__ import annotations

import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pytest

from andon.board.catalogue import BoardCatalogue
from andon.board.model import BoardModel
from andon.historian.render import PACE_TITLE
from andon.i18n import translator
from andon.web.config import WebSetup
from andon.web.hub import Hub
from andon.web.server import WebServer, make_site
from tests.support.pace_history import pace_history
from tests.support.stations import DEMO
from tests.web.conftest import PHONE, PIN

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
        done = andon(
            "report", "--config", str(DEMO), "--database", history, "--line", "line-a",
            "--day", "--at", "2026-03-04", "--format", "html",
        )  # fmt: skip
        assert done.returncode == 0, done.stderr
        body = done.stdout.split("<body>", 1)[1].split("</body>", 1)[0]
        assert "<svg" in body
        # one report code, one report: the file's body inside the web view's page
        assert f'<article class="report">{body}</article>' in answer.text
        assert '<nav><a href="/">' in answer.text and 'href="/history">' in answer.text
        assert '<a class="back" href="/history">' in answer.text
        link = re.search(r'href="(/history/report\?[^"]*file=1)"', answer.text)
        assert link is not None
        file = client.get(link.group(1).replace("&amp;", "&"))
        assert file.status_code == 200 and file.text == done.stdout  # the file, as written
        assert "default-src 'none'" in file.headers["content-security-policy"]
        empty = client.get("/history/report", params={**query, "at": "2025-01-01"})
        assert empty.status_code == 404 and "no events" in empty.text
        assert client.get("/history/report", params={"period": "year"}).status_code == 404


PACE_ROW = """() => [...document.querySelectorAll('table.cards tr')].slice(1).map(
    row => [...row.cells].map(cell => cell.textContent))"""
OUTSIDE = """(width) => [...document.querySelectorAll('table.cards td')].filter(
    cell => cell.getBoundingClientRect().right > width).map(cell => cell.textContent)"""


@pytest.mark.parametrize("language", ["en", "zh_CN", "de"])
def test_the_history_report_shows_the_pace_periods_of_the_report_on_a_phone(
    language: str,
    tmp_path_factory: pytest.TempPathFactory,
    web_setup: Callable[..., WebSetup],
    serve: Callable[..., WebServer],
    browser: Any,
    artefacts: Path,
) -> None:
    """On a 360-px phone the report sits in the web view's page (its header and navigation,
    a link back to the form), its pace periods are cards that fit the screen, each figure
    the one ``andon report`` prints for the same line and day (a real SQLite history whose
    line A ran too slow and too fast)."""
    history = pace_history(tmp_path_factory.mktemp("pace"))
    setup = web_setup(historian=history, language=language)
    catalogue = BoardCatalogue.from_board(setup.board)
    server = serve(setup, make_site(setup, hub=Hub(catalogue, BoardModel(catalogue), None)))
    done = andon(
        "report", "--config", str(DEMO), "--database", history, "--line", "line-a",
        "--day", "--at", "2026-03-04", "--language", language,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    title = translator(language).gettext(PACE_TITLE)
    table = done.stdout.split(title + "\n", 1)[1].split("\n\n", 1)[0].splitlines()
    printed = re.split(r" {2,}", table[2].strip())[1:]  # the minutes and shares, after the name
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    page.goto(server.url + "/sign-in")
    page.fill("input[name=badge]", "2001")
    page.fill("input[name=pin]", PIN)
    page.click("button[type=submit]")
    page.wait_for_url(server.url + "/")
    page.goto(server.url + "/history")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.screenshot(path=str(artefacts / f"history-phone-{language}.png"), full_page=True)
    page.goto(server.url + "/history/report?period=day&line=line-a&at=2026-03-04")
    header = page.locator("header nav")
    assert header.is_visible() and header.locator('a[href="/history"]').is_visible()
    rows = page.evaluate(PACE_ROW)
    assert [row[1:] for row in rows] == [printed]
    assert printed[:4] == (
        ["410.1", "40.4%", "433.5", "42.7%"] if language != "de"
        else ["410,1", "40,4\xa0%", "433,5", "42,7\xa0%"]
    )  # fmt: skip
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert page.evaluate(OUTSIDE, PHONE["width"]) == []
    page.screenshot(path=str(artefacts / f"history-report-phone-{language}.png"), full_page=True)
    back = page.locator("a.back")
    box = back.bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
    back.click()  # the way back on a phone: the history form, in the web view
    page.wait_for_url(server.url + "/history")
    assert page.locator("form[action='/history/report']").is_visible()
    context.close()
