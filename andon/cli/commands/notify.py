"""``andon notify --config F``: route calls and escalations to people until SIGINT or SIGTERM."""

from __future__ import annotations

import argparse
import signal
import sys
import threading
from pathlib import Path
from types import FrameType

from andon.cli import speech
from andon.cli.speech import say
from andon.config import wording
from andon.i18n.markers import N_

STARTED = N_("andon notify {id}: {summary}")
STARTED_ACK = N_("andon notify {id}: {summary}, acknowledge at {url}")
STOPPED = N_("andon notify {id} stopped")

NAME = "notify"
HELP = N_("send maintenance alerts (e-mail, chat, push, SMS gateways) for calls and escalations")

EXIT_OK = 0
EXIT_INVALID = 1
EXIT_MISSING = 2


def configure(parser: argparse.ArgumentParser) -> None:
    _ = speech.terminal().gettext
    parser.add_argument(
        "--config", required=True, type=Path, metavar="FILE", help=_('a kind = "notify" file')
    )
    parser.add_argument(
        "--check",
        action="store_true",
        help=_("check the file and the channels' URLs, then exit"),
    )


def run(args: argparse.Namespace) -> int:
    from andon.bus.credentials import BrokerSettings
    from andon.config.errors import ConfigError, ConfigFileNotFoundError
    from andon.config.loader import load_notify
    from andon.notify.channels import apprise_channels
    from andon.notify.queue import QueueError
    from andon.notify.queue_errors import TEMPLATES as QUEUE
    from andon.notify.service import Notifier

    try:
        config = load_notify(args.config)
        senders = apprise_channels(config, args.config)
    except ConfigFileNotFoundError as error:
        print(speech.config_error(error), file=sys.stderr)
        return EXIT_MISSING
    except ConfigError as error:
        print(speech.config_error(error), file=sys.stderr)
        return EXIT_INVALID
    tr = speech.terminal()
    if args.check:
        print(say(wording.OK, tr, file=args.config, kind="notify", summary=config.summary(tr)))
        return EXIT_OK
    stop = threading.Event()

    def _on_signal(signum: int, frame: FrameType | None) -> None:
        stop.set()

    previous = {sig: signal.signal(sig, _on_signal) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        reporter = None
        try:
            if config.shift_reports:
                from andon.notify.shift_reports import ShiftReporter

                queue = config.queue_path
                reports_log = queue.with_name(f"{queue.stem}-reports.sqlite")
                reporter = ShiftReporter(config, senders, reports_log)
        except ConfigError as error:
            print(speech.config_error(error, tr), file=sys.stderr)
            return EXIT_INVALID
        try:
            # a password file that cannot be used is said here, before the queue opens
            BrokerSettings.from_config(config.plant_config.broker).password()
            notifier = Notifier(config, senders).start()
        except ConfigError as error:  # a bundle from before the broker bound notifiers
            print(speech.config_error(error, tr), file=sys.stderr)
            return EXIT_INVALID
        except QueueError as error:
            print(speech.failed(error, QUEUE, tr), file=sys.stderr)
            return EXIT_INVALID
        except (OSError, ValueError) as error:
            print(say(speech.ERROR, tr, error=speech.broker(error, tr)), file=sys.stderr)
            return EXIT_INVALID
        if reporter is not None:
            reporter.start()
        summary = config.summary(tr)
        if notifier.ack_base_url:
            started = say(STARTED_ACK, tr, id=config.id, summary=summary, url=notifier.ack_base_url)
        else:
            started = say(STARTED, tr, id=config.id, summary=summary)
        print(started, flush=True)
        try:
            while not stop.wait(1.0):
                pass
        finally:
            if reporter is not None:
                reporter.stop()
            notifier.stop()
        print(say(STOPPED, tr, id=config.id), flush=True)
        return EXIT_OK
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
