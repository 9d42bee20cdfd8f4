"""Channels: one Apprise service each, whose URL comes from a file or an environment variable.

Apprise speaks e-mail, chat, push and SMS-gateway protocols; the notifier only
fills in the URL and reads the outcome. A channel's URL may hold placeholders:

``{to}``        the person's address on this channel (``send_to = "people"``), URL-encoded
``{ack_url}``   the alert's acknowledge link, URL-encoded (e.g. ntfy's ``click=``)
``{alert_id}``  the alert's stable id

For e-mail and the JSON/form/XML webhooks the alert id also travels as the
header ``X-Andon-Alert``, so a receiver can drop a copy it already has.

The URL is never logged or published: outcomes carry Apprise's own messages.
"""

from __future__ import annotations

import logging
import os
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

from andon.config import wording
from andon.config.errors import ConfigError, ConfigIssue
from andon.config.notify import ChannelConfig, NotifyFile
from andon.notify.outcomes import INVALID_URL, NOT_ACCEPTED
from andon.notify.queue import Alert
from andon.notify.text import AlertText

log = logging.getLogger(__name__)

ALERT_HEADER = "X-Andon-Alert"
HEADER_SCHEMES = frozenset({"json", "jsons", "form", "forms", "xml", "xmls", "mailto", "mailtos"})
"""Apprise schemes that add ``+Name=value`` URL arguments as headers."""
MAX_DETAIL = 300
_URL = re.compile(r"\b[A-Za-z][A-Za-z0-9+.-]*://\S+")
"""URLs in Apprise's messages may carry secrets: they are blanked out."""


@dataclass(frozen=True)
class SendResult:
    """What a channel said about one try."""

    ok: bool
    detail: str = ""


Send = Callable[[Alert, AlertText, str], SendResult]
"""``send(alert, text, ack_link) -> SendResult``: one try through one channel."""


def read_url(
    channel: ChannelConfig, file: Path, index: int, environ: Mapping[str, str] | None = None
) -> str:
    """The channel's Apprise URL from its file or environment variable.

    Raises :class:`ConfigError` (naming the key, never the URL) when it is missing,
    empty, or more than one URL.
    """
    environ = os.environ if environ is None else environ
    key = f"channels[{index}].{'urls_file' if channel.urls_file is not None else 'url_env'}"

    def fail(message: str) -> ConfigError:
        return ConfigError(file, [ConfigIssue(file, key, message)])

    if channel.urls_file is not None:
        try:
            text = channel.urls_file.read_text(encoding="utf-8")
        except OSError as exc:
            raise fail(
                wording.URL_FILE_UNREADABLE.format(file=channel.urls_file, error=exc.strerror)
            ) from None
        except UnicodeDecodeError:
            raise fail(wording.URL_FILE_NOT_UTF8.format(file=channel.urls_file)) from None
    else:
        assert channel.url_env is not None
        text = environ.get(channel.url_env, "")
        if not text.strip():
            raise fail(wording.URL_ENV_EMPTY.format(name=channel.url_env))
    urls = [
        line.strip()
        for line in text.splitlines()
        if line.strip() and not line.strip().startswith("#")
    ]
    if len(urls) != 1:
        if channel.urls_file is not None:
            raise fail(wording.URLS_IN_FILE.format(file=channel.urls_file, count=len(urls)))
        raise fail(wording.URLS_IN_ENV.format(name=channel.url_env, count=len(urls)))
    url = urls[0]
    if channel.send_to == "people" and "{to}" not in url:
        raise fail(wording.URL_WITHOUT_TO.format(to="{to}"))
    return url


def fill(template: str, *, to: str, ack_url: str, alert_id: str) -> str:
    """The URL of one alert: placeholders filled, the alert id added as a header."""
    url = (
        template.replace("{to}", quote(to, safe="@"))
        .replace("{ack_url}", quote(ack_url, safe=""))
        .replace("{alert_id}", quote(alert_id, safe=""))
    )
    scheme = url.split("://", 1)[0].lower()
    if scheme in HEADER_SCHEMES:
        url += ("&" if "?" in url else "?") + f"+{ALERT_HEADER}={quote(alert_id, safe='')}"
    return url


