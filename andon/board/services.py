"""The site's services the board watches: each historian's retained status.

A historian publishes ``<prefix>/<site>/_historians/<name>/status`` (retained,
Last Will: offline). ``detail`` is empty while it writes to its database and
says why not otherwise. The board raises an alarm while a historian is online
with a problem, or went away without saying goodbye (its Last Will); a
historian stopped on purpose (``detail: "stopped"``) is shown, not alarmed.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

from andon.bus.messages import MessageError, decode
from andon.i18n import Translator

log = logging.getLogger(__name__)

STOPPED = "stopped"
"""The detail of a historian's goodbye (a clean stop, not an alarm)."""


@dataclass(frozen=True)
class ServiceView:
    """One service's last status."""

    kind: str
    name: str
    online: bool
    detail: str
    since: datetime
    """When the board received this status (the board's clock)."""

    @property
    def alarm(self) -> bool:
        """History is not being kept and nobody stopped it on purpose."""
        if self.online:
            return bool(self.detail)
        return self.detail != STOPPED


def parse_service_status(topic: str, payload: bytes, now: datetime) -> ServiceView:
    """The status on ``…/_<kind>s/<name>/status``; MessageError for a malformed one."""
    parts = topic.split("/")
    if len(parts) < 5 or not parts[-3].startswith("_") or not parts[-3].endswith("s"):
        raise MessageError(f"{topic}: not a service's status topic")
    body = decode(payload)
    online, detail = body.get("online"), body.get("detail", "")
    if type(online) is not bool or not isinstance(detail, str):
        raise MessageError(f"{topic}: expected online (true/false) and detail (text)")
    return ServiceView(parts[-3][1:-1], parts[-2], online, detail[:300], now)


def service_alarm(service: ServiceView, tr: Translator) -> str:
    """The alarm line of a service with :attr:`ServiceView.alarm` set."""
    if service.online:
        return tr.gettext("History not kept by historian {name}: {detail}").format(
            name=service.name, detail=service.detail
        )
    return tr.gettext("History not kept: historian {name} is offline ({detail})").format(
        name=service.name, detail=service.detail or "-"
    )


def service_line(service: ServiceView, tr: Translator) -> str:
    """One service for the diagnostics screen."""
    if service.alarm:
        return service_alarm(service, tr)
    if service.online:
        return tr.gettext("Historian {name}: storing the site's events").format(name=service.name)
    return tr.gettext("Historian {name}: stopped").format(name=service.name)
