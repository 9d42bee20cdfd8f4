"""``andon report --config CONFIG``: a line, the area or the site over a period."""

from __future__ import annotations

import argparse
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from andon.historian.period import Period
    from andon.historian.site import Site

from andon.cli import speech
from andon.cli.speech import say
from andon.historian.errors import TEMPLATES as HISTORY_TEMPLATES
from andon.i18n.markers import N_

NAME = "report"
LOG_LEVEL = "WARNING"
"""A one-shot command: its answer, not the connection log."""
HELP = N_(
    "report a line, the area or the site over a shift, day, week, month or range from the "
    "history: plan vs actual, OEE, downtime Pareto, MTTA/MTTR, hourly table"
)

DEFAULT_DATABASE = "sqlite:////var/lib/andon/history.sqlite"
FORMATS = ("table", "csv", "json", "html")

EXIT_OK = 0
EXIT_NOTHING = 1
EXIT_INVALID = 2

INSTANT = N_("{option}: expected a date or instant like 2026-03-04T10:00, got {got}")
RANGE = N_("a range needs both --from and --to, and no --shift/--day/…/--at")
TO_AFTER_FROM = N_("--to must come after --from")
NO_SITE = N_("there is no site {site} in {file} (its site: {known})")
SAME_SITE_ID = N_("--config: two sites have the same id ({ids})")
COMPARE_ONE_SITE = N_("--compare: only for the report of one site")
CANNOT_WRITE = N_("{file}: cannot write the report: {error}")
TEMPLATES = (*HISTORY_TEMPLATES, INSTANT, RANGE, TO_AFTER_FROM)
"""The sentences an error of the report's period or history may hold."""


PERIOD_HELP = {
    "shift": N_("the shift containing --at: the last one started by --at (the default)"),
    "day": N_("the day containing --at"),
    "week": N_("the week containing --at"),
    "month": N_("the month containing --at"),
}
"""The help of the period options, one sentence each."""


def configure(parser: argparse.ArgumentParser) -> None:
    _ = speech.terminal().gettext
    parser.add_argument(
        "--config",
        required=True,
        type=Path,
        action="append",
        metavar="CONFIG",
        help=_(
            "directory holding plant.toml and the station files; once per site for a "
            "report across the sites of an enterprise history"
        ),
    )
    parser.add_argument(
        "--database",
        default=DEFAULT_DATABASE,
        metavar="URL",
        help=_("the history (default: {database})").format(database=DEFAULT_DATABASE),
    )
    scope = parser.add_mutually_exclusive_group()
    scope.add_argument("--line", metavar="ID", help=_("one line"))
    scope.add_argument("--area", metavar="ID", help=_("the plant's area"))
    parser.add_argument(
        "--site",
        nargs="?",
        const="",
        metavar="ID",
        help=_("every line of the site (the default); across sites: only site ID"),
    )
    period = parser.add_mutually_exclusive_group()
    for kind, words in PERIOD_HELP.items():
        period.add_argument(
            f"--{kind}", dest="kind", action="store_const", const=kind, help=_(words)
        )
    parser.add_argument(
        "--at",
        metavar="WHEN",
        help=_(
            "a date or instant in the period (default: now), e.g. "
            "2026-03-04 or 2026-03-04T10:00 (plant time)"
        ),
    )
    parser.add_argument("--from", dest="start", metavar="WHEN", help=_("start of a range"))
    parser.add_argument("--to", dest="end", metavar="WHEN", help=_("end of a range (excluded)"))
    parser.add_argument(
        "--compare", action="store_true", help=_("compare with the previous period")
    )
    parser.add_argument("--format", choices=FORMATS, default="table", help=_("default: table"))
    parser.add_argument("-o", "--output", type=Path, metavar="FILE", help=_("write to FILE"))
    parser.add_argument(
        "--language",
        metavar="CODE",
        help=_(
            "the report's language (zh_CN, zh_TW, de, en); default: the plant's [site] language"
        ),
    )


def _instant(text: str, zone, what: str) -> datetime:
    try:
        value = datetime.fromisoformat(text)
    except ValueError as exc:
        raise ValueError(INSTANT.format(option=what, got=repr(text))) from exc
    return value.replace(tzinfo=zone) if value.tzinfo is None else value


