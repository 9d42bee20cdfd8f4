"""The broker's binding of station accounts to their client ids (``clientids.json``).

Mosquitto's dynamic security plugin (``mosquitto_dynamic_security.so``, part of
Debian's ``mosquitto`` package) reads this file. It lists each station account
with the one client id it may connect under, and nothing else: no password (so
the plugin defers the password to ``password_file``) and no roles, with every
default access denied (so the plugin defers every grant to ``acl_file``). A
connection with a station's credentials and any other client id is refused.

Each station also has a ``doctor.<line>.<station>`` account with the station's
password and no grants: ``andon doctor`` logs in with it under a client id of its
own, which the station's bound account would refuse (and the station's own id
would kick the running station off).
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


def doctor_username(station_username: str) -> str:
    """``station.line-a.a1`` -> ``doctor.line-a.a1``: the account ``andon doctor`` uses."""
    if not station_username.startswith(STATION_PREFIX):
        raise ValueError(f"expected a station account, got {station_username!r}")
    return DOCTOR_PREFIX + station_username.removeprefix(STATION_PREFIX)


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
