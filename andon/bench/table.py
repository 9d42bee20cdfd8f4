"""The report as a plain-text table (what ``andon bench`` prints)."""

from __future__ import annotations

from andon.bench.estimates import estimate_text
from andon.bench.figures import Figure, Report
from andon.bench.words import INDENT, shown
from andon.i18n import formats
from andon.i18n.catalog import Translator, translator
from andon.i18n.markers import N_
from andon.i18n.width import cells, pad

HEADERS = (
    N_("figure"),
    N_("p50"),
    N_("p99 | value"),
    N_("reference (same run)"),
    N_("ratio"),
    N_("target"),
    N_("result"),
)
SKIPPED = N_("skipped")
PASSED = N_("pass")
MISSED = N_("miss")
INVALID = N_("invalid")
"""The verdict of a measurement that cannot be right (see the notes for why)."""
NOT_VALID = N_("{name}: not a valid measurement: {why}")
"""Under the table, for each invalid figure."""
NOT_MEASURED = N_("not measured: {why}")
TITLE = N_("andon bench: {cpu}, {nproc} CPUs, Python {python}, {platform}")
TITLE_QUICK = N_("andon bench --quick: {cpu}, {nproc} CPUs, Python {python}, {platform}")
NOTES = N_("notes:")
NOTE = N_("{name}: {note}")
"""A row's note under the table."""
ESTIMATES = N_("Raspberry Pi estimates (derived from CPU time per event; not measured):")
FINISHED = N_("finished in {seconds} s")


def number(value: float | None, unit: str = "") -> str:
    """A number with a sensible precision, and its unit."""
    if value is None:
        return "-"
    if abs(value) >= 1000:
        text = f"{value:,.0f}"
    elif abs(value) >= 100:
        text = f"{value:.0f}"
    elif abs(value) >= 10:
        text = f"{value:.1f}"
    elif abs(value) >= 1:
        text = f"{value:.2f}"
    else:
        text = f"{value:.3f}"
    return f"{text} {unit}".strip()


def verdict(figure: Figure, tr: Translator | None = None) -> str:
    """``pass``, ``miss``, ``skipped``, ``invalid`` (or ``-`` without a target) in
    ``tr``'s language."""
    tr = tr or translator("en")
    if figure.skipped:
        return tr.gettext(SKIPPED)
    if figure.invalid:
        return tr.gettext(INVALID)
    if figure.passed is None:
        return "-"
    return tr.gettext(PASSED if figure.passed else MISSED)


def row(figure: Figure, tr: Translator | None = None) -> tuple[str, ...]:
    """The cells of one figure in ``tr``'s language (English without): the frame's words,
    and the row's name, reference, target and why it was not measured
    (:mod:`andon.bench.words`)."""
    tr = tr or translator("en")
    name = shown(figure.name, tr)
    target = shown(figure.target, tr) if figure.target else ""
    if figure.skipped:
        return (
            name,
            "-",
            "-",
            tr.gettext(NOT_MEASURED).format(why=shown(figure.skipped, tr)),
            "-",
            target,
            verdict(figure, tr),
        )
    reference = (
        f"{shown(figure.reference.name, tr)} "
        f"{number(figure.reference.value, figure.reference.unit)}"
        if figure.reference
        else "-"
    )
    ratio = "-" if figure.ratio is None else f"{figure.ratio:.2f}x"
    return (
        name,
        number(figure.p50, figure.unit) if figure.p50 is not None else "-",
        number(figure.headline, figure.unit),
        reference,
        ratio,
        target or "-",
        verdict(figure, tr),
    )


def render(report: Report, tr: Translator | None = None) -> str:
    """The whole report: the machine, the table, the notes and the Pi estimates.

    The table (headings, verdicts, titles, the rows' names, references and targets) is
    in ``tr``'s language (English without one), the notes and the Pi estimates too.
    """
    tr = tr or translator("en")
    headers = tuple(tr.gettext(h) for h in HEADERS)
    rows = [headers, *(row(f, tr) for f in report.figures)]
    widths = [max(cells(r[i]) for r in rows) for i in range(len(HEADERS))]

    def line(values: tuple[str, ...]) -> str:
        return "  ".join(pad(v, w) for v, w in zip(values, widths, strict=True))

    machine = report.machine
    title = tr.gettext(TITLE_QUICK if report.quick else TITLE).format(
        cpu=machine.get("cpu", "?"),
        nproc=machine.get("nproc", "?"),
        python=machine.get("python", "?"),
        platform=machine.get("platform", "?"),
    )
    out = [
        title,
        "",
        line(headers),
        line(tuple("-" * w for w in widths)),
        *(line(r) for r in rows[1:]),
    ]
    notes = [f for f in report.figures if f.note or f.invalid]
    if notes:
        out += ["", tr.gettext(NOTES)]
        note, not_valid = tr.gettext(NOTE), tr.gettext(NOT_VALID)
        for f in notes:
            name = shown(f.name, tr).lstrip(" ")
            if f.invalid:
                out.append(INDENT + not_valid.format(name=name, why=shown(f.invalid, tr)))
            if f.note:
                out.append(INDENT + note.format(name=shown(f.name, tr), note=shown(f.note, tr)))
    if report.estimates:
        out += ["", tr.gettext(ESTIMATES)]
        out += [INDENT + estimate_text(e, tr) for e in report.estimates]
    seconds = formats.number(round(report.seconds, 1), tr.language, digits=1)
    out += ["", tr.gettext(FINISHED).format(seconds=seconds)]
    return "\n".join(out)
