"""``andon report --config CONFIG``: a line, the area or the site over a period."""

from __future__ import annotations

import argparse
import sys
from datetime import UTC, datetime
from pathlib import Path

NAME = "report"
HELP = (
    "report a line, the area or the site over a shift, day, week, month or range from the "
    "history: plan vs actual, OEE, downtime Pareto, MTTA/MTTR, hourly table"
)

DEFAULT_DATABASE = "sqlite:////var/lib/andon/history.sqlite"
FORMATS = ("table", "csv", "json", "html")

EXIT_OK = 0
EXIT_NOTHING = 1
EXIT_INVALID = 2


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--config",
        required=True,
        type=Path,
        metavar="CONFIG",
        help="directory holding plant.toml and the station files",
    )
    parser.add_argument(
        "--database",
        default=DEFAULT_DATABASE,
        metavar="URL",
        help=f"the history (default: {DEFAULT_DATABASE})",
    )
    scope = parser.add_mutually_exclusive_group()
    scope.add_argument("--line", metavar="ID", help="one line")
    scope.add_argument("--area", metavar="ID", help="the plant's area")
    scope.add_argument("--site", action="store_true", help="every line (the default)")
    period = parser.add_mutually_exclusive_group()
    for kind in ("shift", "day", "week", "month"):
        period.add_argument(
            f"--{kind}",
            dest="kind",
            action="store_const",
            const=kind,
            help=f"the {kind} containing --at (a shift: the last one started by --at)"
            + (" (the default)" if kind == "shift" else ""),
        )
    parser.add_argument(
        "--at",
        metavar="WHEN",
        help="a date or instant in the period (default: now), e.g. "
        "2026-03-04 or 2026-03-04T10:00 (plant time)",
    )
    parser.add_argument("--from", dest="start", metavar="WHEN", help="start of a range")
    parser.add_argument("--to", dest="end", metavar="WHEN", help="end of a range (excluded)")
    parser.add_argument("--compare", action="store_true", help="compare with the previous period")
    parser.add_argument("--format", choices=FORMATS, default="table", help="default: table")
    parser.add_argument("-o", "--output", type=Path, metavar="FILE", help="write to FILE")
    parser.add_argument(
        "--language",
        metavar="CODE",
        help="the report's language (zh_CN, zh_TW, de, en); default: the plant's [site] language",
    )


def _instant(text: str, zone, what: str) -> datetime:
    try:
        value = datetime.fromisoformat(text)
    except ValueError as exc:
        raise ValueError(
            f"{what}: expected a date or instant like 2026-03-04T10:00, got {text!r}"
        ) from exc
    return value.replace(tzinfo=zone) if value.tzinfo is None else value


def run(args: argparse.Namespace) -> int:
    from andon.config.errors import ConfigError
    from andon.historian.period import Period, PeriodError, period_at
    from andon.historian.render import render
    from andon.historian.report import ReportError, Scope, build_report, history_now
    from andon.historian.site import load_site
    from andon.historian.store import HistoryError, open_store
    from andon.i18n.catalog import UnknownLanguage, normalise_language

    try:
        site = load_site(args.config)
    except ConfigError as error:
        for issue in error.errors:
            print(issue, file=sys.stderr)
        return EXIT_INVALID
    zone = site.plant.site.zone
    calendar = site.plant.domain_calendar()
    try:
        with open_store(args.database) as store:
            now = history_now(store, datetime.now(UTC))
    except HistoryError as error:
        print(f"error: {error}", file=sys.stderr)
        return EXIT_INVALID
    try:
        if args.start or args.end:
            if not (args.start and args.end) or args.kind or args.at:
                raise ValueError("a range needs both --from and --to, and no --shift/--day/…/--at")
            start, end = _instant(args.start, zone, "--from"), _instant(args.end, zone, "--to")
            if end <= start:
                raise ValueError("--to must come after --from")
            period = Period("range", start, end)
        else:
            at = _instant(args.at, zone, "--at") if args.at else now
            if args.at and len(args.at) == 10 and (args.kind or "shift") == "shift":
                at = at.replace(hour=23, minute=59)  # a date: its last shift
            period = period_at(args.kind or "shift", at, calendar)
    except (ValueError, PeriodError) as error:
        print(f"error: {error}", file=sys.stderr)
        return EXIT_INVALID
    if args.line:
        scope = Scope("line", args.line)
    elif args.area:
        scope = Scope("area", args.area)
    else:
        scope = Scope("site", site.plant.site.id)
    try:
        with open_store(args.database) as store:
            report = build_report(store, site, scope, period, now=now, compare=args.compare)
    except HistoryError as error:
        print(f"error: {error}", file=sys.stderr)
        return EXIT_INVALID
    except ReportError as error:
        print(error, file=sys.stderr)
        return EXIT_NOTHING
    try:
        language = normalise_language(args.language or site.plant.site.language)
    except UnknownLanguage as error:
        print(f"error: --language: {error}", file=sys.stderr)
        return EXIT_INVALID
    text = render(report, args.format, language, site.plant)
    if args.output is not None:
        try:
            args.output.write_text(text, encoding="utf-8")
        except OSError as exc:
            print(f"{args.output}: cannot write the report: {exc}", file=sys.stderr)
            return EXIT_INVALID
    else:
        sys.stdout.write(text)
    return EXIT_OK
