"""``andon demo``: simulated stations, an embedded broker and the board, in one command."""

from __future__ import annotations

import argparse
import logging
import signal
import sys
import tempfile
import threading
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Callable

    from textual.app import App

    from andon.demo.run import Demo
    from andon.web.server import WebServer

from andon.cli import speech
from andon.i18n.markers import N_

SPEED = N_("--speed: expected a number greater than 0")
CANNOT_LOG = N_("--log {file}: cannot write the log: {error}")
FAILED = N_("andon demo: {error}")
TITLE_LOG = N_("{title} · log {file}")
"""The board's header in the demo: its title and the log file's name."""
TITLE_LOADING = N_("{title} · loading the past weeks…")
"""The board's header while the past weeks are played into the history."""

NAME = "demo"
HELP = N_(
    "run the demo: embedded broker, simulated stations with simulated operators, and the board"
)


def configure(parser: argparse.ArgumentParser) -> None:
    _ = speech.terminal().gettext
    parser.add_argument(
        "--broker", metavar="HOST:PORT", help=_("use this broker instead of starting one")
    )
    parser.add_argument(
        "--speed",
        type=float,
        default=10.0,
        help=_(
            "time acceleration: plant time runs this many times faster (default {speed})"
        ).format(speed=10),
    )
    parser.add_argument(
        "--data", type=Path, help=_("keep the station journals here (default: a temporary folder)")
    )
    parser.add_argument(
        "--headless", action="store_true", help=_("no board: run the stations and operators only")
    )
    parser.add_argument("--seconds", type=float, help=_("stop after this many seconds"))
    parser.add_argument(
        "--no-past-weeks",
        dest="past_weeks",
        action="store_false",
        help=_(
            "on a first start, do not play this shift 1, 2 and 3 weeks back nor the one before it"
        ),
    )
    parser.add_argument(
        "--web",
        metavar="HOST:PORT",
        default="127.0.0.1:8080",
        help=_(
            'where the web view listens (default {listen}, else a free port); "off": no web view'
        ).format(listen="127.0.0.1:8080"),
    )
    parser.add_argument(
        "--language",
        metavar="CODE",
        help=_("the board's language (zh_CN, zh_TW, de, en); default: the demo board's"),
    )
    parser.add_argument(
        "--board", type=Path, help=_("board file to show (default: the demo's supervisor board)")
    )
    parser.add_argument(
        "--log",
        type=Path,
        metavar="PATH",
        help=_(
            "append the log here (default: demo.log in the --data folder, "
            "else andon-demo.log in the temporary folder); never written over the board"
        ),
    )


def log_path(args: argparse.Namespace) -> Path:
    """Where the demo's log goes: ``--log``, else beside the journals, else the temp folder."""
    if args.log is not None:
        return args.log
    if args.data is not None:
        return args.data / "demo.log"
    return Path(tempfile.gettempdir()) / "andon-demo.log"


