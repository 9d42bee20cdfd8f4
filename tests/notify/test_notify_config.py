"""The notifier file: every mistake named with its file, key path and what was expected."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from andon.cli.main import main
from andon.config.errors import ConfigError, ConfigFileNotFoundError
from andon.config.loader import load_notify
from andon.config.notify import NotifyFile
from andon.notify.channels import apprise_channels, read_url

from .conftest import CONTACTS

REPO = Path(__file__).resolve().parents[2]

CHANNELS = """\
[[channels]]
id = "mail"
urls_file = "mail.url"

[[channels]]
id = "push"
url_env = "ANDON_TEST_PUSH_URL"

[[channels]]
id = "chat"
url_env = "ANDON_TEST_CHAT_URL"
send_to = "group"
"""

ROUTES = """\
[[routes]]
channels = ["mail"]
"""


def _problems(error: ConfigError) -> dict[str, str]:
    return {issue.key_path: issue.message for issue in error.errors}


def test_a_valid_file_loads_with_its_plant_and_defaults(
    load: Callable[..., NotifyFile], tmp_path: Path
) -> None:
    config = load(CHANNELS + CONTACTS + ROUTES)
    assert config.plant_config.site.id == "p1"
    assert config.queue_path == Path("/var/lib/andon/notify-maint.sqlite")
    assert config.channel("mail").urls_file == tmp_path / "mail.url"
    assert config.channel("push").attempts == 5 and config.channel("push").send_to == "people"
    assert config.listen_address() is None
    assert config.summary() == "maint, 3 channels, 5 contacts, 1 route"


def test_the_demo_notifier_file_is_valid() -> None:
    config = load_notify(REPO / "firmware_config/demo/notify.toml")
    assert config.kind == "notify" and config.routes


def test_inline_urls_are_refused_and_each_channel_needs_one_source(
    load: Callable[..., NotifyFile],
) -> None:
    body = """\
    [[channels]]
    id = "mail"
    url = "mailtos://user:secret@smtp.example.com?to={to}"

    [[channels]]
    id = "push"
    urls_file = "push.url"
    url_env = "PUSH"

    [[channels]]
    id = "sms"

    [[routes]]
    channels = ["push"]
    """
    with pytest.raises(ConfigError) as error:
        load(body)
    problems = _problems(error.value)
    assert "expected no inline URL" in problems["channels[0].url"]
    assert "secret" not in str(error.value)
    assert problems["channels[1]"].startswith("expected exactly one of urls_file")
    assert problems["channels[2]"].startswith("expected exactly one of urls_file")


def test_references_to_people_shifts_channels_and_the_plant_are_checked(
    load: Callable[..., NotifyFile],
) -> None:
    body = (
        CHANNELS
        + """\
[[contacts]]
badge = "9999"
shifts = ["early", "nite"]
addresses = { mail = "x@example.com", chat = "room", sms = "+49" }

[[contacts]]
badge = "3001"

[[contacts]]
badge = "3001"

