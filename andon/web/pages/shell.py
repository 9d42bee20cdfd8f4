"""The page around the live part: header, navigation, banners, sign-in and action forms.

The live part (``<main id="live">``) is rendered in full on the first load, so a
page shows its figures without script; then the server-sent events replace the
parts of it that changed (:mod:`andon.web.parts`). The texts the script shows
when the stream breaks come in ``data-`` attributes, in the page's language.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote

from andon.board.views import BoardView
from andon.web import texts as T
from andon.web.pages.common import Words, e
from andon.web.parts import Part, attr

NAV = (
    ("/", "Overview"),
    ("/calls", "Open calls"),
    ("/store", "Material calls"),
)


@dataclass(frozen=True)
class Visitor:
    """Who looks at the page: signed in (name, roles), a wall screen, or nobody."""

    name: str = ""
    roles: tuple[str, ...] = ()
    csrf: str = ""
    kiosk: bool = False

    @property
    def signed_in(self) -> bool:
        return bool(self.name)


def banner(w: Words, view: BoardView) -> str:
    """The broker link, when it is lost: since when, and how old the figures are."""
    broker = view.broker
    if broker.connected is not False:
        return ""
    since = w.clock(broker.since) if broker.since else "–"
    ages = [s.age_s for line in view.lines for s in line.stations if s.age_s is not None]
    age = w.duration(min(ages)) if ages else "–"
    text = w.t.gettext(
        "Connection lost to the broker since {since}: the figures are {age} old."
    ).format(since=since, age=age)
    return f'<div class="banner lost" role="alert">{e(text)}</div>'


def live(w: Words, view: BoardView, body: Part) -> Part:
    """The live part: plant clock, broker banner and the page's own body, each a part."""
    clock = (
        f'<p class="plant-clock"{attr("clock")} data-at="{e(view.now.isoformat())}">'
        f'<span class="label">{w._(T.PLANT_TIME)}</span> <b>{e(w.clock(view.now))}</b></p>'
    )
    lost = f'<div class="broker"{attr("broker")}>{banner(w, view)}</div>'
    return Part(
        "live",
        (
            f'<div class="live"{attr("live")}>',
            Part("clock", (clock,)),
            Part("broker", (lost,)),
            body,
            "</div>",
        ),
    )


def page(
    w: Words,
    title: str,
    live_html: str,
    stream: str,
    visitor: Visitor,
    *,
    lines: tuple[tuple[str, str], ...] = (),
    history: bool = False,
    after: str = "",
) -> str:
    """A whole page; ``stream`` is the event source URL of its live part."""
    nav = [(href, w._(text)) for href, text in NAV]
    nav[1:1] = [(f"/line/{quote(i)}", e(name)) for i, name in lines]
    if history:
        nav.append(("/history", w._(T.HISTORY)))
    links = "".join(f'<a href="{e(href)}">{text}</a>' for href, text in nav)
    if visitor.signed_in:
        who = (
            f'<form method="post" action="/sign-out" class="who">'
            f'<input type="hidden" name="csrf" value="{e(visitor.csrf)}">'
            f"<span>{e(visitor.name)}</span>"
            f'<button type="submit">{w._(T.SIGN_OUT)}</button></form>'
        )
    elif visitor.kiosk:
        who = ""
    else:
        who = f'<a class="who" href="/sign-in">{w._(T.SIGN_IN)}</a>'
    lost = w.t.gettext("Connection lost: showing the data of {clock}, {age} old.")
    kiosk = " kiosk" if visitor.kiosk else ""
    return (
        f'<!doctype html><html lang="{e(w.lang)}"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{e(title)} · {e(w.catalogue.title)}</title>"
        '<link rel="stylesheet" href="/static/web.css">'
        '<link rel="icon" href="/static/andon.svg" type="image/svg+xml">'
        f'<script src="/static/web.js" defer></script></head><body class="{kiosk.strip()}">'
        f'<header><h1><a href="/">{e(w.catalogue.title)}</a></h1><nav>{links}</nav>{who}'
        f"</header>"
        f'<div id="stream-lost" class="banner lost" role="alert" hidden '
        f'data-text="{e(lost)}"></div>'
        f'<main id="live" data-stream="{e(stream)}">{live_html}</main>{after}</body></html>'
    )


def sign_in_form(w: Words, csrf: str, message: str = "", next_url: str = "/") -> str:
    """Badge number and PIN."""
    note = f'<p class="banner lost" role="alert">{e(message)}</p>' if message else ""
    return (
        f'<!doctype html><html lang="{e(w.lang)}"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{w._(T.SIGN_IN)} · {e(w.catalogue.title)}</title>"
        '<link rel="stylesheet" href="/static/web.css"></head><body>'
        f'<header><h1><a href="/">{e(w.catalogue.title)}</a></h1></header><main>'
        f'<form method="post" action="/sign-in" class="sign-in"><h2>{w._(T.SIGN_IN)}</h2>{note}'
        f'<input type="hidden" name="csrf" value="{e(csrf)}">'
        f'<input type="hidden" name="next" value="{e(next_url)}">'
        f'<label>{w._(T.BADGE_NUMBER)}<input name="badge" inputmode="numeric" '
        'autocomplete="username" required autofocus></label>'
        f'<label>{w._(T.PIN)}<input name="pin" type="password" inputmode="numeric" '
        'autocomplete="current-password" required></label>'
        f'<button type="submit">{w._(T.SIGN_IN)}</button></form></main></body></html>'
    )
