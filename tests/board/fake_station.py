"""A small station that speaks the MQTT contract, for board tests against a real broker.

It keeps a journal of its events, publishes them with sequence numbers, keeps
its retained ``state`` and ``status`` up to date, and answers ``acknowledge``,
``resolve`` and ``replay`` commands the way a station does. It can also lose
an event on purpose (to make a gap) and publish garbage.
"""

from __future__ import annotations

import threading
from datetime import UTC, datetime
from typing import Any

from andon.bus.client import BusClient, Message, Will
from andon.bus.commands import CommandMessage, parse_command, reply_message
from andon.bus.credentials import BrokerSettings
from andon.bus.messages import MessageError, encode, status_message
from andon.bus.topics import StationAddress
from andon.domain.events import format_instant
from tests.board import factory

WAIT_S = 10.0


class FakeStation:
    """Station ``line``/``station`` of the test plant, on ``settings``' broker."""

    def __init__(self, settings: BrokerSettings, line: str = "line-a", station: str = "a3") -> None:
        self.address = StationAddress(factory.PREFIX, factory.SITE, factory.AREA, line, station)
        self.line = line
        self.station = station
        offline = status_message(self.address.path, False, "", "fake", "connection lost")
        self.bus = BusClient(
            settings, will=Will(self.address.status(), encode(offline), qos=1, retain=True)
        )
        self.bus.subscribe(self.address.cmd("+"), self._on_command)
        self.lock = threading.Lock()
        self.journal: dict[int, dict[str, Any]] = {}
        self.calls: dict[str, dict[str, Any]] = {}
        self.commands: list[CommandMessage] = []
        self.replays: list[int] = []
        self.refuse_resolve = ""
        self.closed = False

    # --- life ---------------------------------------------------------------------

    def start(self, *, retained_state: bool = True) -> FakeStation:
        self.bus.start()
        assert self.bus.wait_connected(WAIT_S)
        self.publish_status(True)
        if retained_state:
            self.publish_state()
        return self

    def close(self) -> None:
        self.closed = True
        self.bus.close(timeout=1.0, announce_will=False)

    # --- publishing ---------------------------------------------------------------

    @property
    def seq(self) -> int:
        return max(self.journal, default=0)

    def publish_status(self, online: bool, detail: str = "") -> None:
        now = format_instant(datetime.now(UTC)) if online else ""
        message = status_message(self.address.path, online, now, "fake", detail)
        self.bus.publish(self.address.status(), encode(message), retain=True).wait(WAIT_S)

    def publish_state(self, wait: bool = True) -> None:
        """Publish the retained state (never wait on the network thread: it acknowledges)."""
        with self.lock:
            open_calls = [
                c for c in self.calls.values() if c["status"] in ("raised", "acknowledged")
            ]
            payload = factory.state(
                self.seq,
                self.line,
                self.station,
                now=datetime.now(UTC),
                open_calls=open_calls,
            )
        delivery = self.bus.publish(self.address.state(), payload, retain=True)
        if wait:
            delivery.wait(WAIT_S)

    def record(self, kind: str, data: dict[str, Any], *, lose: bool = False) -> int:
        """Journal an event and publish it (``lose``: journal it but do not publish)."""
        if self.closed:
            return 0
        with self.lock:
            seq = self.seq + 1
            now = format_instant(datetime.now(UTC))
            message = {
                "v": 1,
                "station": self.address.path,
                "seq": seq,
                "id": f"{self.station}-{seq}",
                "at": now,
                "kind": kind,
                "data": {"at": now, **data},
            }
            self.journal[seq] = message
        if not lose:
            self.bus.publish(self.address.events(), encode(message)).wait(WAIT_S)
        return seq

    def raise_call(self, call_type: str = "help", *, lose: bool = False, state: bool = True) -> str:
        """Raise a call: its event, then (``state``) the new retained state."""
        call_id = f"{self.line}.{self.station}.C{len(self.calls) + 1}"
        now = format_instant(datetime.now(UTC))
        with self.lock:
            self.calls[call_id] = factory.call(call_id, call_type, raised_at=now, level=1)
        self.record(
            "call_raised",
            {"call_id": call_id, "call_type": call_type, "source": "button"},
            lose=lose,
        )
        if state:
            self.publish_state()
        return call_id

    def publish_raw(self, channel: str, payload: bytes) -> None:
        self.bus.publish(f"{self.address.base}/{channel}", payload).wait(WAIT_S)

    # --- commands -------------------------------------------------------------------

    def _on_command(self, message: Message) -> None:
        if not self.closed:
            self._answer(message)

    def _answer(self, message: Message) -> None:
        """Runs on the network thread: publishes, never waits."""
        name = message.topic.rsplit("/", 1)[-1]
        try:
            command = parse_command(name, message.payload)
        except MessageError as exc:
            self._reply(name, "", False, str(exc))
            return
        with self.lock:
            self.commands.append(command)
        call = self.calls.get(str(command.args.get("call_id", "")))
        if name == "replay":
            start = int(command.args["from_seq"])
            self.replays.append(start)
            for seq in sorted(s for s in self.journal if s >= start):
                self.bus.publish(self.address.events(), encode(self.journal[seq]))
            self._reply(name, command.command_id, True)
        elif name == "acknowledge" and call is not None and call["status"] == "raised":
            seq = self._change(call, "acknowledged", command, "call_acknowledged")
            self._reply(name, command.command_id, True, seq=seq)
        elif name == "resolve" and call is not None and not self.refuse_resolve:
            seq = self._change(call, "resolved", command, "call_resolved")
            self._reply(name, command.command_id, True, seq=seq)
        else:
            reason = self.refuse_resolve if name == "resolve" else f"cannot {name} that"
            self._reply(name, command.command_id, False, reason)
        self.publish_state(wait=False)

    def _change(self, call: dict[str, Any], status: str, command: CommandMessage, kind: str) -> int:
        now = format_instant(datetime.now(UTC))
        with self.lock:
            call["status"] = status
            if status == "acknowledged":
                call.update(acknowledged_at=now, acknowledged_by=command.by)
        data = {"call_id": call["call_id"], "by": command.by, "source": "board"}
        if kind == "call_resolved":
            data.update(reason=command.args.get("reason", ""), note=command.args.get("note", ""))
        # Like a station: the reply goes out first, the event when the outbox pumps.
        seq = self.seq + 1
        threading.Timer(0.05, self.record, args=(kind, data)).start()
        return seq

    def _reply(
        self, name: str, command_id: str, accepted: bool, reason: str = "", seq: int = 0
    ) -> None:
        message = reply_message(
            self.address.path, name, command_id, accepted, reason, seq or self.seq
        )
        self.bus.publish(self.address.reply(), encode(message))

    def received(self, name: str) -> list[CommandMessage]:
        with self.lock:
            return [c for c in self.commands if c.name == name]