def log_to_file(path: Path, *, keep_console: bool) -> None:
    """Send every log record to ``path``; the console keeps them only when asked (headless)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    root = logging.getLogger()
    handler = logging.FileHandler(path, encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    if not keep_console:
        for old in list(root.handlers):
            root.removeHandler(old)
    root.addHandler(handler)


def run(args: argparse.Namespace) -> int:
    from andon.bus.settings import parse_host_port
    from andon.cli.speech import OPTION, broker, language, terminal
    from andon.demo.run import DEMO_DIR, start_demo
    from andon.i18n.catalog import UnknownLanguage, normalise_language

    if args.speed <= 0:
        print(terminal().gettext(SPEED), file=sys.stderr)
        return 2
    try:
        if args.broker:
            parse_host_port(args.broker)
    except ValueError as error:
        shown_error = broker(error)
        print(
            terminal().gettext(OPTION).format(option="--broker", error=shown_error), file=sys.stderr
        )
        return 2
    try:
        language = normalise_language(args.language) if args.language else None
    except UnknownLanguage as error:
        print(language(error), file=sys.stderr)
        return 2
    from babel.numbers import format_decimal

    from andon.config.messages import terminal_language
    from andon.i18n import translator

    shown = translator(language or terminal_language())
    _ = shown.gettext
    log_file = log_path(args)
    try:
        log_to_file(log_file, keep_console=args.headless)
    except OSError as exc:
        print(_(CANNOT_LOG).format(file=log_file, error=exc), file=sys.stderr)
        return 2
    print(_("andon demo: log in {file}").format(file=log_file), flush=True)
    from andon.historian.store import HistoryError

    stop = threading.Event()
    if args.headless:  # before the start: a stop asked for meanwhile ends the demo cleanly
        for sig in (signal.SIGINT, signal.SIGTERM):
            signal.signal(sig, lambda *_: stop.set())
    try:
        demo = start_demo(
            broker=args.broker, speed=args.speed, data_dir=args.data, past_weeks=args.past_weeks
        )
    except HistoryError as exc:
        from andon.historian.errors import TEMPLATES as HISTORY_TEMPLATES

        print(_(FAILED).format(error=speech.shown(str(exc), HISTORY_TEMPLATES)), file=sys.stderr)
        return 2
    started = _("andon demo: {count} simulated stations on broker {broker}, plant time x{speed}")
    print(
        started.format(
            count=demo.station_count,
            broker=demo.broker_address,
            speed=format_decimal(args.speed, locale=shown.locale),
        ),
        flush=True,
    )
    if demo.loading:
        loading = _(
            "andon demo: loading the past weeks into the history; "
            "the stations start when that is done"
        )
        print(loading, flush=True)
    web = None
    try:
        web = _start_web(args, demo, language, _)
        if args.headless:
            stop.wait(args.seconds)
            return 0
        from andon.board.run import build_app
        from andon.bus.settings import parse_host_port
        from andon.config.loader import load_board

        board = load_board(args.board or DEMO_DIR / "board.toml")
        # The board reads plant time: staleness is measured in it too.
        update: dict[str, object] = {"stale_after_s": board.stale_after_s * args.speed}
        update["history"] = demo.history_url  # the History screen reads the demo's history
        if language:
            update["language"] = language
        board = board.model_copy(update=update)
        host, port = parse_host_port(demo.broker_address)
        from andon.board.run import broker_settings

        settings = broker_settings(board)
        from dataclasses import replace

        app = build_app(
            board,
            replace(settings, host=host, port=port),
            clock=demo.clock.now,
            command_timeout_s=15 * args.speed,
        )
        # The header keeps room for the clock at 80 columns: it names the log file only,
        # the start line (above the board, and again on leaving it) gives its whole path.
        # It speaks the board's language, as the board under it does.
        said = translator(board.shown_language).gettext
        title = said(TITLE_LOG).format(title=app.title, file=log_file.name)
        if demo.loading:  # in its place, as 80 columns hold one of them beside the clock
            app.title = said(TITLE_LOADING).format(title=app.title)
            _title_when_ready(app, demo, title)
        else:
            app.title = title
        if args.seconds:
            threading.Timer(args.seconds, lambda: app.call_from_thread(app.exit)).start()
        app.run()
        print(_("andon demo: the log is in {file}").format(file=log_file), flush=True)
        return 0
    finally:
        if web is not None:
            web.stop()
        demo.stop()


def _title_when_ready(app: App[None], demo: Demo, title: str) -> None:
    """Give the board its title back once the past weeks are in (the stations run)."""

    def wait() -> None:
        while not demo.ready.wait(0.5):
            if not demo.loading:
                break  # stopped, or the stations could not start: the log says why
        try:
            app.call_from_thread(setattr, app, "title", title)
        except RuntimeError:  # not running (yet, or any more)
            app.title = title

    threading.Thread(target=wait, name="demo-title", daemon=True).start()


def _start_web(
    args: argparse.Namespace, demo: Demo, language: str | None, _: Callable[[str], str]
) -> WebServer | None:
    """The web view on the demo's broker in plant time; says where (or why not)."""
    if args.web == "off":
        return None
    try:
        from andon.web.demo import start_web
    except ModuleNotFoundError as error:  # the web extra is not installed
        missing = _("andon demo: no web view ({module} missing: pip install 'andon[web]')")
        print(missing.format(module=error.name))
        return None
    try:
        web = start_web(
            demo.broker_address,
            demo.clock.now,
            args.speed,
            listen=args.web,
            language=language,
            history_url=demo.history_url,
        )
    except (OSError, RuntimeError, ValueError) as error:
        print(_("andon demo: no web view: {error}").format(error=error), file=sys.stderr)
        return None
    where = _("andon demo: web view on {url} (sign in: badge {badge}, PIN {pin})")
    print(where.format(url=web.url, badge="2001", pin="1234"), flush=True)
    return web
