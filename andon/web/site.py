"""What the request handlers share: the hub, the words, the people, who is asking."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from starlette.requests import Request

from andon.board.views import BoardView
from andon.web.auth import SignInLimiter, csrf_token, signed_in
from andon.web.config import Person
from andon.web.hub import Hub
from andon.web.pages.common import Words
from andon.web.pages.shell import Visitor


@dataclass
class Site:
    """One web server's state."""

    hub: Hub
    words: Words
    people: dict[str, Person]
    kiosk_tokens: dict[str, str] = field(default_factory=dict)
    view_without_sign_in: bool = False
    session_s: float = 12 * 3600
    limiter: SignInLimiter = field(default_factory=lambda: SignInLimiter(5, 300))
    history: Any = None
    """A :class:`~andon.web.history.History` when a historian database is configured."""

    def person(self, request: Request) -> Person | None:
        return signed_in(request.session, self.people, self.session_s)

    def kiosk(self, request: Request) -> str | None:
        name = request.session.get("kiosk")
        return name if isinstance(name, str) and name in self.kiosk_tokens.values() else None

    def may_view(self, request: Request) -> bool:
        return self.view_without_sign_in or bool(self.person(request) or self.kiosk(request))

    def visitor(self, request: Request) -> Visitor:
        person = self.person(request)
        csrf = csrf_token(request.session)
        kiosk = self.kiosk(request) is not None or request.query_params.get("kiosk") == "1"
        if person is not None:
            return Visitor(person.name, person.roles, csrf, kiosk)
        return Visitor(csrf=csrf, kiosk=kiosk)

    @property
    def view(self) -> BoardView:
        return self.hub.view

    def lines(self) -> tuple[tuple[str, str], ...]:
        w = self.words
        return tuple(
            (line.id, w.line_name(line.id, line.name)) for line in self.hub.catalogue.lines
        )
