"""Routing: call type, line, level, role and the shift running at the escalation."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

import pytest

from andon.config.notify import NotifyFile
from andon.notify.calls import Escalation, OpenCall
from andon.notify.routing import Router

from .conftest import CONTACTS, STATION, STATION_B, at

CHANNELS = """\
[[channels]]
id = "mail"
urls_file = "mail.url"

[[channels]]
id = "push"
urls_file = "push.url"

[[channels]]
id = "chat"
urls_file = "chat.url"
send_to = "group"
"""

ROUTES = """\
[[routes]]
call_types = ["equipment"]
levels = [1]
channels = ["mail", "push"]

[[routes]]
name = "supervisors by mail, from level 2"
levels = [2, 3]
roles = ["supervisor"]
channels = ["mail"]

[[routes]]
name = "night equipment calls to the room"
call_types = ["equipment"]
shifts = ["off_shift"]
channels = ["chat"]

[[routes]]
name = "line B maintenance by push"
lines = ["line-b"]
roles = ["maintenance"]
channels = ["push"]
"""


@pytest.fixture
def router(load: Callable[..., NotifyFile]) -> Router:
    config = load(CHANNELS + CONTACTS + ROUTES)
    return Router(config, config.plant_config)


def _escalation(
    when: datetime,
    roles: tuple[str, ...],
    level: int = 1,
    call_type: str = "equipment",
    station: str = STATION,
) -> Escalation:
    call = OpenCall(station, "c1", call_type, when, level)
    return Escalation(call, level, roles, "unacknowledged", when)


def _who(router: Router, escalation: Escalation) -> set[tuple[str, str]]:
    targets, _ = router.route(escalation)
    return {(t.channel, t.person.name if t.person else "(group)") for t in targets}


def test_the_shift_at_the_escalation_picks_who_is_on_duty(router: Router) -> None:
    assert router.shift_at(at(6)) == "early" and router.shift_at(at(21, 59)) == "late"
    assert router.shift_at(at(22)) == "off_shift"
    roles = ("maintenance", "team_leader")
    assert _who(router, _escalation(at(8), roles)) == {
        ("mail", "Lena Fischer"),
        ("mail", "Anna Becker"),
        ("push", "Lena Fischer"),
        ("push", "Anna Becker"),
    }
    assert _who(router, _escalation(at(15), roles)) == {
        ("mail", "Max Braun"),
        ("mail", "Jonas Weber"),
        ("push", "Jonas Weber"),  # Max has no push address
    }
    night = _who(router, _escalation(at(23), roles))
    assert night == {("mail", "Max Braun"), ("chat", "(group)")}


def test_nobody_on_duty_on_a_routed_channel_is_reported(router: Router) -> None:
    targets, unreachable = router.route(_escalation(at(23), ("maintenance", "team_leader")))
    assert [(u.channel, u.shift) for u in unreachable] == [("push", "off_shift")]
    assert unreachable[0].detail == (
        "nobody on duty (outside the shifts) in the role Maintenance, Team leader "
        "has an address on push"
    )
    chat = next(t for t in targets if t.channel == "chat")
    assert chat.on_duty == ("Max Braun",) and chat.address == ""


def test_levels_and_roles_narrow_a_route(router: Router) -> None:
    # Level 2 names the supervisor: only the supervisors' route matches.
    assert _who(router, _escalation(at(8, 5), ("supervisor",), level=2)) == {
        ("mail", "Mehmet Yilmaz")
    }
    # Level 3 names maintenance and supervisors; the route takes the supervisor only.
    assert _who(router, _escalation(at(8, 15), ("maintenance", "supervisor"), level=3)) == {
        ("mail", "Mehmet Yilmaz")
    }


def test_call_type_and_line_select_routes_and_duplicates_merge(router: Router) -> None:
    # A help call on line A is routed nowhere at level 1.
    assert _who(router, _escalation(at(8), ("team_leader",), call_type="help")) == set()
    # An equipment call on line B: the first route and line B's push route both
    # reach Lena by push; she gets one alert.
    targets, _ = router.route(_escalation(at(8), ("maintenance",), station=STATION_B))
    assert sorted((t.channel, t.person.name) for t in targets if t.person) == [
        ("mail", "Lena Fischer"),
        ("push", "Lena Fischer"),
    ]