def check_url(template: str) -> str | None:
    """Why Apprise cannot use this URL template (None when it can)."""
    import apprise

    scheme = template.split("://", 1)[0].lower() if "://" in template else "none"
    to = "someone@example.com" if scheme.startswith("mailto") else "someone"
    sample = fill(template, to=to, ack_url="http://127.0.0.1/a/x", alert_id="0")
    with apprise.LogCapture(  # type: ignore[no-untyped-call]
        level=apprise.logging.WARNING, fmt="%(message)s"
    ) as capture:
        accepted = apprise.Apprise.instantiate(sample) is not None
    if accepted:
        return None
    said = _detail(None, capture)
    return wording.URL_REFUSED.format(scheme=scheme, detail=said)


class AppriseChannel:
    """Sends alerts through one Apprise service."""

    def __init__(self, config: ChannelConfig, template: str) -> None:
        self.config = config
        self.template = template

    def __call__(self, alert: Alert, text: AlertText, ack_url: str) -> SendResult:
        url = fill(self.template, to=alert.spec.address, ack_url=ack_url, alert_id=alert.uid)
        return deliver(url, text.title, text.body, html=False)

    def send_document(self, to: str, title: str, body: str, html: bool, doc_id: str) -> SendResult:
        """One document (a shift report) to ``to`` (ignored by a group channel)."""
        url = fill(self.template, to=to, ack_url="", alert_id=doc_id)
        return deliver(url, title, body, html=html)

    @property
    def is_mail(self) -> bool:
        """An e-mail channel (reports go out as HTML there, as a short summary elsewhere)."""
        return self.template.split("://", 1)[0].lower() in ("mailto", "mailtos")


def deliver(url: str, title: str, body: str, *, html: bool) -> SendResult:
    """One message through Apprise (plain text, or HTML), with Apprise's words on failure."""
    import apprise

    service = apprise.Apprise()
    if not service.add(url):
        return SendResult(False, INVALID_URL)
    body_format = apprise.NotifyFormat.HTML if html else apprise.NotifyFormat.TEXT
    with apprise.LogCapture(  # type: ignore[no-untyped-call]
        level=apprise.logging.WARNING, fmt="%(message)s"
    ) as capture:
        result = service.notify(body=body, title=title, body_format=body_format)
    if bool(result):
        return SendResult(True)
    return SendResult(False, _detail(result, capture))


def _detail(result: Any, capture: Any) -> str:
    """Apprise's own words about a failure (its logs at warning level and above)."""
    messages: list[str] = []
    if hasattr(result, "logs"):
        messages = [e.message for e in result.logs() if e.level in ("WARNING", "ERROR")]
    if not messages:
        captured = capture.getvalue() if hasattr(capture, "getvalue") else ""
        messages = [m.strip() for m in str(captured).splitlines() if m.strip()]
    messages = [_URL.sub("<url>", m) for m in messages]
    text = "; ".join(dict.fromkeys(messages)) or NOT_ACCEPTED
    return text if len(text) <= MAX_DETAIL else text[: MAX_DETAIL - 1] + "…"


def apprise_channels(
    config: NotifyFile, file: Path, environ: Mapping[str, str] | None = None
) -> dict[str, AppriseChannel]:
    """A sender per channel from its URL file or variable; every problem in one ConfigError."""
    senders: dict[str, AppriseChannel] = {}
    issues: list[ConfigIssue] = []
    for index, channel in enumerate(config.channels):
        try:
            url = read_url(channel, file, index, environ)
        except ConfigError as error:
            issues.extend(error.errors)
            continue
        problem = check_url(url)
        if problem is not None:
            key = "urls_file" if channel.urls_file is not None else "url_env"
            issues.append(ConfigIssue(file, f"channels[{index}].{key}", problem))
            continue
        senders[channel.id] = AppriseChannel(channel, url)
    if issues:
        raise ConfigError(file, issues)
    return senders
