"""Shift-end reports through the notifier's channels: HTML mail to aiosmtpd, a chat summary.

The scripted early shift of line A (firmware_config/scenarios/shift.toml) is
simulated into a real SQLite history; after the shift's end the reporter mails
the HTML report to the people configured for it, each in their language, and
posts the summary to the group chat, once.
"""

from __future__ import annotations

import textwrap
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from andon.config.errors import ConfigError
from andon.config.loader import load_notify
from andon.historian.simulation import store_simulation
from andon.notify.channels import apprise_channels
from andon.notify.shift_reports import ShiftReporter
from andon.simulate.load import load_scenario
from andon.simulate.runner import run_scenario

from .conftest import ManualClock
from .servers import SmtpServer, WebhookServer, free_port

ROOT = Path(__file__).resolve().parents[2]
DEMO = ROOT / "firmware_config" / "demo"
SCENARIO = ROOT / "firmware_config" / "scenarios" / "shift.toml"
BERLIN = ZoneInfo("Europe/Berlin")

NOTIFY = """\
kind = "notify"
schema = 1
plant = "{plant}"
id = "reports"
queue = "queue.sqlite"

[[channels]]
id = "mail"
urls_file = "mail.url"

[[channels]]
id = "chat"
urls_file = "chat.url"
send_to = "group"

[[contacts]]
badge = "2001"
addresses = {{ mail = "mehmet@example.com" }}

[[contacts]]
badge = "1001"
addresses = {{ mail = "anna@example.com" }}
language = "de"

[[contacts]]
badge = "3001"
addresses = {{ mail = "lena@example.com" }}

[[routes]]
channels = ["mail"]

[[shift_reports]]
name = "line A"
history = "{history}"
lines = ["line-a"]
shifts = ["early"]
channels = ["mail", "chat"]
roles = ["supervisor"]
people = ["1001"]
"""


@pytest.fixture(scope="module")
def history(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = f"sqlite:///{tmp_path_factory.mktemp('history') / 'history.sqlite'}"
    store_simulation(run_scenario(load_scenario(SCENARIO, DEMO)), url)
    return url


def write(tmp_path: Path, history: str, smtp: SmtpServer, webhook: WebhookServer) -> Path:
    (tmp_path / "mail.url").write_text(smtp.url() + "\n")
    (tmp_path / "chat.url").write_text(webhook.url("/chat") + "\n")
    path = tmp_path / "notify.toml"
    path.write_text(NOTIFY.format(plant=DEMO / "plant.toml", history=history))
    return path


def reporter(path: Path, clock: ManualClock) -> ShiftReporter:
    config = load_notify(path)
    return ShiftReporter(
        config, apprise_channels(config, path), path.parent / "reports.sqlite", clock=clock
    )


def html(mail) -> str:
    part = mail.message.get_body(preferencelist=("html",))
    assert part is not None, "the report is an HTML mail"
    return str(part.get_content())


def test_the_shift_report_goes_to_the_people_and_the_chat_once(
    tmp_path: Path, history: str, smtp: SmtpServer, webhook: WebhookServer
) -> None:
    path = write(tmp_path, history, smtp, webhook)
    clock = ManualClock(datetime(2026, 3, 4, 14, 4, tzinfo=BERLIN))
    first = reporter(path, clock)
    try:
        assert first.run_once() == 0, "not before the shift's end + delay_s (300 s)"
        clock.advance(120)
        assert first.run_once() == 3  # two people by mail, one chat
    finally:
        first.stop()
    mails = smtp.box.wait_for(2)
    assert sorted(r for m in mails for r in m.recipients) == [
        "anna@example.com",
        "mehmet@example.com",
    ], "the supervisor (by role) and Anna (by badge); not Lena, a contact of neither"
    by_to = {m.recipients[0]: m for m in mails}
    english, german = by_to["mehmet@example.com"], by_to["anna@example.com"]
    assert english.subject == "Shift report Assembly line A: early, Mar 4, 2026"
    page = html(english)
    assert page.startswith("<!DOCTYPE html>") and "<svg" in page and "<script" not in page
    assert "168.8" in page and "162" in page and "90.0%" in page
    assert "<h2>Time by pace judgement (planned working time)</h2>" in page
    assert german.subject.startswith("Schichtbericht")
    assert "90,0\xa0%" in html(german)

    posts = webhook.wait_for(1)
    assert [p.path for p in posts] == ["/chat"]
    summary = posts[0].body["message"]
    assert posts[0].body["title"] == "Shift report Assembly line A: early, Mar 4, 2026"
    # The scripted shift by hand: plan 27 000 s / 160 s, 162 good and 2 scrap, OEE 90.0 %
    # (A 25 910 / 27 000, P 150 × 164 / 25 910, Q 162 / 164), 1 090 s of downtime: the
    # breakdown's 1 050 s and the help call's 40 s line stop.
    assert "Plan 168.8, actual 162 (96.0% of plan), scrap 2." in summary
    assert "OEE 90.0% = availability 96.0% × performance 94.9% × quality 98.8%." in summary
    assert "Downtime 18.2 min" in summary
    # the scripted shift keeps its pace: 10 min not judged, then normal
    assert "Pace: too fast 0.0 min (0.0%), too slow 0.0 min (0.0%)." in summary

    clock.advance(3600)
    again = reporter(path, clock)  # a restart: the log says what went out
    try:
        assert again.run_once() == 0
    finally:
        again.stop()
    assert len(smtp.box.accepted) == 2 and len(webhook.posts) == 1


def test_a_dead_mail_server_is_tried_again_then_given_up(
    tmp_path: Path, history: str, smtp: SmtpServer, webhook: WebhookServer
) -> None:
    path = write(tmp_path, history, smtp, webhook)
    text = path.read_text().replace(
        'urls_file = "mail.url"', 'urls_file = "mail.url"\nattempts = 2'
    )
    path.write_text(text)
    dead = f"mailto://127.0.0.1:{free_port()}?from=andon@example.com&to={{to}}"
    (tmp_path / "mail.url").write_text(dead + "\n")  # nobody listens there
    clock = ManualClock(datetime(2026, 3, 4, 15, 0, tzinfo=BERLIN))
    r = reporter(path, clock)
    try:
        assert r.run_once() == 1  # the chat only
        assert r.run_once() == 0  # the second try of each mail fails too
        assert r.run_once() == 0  # and none is tried a third time
        rows = {(k.channel, k.recipient): row for k, row in r.log.rows()}
        assert rows[("chat", "")].status == "sent"
        assert rows[("mail", "2001")].status == "failed"
        assert rows[("mail", "2001")].attempts == 2
    finally:
        r.stop()


def test_a_report_for_an_unknown_line_or_channel_is_refused(tmp_path: Path, history: str) -> None:
    path = tmp_path / "notify.toml"
    body = NOTIFY.format(plant=DEMO / "plant.toml", history=history)
    body = body.replace('lines = ["line-a"]', 'lines = ["line-z"]')
    body = body.replace('channels = ["mail", "chat"]', 'channels = ["mail", "fax"]')
    path.write_text(textwrap.dedent(body))
    with pytest.raises(ConfigError) as caught:
        load_notify(path)
    text = str(caught.value)
    assert "shift_reports[0].lines[0]" in text and "line-z" in text
    assert "shift_reports[0].channels[1]" in text and "fax" in text
