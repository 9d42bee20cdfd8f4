"""The broker's binding of accounts to their client ids (``clientids.json``).

Bound is every account of the plant: stations, historians, notifiers, store
boards, boards, web boards and the monitor. Mosquitto's dynamic security plugin
(``mosquitto_dynamic_security.so``, part of Debian's ``mosquitto`` package) reads
this file. It lists each bound account with the one client id it may connect
under, and nothing else: no password (so
the plugin defers the password to ``password_file``) and no roles, with every
default access denied (so the plugin defers every grant to ``acl_file``). A
connection with a bound account's credentials and any other client id is refused;
since every account is bound, so is a connection of another account under a
client's id.

Each bound account also has a doctor account with its password and no grants
(``doctor.<line>.<station>`` for a station, ``doctor-<role>.<id>`` for the others,
such as ``doctor-board.supervisor``, and ``doctor-monitor``): ``andon doctor``
logs in with it under a client id of its own, which the bound account would refuse
(and the bound id would kick the running client off).
"""

from __future__ import annotations

import json
from collections.abc import Iterable

PLUGIN = "mosquitto_dynamic_security.so"
"""Found by the dynamic loader in the architecture's library directory (amd64, arm64, armhf)."""
CLIENT_IDS_FILE = "clientids.json"
DOCTOR_PREFIX = "doctor."
STATION_PREFIX = "station."

DENY_EVERYTHING = tuple(
    {"acltype": kind, "allow": False}
    for kind in ("publishClientSend", "publishClientReceive", "subscribe", "unsubscribe")
)
"""Nothing decided here: every grant is the ACL file's."""


def doctor_username(username: str) -> str:
    """The account ``andon doctor`` uses beside a bound one.

    ``station.line-a.a1`` -> ``doctor.line-a.a1``; ``historian.history`` ->
    ``doctor-historian.history`` (a role of its own, so it never meets a station's);
    ``monitor`` (an account without an id) -> ``doctor-monitor``.
    """
    if username.startswith(STATION_PREFIX):
        return DOCTOR_PREFIX + username.removeprefix(STATION_PREFIX)
    role, dot, name = username.partition(".")
    if not role or (dot and not name) or not role.isidentifier():
        raise ValueError(f"expected an account <role>.<id> or <role>, got {username!r}")
    return f"doctor-{username}"


def render_client_ids(bindings: Iterable[tuple[str, str]]) -> str:
    """The plugin's configuration for ``(username, client id)`` pairs, sorted by username."""
    clients = [
        {"username": username, "clientid": client_id} for username, client_id in sorted(bindings)
    ]
    for client in clients:
        if not client["clientid"]:
            raise ValueError(f"{client['username']}: expected a client id, got none")
    config = {
        "defaultACLAccess": list(DENY_EVERYTHING),
        "clients": clients,
        "groups": [],
        "roles": [],
    }
    return json.dumps(config, indent=2) + "\n"