[[routes]]
call_types = ["equipment", "paint"]
lines = ["line-z"]
roles = ["janitor"]
shifts = ["off_shift", "weekend"]
levels = [1, 10]
channels = ["mail", "pager"]
"""
    )
    with pytest.raises(ConfigError) as error:
        load(body)
    assert _problems(error.value) == {
        "routes[0].levels[1]": "expected an escalation level 1 to 9, got 10"
    }
    body = body.replace("levels = [1, 10]", "levels = [1, 2]")
    with pytest.raises(ConfigError) as error:
        load(body)
    problems = _problems(error.value)
    assert problems["contacts[0].badge"].startswith("expected the badge of a person")
    assert problems["contacts[0].shifts[1]"] == (
        'expected a shift of the calendar (early, late) or "off_shift", got "nite"'
    )
    assert "send_to" in problems["contacts[0].addresses.chat"]
    assert problems["contacts[0].addresses.sms"] == (
        'expected a channel id (mail, push, chat), got "sms"'
    )
    assert problems["contacts[2].badge"].startswith('expected each person once, got badge "3001"')
    assert problems["routes[0].call_types[1]"].endswith('got "paint"')
    assert problems["routes[0].lines[0]"] == (
        'expected one of the plant\'s lines (line-a, line-b), got "line-z"'
    )
    assert problems["routes[0].roles[0]"].endswith('got "janitor"')
    assert problems["routes[0].shifts[1]"].endswith('got "weekend"')
    assert (
        problems["routes[0].channels[1]"] == 'expected a channel id (mail, push, chat), got "pager"'
    )
    assert all(str(issue.file).endswith("notify.toml") for issue in error.value.errors)


def test_the_acknowledge_endpoint_stays_on_loopback_unless_allowed(
    load: Callable[..., NotifyFile],
) -> None:
    with pytest.raises(ConfigError) as error:
        load('ack_listen = "0.0.0.0:8090"\n' + CHANNELS + ROUTES)
    assert "expected a loopback address" in _problems(error.value)["ack_listen"]
    with pytest.raises(ConfigError) as error:
        load('ack_listen = "8090"\nack_url = "andon.example"\n' + CHANNELS + ROUTES)
    problems = _problems(error.value)
    assert problems["ack_listen"] == 'expected "host:port" such as "127.0.0.1:8090", got "8090"'
    assert problems["ack_url"].startswith("expected an http:// or https:// address")
    allowed = load(
        'ack_listen = "0.0.0.0:8090"\nack_allow_remote = true\n'
        'ack_url = "https://andon.example/notify"\n' + CHANNELS + ROUTES
    )
    assert allowed.listen_address() == ("0.0.0.0", 8090)


def test_a_broken_or_missing_plant_file_is_reported_from_the_notifier_file(
    write_notify: Callable[..., Path], tmp_path: Path
) -> None:
    path = write_notify(CHANNELS + ROUTES)
    (tmp_path / "plant.toml").unlink()
    with pytest.raises(ConfigError) as error:
        load_notify(path)
    assert "expected the path of an existing plant file" in _problems(error.value)["plant"]
    with pytest.raises(ConfigFileNotFoundError):
        load_notify(tmp_path / "missing.toml")
    (tmp_path / "other.toml").write_text('kind = "board"\n')
    with pytest.raises(ConfigError) as error:
        load_notify(tmp_path / "other.toml")
    assert _problems(error.value) == {"kind": 'expected kind = "notify", got "board"'}


def test_channel_urls_come_from_their_file_or_variable_and_are_checked(
    load: Callable[..., NotifyFile], tmp_path: Path
) -> None:
    config = load(CHANNELS + ROUTES)
    file = tmp_path / "notify.toml"
    with pytest.raises(ConfigError) as error:
        read_url(config.channels[0], file, 0, {})
    assert "expected a readable file" in _problems(error.value)["channels[0].urls_file"]
    (tmp_path / "mail.url").write_text(
        "# two services are two channels\nmailto://a?to={to}\njson://b\n"
    )
    with pytest.raises(ConfigError) as error:
        read_url(config.channels[0], file, 0, {})
    assert "expected exactly one Apprise URL" in _problems(error.value)["channels[0].urls_file"]
    with pytest.raises(ConfigError) as error:
        read_url(config.channels[1], file, 1, {"ANDON_TEST_PUSH_URL": "ntfy://ntfy.example.com/x"})
    assert "{to}" in _problems(error.value)["channels[1].url_env"]
    with pytest.raises(ConfigError) as error:
        read_url(config.channels[2], file, 2, {})
    assert "ANDON_TEST_CHAT_URL" in _problems(error.value)["channels[2].url_env"]
    assert read_url(config.channels[2], file, 2, {"ANDON_TEST_CHAT_URL": " json://h/chat \n"}) == (
        "json://h/chat"
    )

    (tmp_path / "mail.url").write_text("nosuch://user:hunter2@host/{to}\n")
    environ = {
        "ANDON_TEST_PUSH_URL": "ntfy://ntfy.example.com/{to}",
        "ANDON_TEST_CHAT_URL": "json://127.0.0.1/chat",
    }
    with pytest.raises(ConfigError) as error:
        apprise_channels(config, file, environ)
    assert list(_problems(error.value)) == ["channels[0].urls_file"]
    assert "expected a URL Apprise accepts" in str(error.value)
    assert "hunter2" not in str(error.value)


def test_andon_notify_check_reports_problems_and_exits_non_zero(
    write_notify: Callable[..., Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write_notify(
        CHANNELS.split('[[channels]]\nid = "push"')[0] + ROUTES,
        {"mail": "mailto://127.0.0.1:2525?from=andon@example.com&to={to}"},
    )
    assert main(["notify", "--config", str(path), "--check"]) == 0
    assert capsys.readouterr().out.startswith(f"OK {path} (notify: maint, 1 channel")
    (tmp_path / "mail.url").unlink()
    assert main(["notify", "--config", str(path), "--check"]) == 1
    assert "channels[0].urls_file: expected a readable file" in capsys.readouterr().err
    assert main(["notify", "--config", str(tmp_path / "nope.toml")]) == 2
