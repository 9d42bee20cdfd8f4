"""The words of an alert: short enough for a phone's lock screen, complete enough to act on.

The title names the call type, the line and station, and the level; the body
says how long the call has been open, what the level waits for, whom it is for,
and how to acknowledge: an action link and/or a reply code where the channel
offers them, and always the badge at the station. Each alert speaks its
recipient's language (``NotifyFile.language_for``); every sentence is whole in
the catalogs, with named fields.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import quote

from andon.config.notify import AckStyle
from andon.config.plant import PlantFile
from andon.i18n import N_, Translator, translator
from andon.i18n.formats import elapsed, listing, time_of_day
from andon.i18n.vocabulary import CALL_TYPE_WORDS
from andon.notify.calls import UNACKNOWLEDGED
from andon.notify.queue import Alert, AlertSpec

ACK_PATH = "/a/"
"""Acknowledge links are ``<ack_url>/a/<token>``."""

LanguageOf = Callable[[AlertSpec], str]
"""Which language an alert speaks (the recipient's, or the group channel's)."""


WAITS = {
    (True, True): N_(
        "Open for {duration} (since {time}); escalation level {level} of {top}: "
        "not acknowledged yet."
    ),
    (True, False): N_(
        "Open for {duration} (since {time}); escalation level {level} of {top}: not resolved yet."
    ),
    (False, True): N_(
        "Open for {duration} (since {time}); escalation level {level}: not acknowledged yet."
    ),
    (False, False): N_(
        "Open for {duration} (since {time}); escalation level {level}: not resolved yet."
    ),
}
"""(the call type has this level, the level waits for an acknowledgement) → its sentence."""
HOW_TO_ACKNOWLEDGE = {
    (True, True): N_(
        'To acknowledge: open {link}, or reply "ACK {code}", or scan your badge at the station.'
    ),
    (True, False): N_("To acknowledge: open {link}, or scan your badge at the station."),
    (False, True): N_('To acknowledge: reply "ACK {code}", or scan your badge at the station.'),
    (False, False): N_("To acknowledge: scan your badge at the station."),
}
"""(a link is offered, a reply code is offered) → how the alert says to acknowledge."""


@dataclass(frozen=True)
class AlertText:
    title: str
    body: str
    language: str = "en"


def ack_link(base_url: str | None, token: str) -> str:
    """The acknowledge link of one alert ("" without an endpoint)."""
    return f"{base_url}{ACK_PATH}{token}" if base_url else ""


def call_page_link(web_url: str, spec: AlertSpec) -> str:
    """The call's page in the web view: ``<web_url>/call/<line>/<station>/<call id>``."""
    station = spec.station.rsplit("/", 1)[-1]
    parts = (quote(spec.line, safe=""), quote(station, safe=""), quote(spec.call_id, safe=""))
    return f"{web_url.rstrip('/')}/call/" + "/".join(parts)


def duration_text(seconds: float, language: str = "en") -> str:
    """``less than a minute``, ``6 min``, ``1 hr 5 min`` (:func:`andon.i18n.formats.elapsed`)."""
    return elapsed(seconds, language)


class AlertWriter:
    """Writes alerts in the plant's words (labels of lines, call types and roles)."""

    def __init__(
        self,
        plant: PlantFile,
        ack_base_url: str | None,
        language_of: LanguageOf | None = None,
        web_url: str | None = None,
    ) -> None:
        self.plant = plant
        self.ack_base_url = ack_base_url
        self.web_url = web_url
        """With the web view's address, an alert's link opens the call's page there."""
        self.zone = plant.site.zone
        self.language_of = language_of or self._person_or_plant

    def _person_or_plant(self, spec: AlertSpec) -> str:
        person = self.plant.person(spec.recipient) if spec.recipient else None
        return (person.language if person else None) or self.plant.site.language

    def line_name(self, line_id: str, language: str = "en") -> str:
        try:
            return self.plant.line(line_id).name_in(language)
        except KeyError:
            return line_id or translator(language).gettext("unknown line")

    def call_label(self, call_type: str, language: str = "en") -> str:
        found = self.plant.call_types.get(call_type)
        if found is not None:
            return found.label_in(language)
        tr = translator(language)
        return tr.gettext(CALL_TYPE_WORDS.get(call_type, "")) or call_type or tr.gettext("Andon")

    def top_level(self, call_type: str) -> int:
        found = self.plant.call_types.get(call_type)
        return max((s.level for s in found.escalation), default=0) if found else 0

    def link(self, alert: Alert) -> str:
        """The alert's link: the call's page in the web view, else the endpoint's ack page."""
        if self.web_url:
            return call_page_link(self.web_url, alert.spec)
        return ack_link(self.ack_base_url, alert.token)

    def offers_ack(self, alert: Alert) -> bool:
        """Acknowledging still helps: nobody has acknowledged the call yet."""
        return not alert.acknowledged_by

    def write(self, alert: Alert, now: datetime, ack: AckStyle) -> AlertText:
        spec = alert.spec
        language = self.language_of(spec)
        tr = translator(language)
        names = {
            "call_type": self.call_label(spec.call_type, language),
            "line": self.line_name(spec.line, language),
            "station": spec.station.rsplit("/", 1)[-1],
            "level": spec.level,
        }
        title = tr.gettext("{call_type} call: {line}, station {station} (level {level})")
        top = self.top_level(spec.call_type)
        waits = tr.gettext(WAITS[top >= spec.level, spec.condition == UNACKNOWLEDGED])
        lines = [
            tr.gettext("{call_type} call at station {station}, {line}.").format(**names),
            waits.format(
                duration=elapsed((now - spec.raised_at).total_seconds(), language),
                time=time_of_day(spec.raised_at.astimezone(self.zone), language),
                level=spec.level,
                top=top,
            ),
        ]
        if alert.acknowledged_by:
            lines.append(tr.gettext("Acknowledged by {name}.").format(name=alert.acknowledged_by))
        if spec.recipient:
            role = self.plant.role_in(spec.recipient_role, language)
            lines.append(
                tr.gettext("For {name} ({role}).").format(name=spec.recipient_name, role=role)
            )
        else:
            roles = listing([self.plant.role_in(r, language) for r in spec.roles], language)
            if spec.on_duty:
                duty = tr.gettext("For: {roles}. On duty: {names}.")
                lines.append(duty.format(roles=roles, names=listing(list(spec.on_duty), language)))
            else:
                lines.append(
                    tr.gettext("For: {roles}. On duty: nobody listed.").format(roles=roles)
                )
        lines.extend(self._how_to_acknowledge(alert, ack, tr))
        lines.append(
            tr.gettext("Call {call}, alert {alert}.").format(
                call=spec.call_id, alert=alert.uid[:12]
            )
        )
        return AlertText(title=title.format(**names), body="\n".join(lines), language=language)

    def _how_to_acknowledge(self, alert: Alert, ack: AckStyle, tr: Translator) -> list[str]:
        if not self.offers_ack(alert):
            return []
        link = self.link(alert) if ack in ("link", "both") else ""
        code = alert.code if self.ack_base_url and ack in ("code", "both") else ""
        text = tr.gettext(HOW_TO_ACKNOWLEDGE[bool(link), bool(code)])
        return [text.format(link=link, code=code)]