def run(args: argparse.Namespace) -> int:
    from andon.config.errors import ConfigError
    from andon.historian.formats import render
    from andon.historian.period import PeriodError
    from andon.historian.report import ReportError, Scope, build_report, history_now
    from andon.historian.site import load_site
    from andon.historian.store import HistoryError
    from andon.historian.stores import open_store
    from andon.i18n.catalog import UnknownLanguage, normalise_language

    try:
        sites = [load_site(config) for config in args.config]
    except ConfigError as error:
        for issue in error.errors:
            print(speech.issue(issue), file=sys.stderr)
        return EXIT_INVALID
    try:
        with open_store(args.database) as store:
            now = history_now(store, datetime.now(UTC))
    except HistoryError as error:
        print(speech.failed(error, TEMPLATES), file=sys.stderr)
        return EXIT_INVALID
    try:
        periods = {s.plant.site.id: _period(args, s, now) for s in sites}
    except (ValueError, PeriodError) as error:
        print(speech.failed(error, TEMPLATES), file=sys.stderr)
        return EXIT_INVALID
    if len(sites) > 1:
        return _across_sites(args, sites, periods, now)
    site = sites[0]
    period = periods[site.plant.site.id]
    if args.site and args.site != site.plant.site.id:
        shown = say(NO_SITE, site=repr(args.site), file=args.config[0], known=site.plant.site.id)
        print(shown, file=sys.stderr)
        return EXIT_NOTHING
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
        print(speech.failed(error, TEMPLATES), file=sys.stderr)
        return EXIT_INVALID
    except ReportError as error:
        print(speech.shown(str(error), TEMPLATES), file=sys.stderr)
        return EXIT_NOTHING
    try:
        language = normalise_language(args.language or site.plant.site.language)
    except UnknownLanguage as error:
        print(speech.failed(speech.language(error)), file=sys.stderr)
        return EXIT_INVALID
    return _write(args, render(report, args.format, language, site.plant))


def _period(args: argparse.Namespace, site: Site, now: datetime) -> Period:
    """The period asked for, in the site's calendar and time zone."""
    from andon.historian.period import Period, period_at

    zone = site.plant.site.zone
    if args.start or args.end:
        if not (args.start and args.end) or args.kind or args.at:
            raise ValueError(RANGE)
        start, end = _instant(args.start, zone, "--from"), _instant(args.end, zone, "--to")
        if end <= start:
            raise ValueError(TO_AFTER_FROM)
        return Period("range", start, end)
    at = _instant(args.at, zone, "--at") if args.at else now
    if args.at and len(args.at) == 10 and (args.kind or "shift") == "shift":
        at = at.replace(hour=23, minute=59)  # a date: its last shift
    return period_at(args.kind or "shift", at, site.plant.domain_calendar())


def _across_sites(
    args: argparse.Namespace, sites: list[Site], periods: dict[str, Period], now: datetime
) -> int:
    """One row per site and the total, from an enterprise history (docs/reports.md)."""
    from andon.historian.report import ReportError
    from andon.historian.sites_render import render_sites
    from andon.historian.sites_report import Selection, build_sites_report
    from andon.historian.store import HistoryError
    from andon.historian.stores import open_store
    from andon.i18n.catalog import UnknownLanguage, normalise_language

    ids = [s.plant.site.id for s in sites]
    if len(set(ids)) != len(ids):
        print(say(SAME_SITE_ID, ids=", ".join(ids)), file=sys.stderr)
        return EXIT_INVALID
    if args.compare:
        print(say(COMPARE_ONE_SITE), file=sys.stderr)
        return EXIT_INVALID
    selection = Selection(args.site or None, args.area, args.line)
    try:
        with open_store(args.database) as store:
            report = build_sites_report(
                store, sites, selection, lambda s: periods[s.plant.site.id], now=now
            )
    except HistoryError as error:
        print(speech.failed(error, TEMPLATES), file=sys.stderr)
        return EXIT_INVALID
    except ReportError as error:
        print(speech.shown(str(error), TEMPLATES), file=sys.stderr)
        return EXIT_NOTHING
    try:
        language = normalise_language(args.language or sites[0].plant.site.language)
    except UnknownLanguage as error:
        print(speech.failed(speech.language(error)), file=sys.stderr)
        return EXIT_INVALID
    return _write(args, render_sites(report, args.format, language))


def _write(args: argparse.Namespace, text: str) -> int:
    if args.output is not None:
        try:
            args.output.write_text(text, encoding="utf-8")
        except OSError as exc:
            print(say(CANNOT_WRITE, file=args.output, error=exc), file=sys.stderr)
            return EXIT_INVALID
    else:
        sys.stdout.write(text)
    return EXIT_OK
