"""``andon broker``: the embedded MQTT broker in the foreground."""

from __future__ import annotations

import argparse
import signal
import sys
import threading
from types import FrameType

from andon.cli import speech
from andon.cli.speech import say
from andon.i18n.markers import N_

NOT_LOOPBACK = N_(
    "error: --host {host} is not a loopback address; the embedded broker has no "
    "authentication. Pass --allow-remote to serve other machines anyway."
)
LISTENING = N_("andon broker listening on {host}:{port}")
STOPPED_UNEXPECTEDLY = N_("error: the broker stopped unexpectedly")
STOPPED = N_("andon broker stopped")

NAME = "broker"
HELP = N_("run the embedded MQTT broker (demo, single-Pi installs) until SIGINT or SIGTERM")


def configure(parser: argparse.ArgumentParser) -> None:
    _ = speech.terminal().gettext
    parser.add_argument("--host", default="127.0.0.1", help=_("address to listen on"))
    parser.add_argument(
        "--port",
        type=int,
        default=1883,
        help=_("TCP port (0: any free port; default {port})").format(port=1883),
    )
    parser.add_argument(
        "--allow-remote",
        action="store_true",
        help=_("allow a non-loopback --host (the broker has no authentication)"),
    )


def run(args: argparse.Namespace) -> int:
    from andon.bus.embedded_broker import BrokerStartError, EmbeddedBroker, is_loopback

    if not args.allow_remote and not is_loopback(args.host):
        print(say(NOT_LOOPBACK, host=args.host), file=sys.stderr)
        return 2
    stop = threading.Event()

    def _on_signal(signum: int, frame: FrameType | None) -> None:
        stop.set()

    previous = {sig: signal.signal(sig, _on_signal) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        broker = EmbeddedBroker(args.host, args.port, allow_remote=args.allow_remote)
        try:
            broker.start()
        except BrokerStartError as exc:
            print(speech.failed(exc), file=sys.stderr)
            return 1
        print(say(LISTENING, host=args.host, port=broker.port), flush=True)
        try:
            while not stop.wait(0.5):
                if not broker.running:
                    print(say(STOPPED_UNEXPECTEDLY), file=sys.stderr)
                    return 1
        finally:
            broker.stop()
        print(say(STOPPED), flush=True)
        return 0
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
