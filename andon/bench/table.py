"""The report as a plain-text table (what ``andon bench`` prints)."""

from __future__ import annotations

from andon.bench.figures import Figure, Report

HEADERS = ("figure", "p50", "p99 | value", "reference (same run)", "ratio", "target", "result")


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


def verdict(figure: Figure) -> str:
    if figure.skipped:
        return "skipped"
    if figure.passed is None:
        return "-"
    return "pass" if figure.passed else "miss"


def row(figure: Figure) -> tuple[str, ...]:
    """The cells of one figure."""
    if figure.skipped:
        return (
            figure.name,
            "-",
            "-",
            f"not measured: {figure.skipped}",
            "-",
            figure.target,
            "skipped",
        )
    reference = (
        f"{figure.reference.name} {number(figure.reference.value, figure.reference.unit)}"
        if figure.reference
        else "-"
    )
    ratio = "-" if figure.ratio is None else f"{figure.ratio:.2f}x"
    return (
        figure.name,
        number(figure.p50, figure.unit) if figure.p50 is not None else "-",
        number(figure.headline, figure.unit),
        reference,
        ratio,
        figure.target or "-",
        verdict(figure),
    )


def render(report: Report) -> str:
    """The whole report: the machine, the table, the notes and the Pi estimates."""
    rows = [HEADERS, *(row(f) for f in report.figures)]
    widths = [max(len(r[i]) for r in rows) for i in range(len(HEADERS))]

    def line(cells: tuple[str, ...]) -> str:
        return "  ".join(cell.ljust(width) for cell, width in zip(cells, widths, strict=True))

    machine = report.machine
    out = [
        f"andon bench{' --quick' if report.quick else ''}: "
        f"{machine.get('cpu', '?')}, {machine.get('nproc', '?')} CPUs, "
        f"Python {machine.get('python', '?')}, {machine.get('platform', '?')}",
        "",
        line(HEADERS),
        line(tuple("-" * w for w in widths)),
        *(line(r) for r in rows[1:]),
    ]
    notes = [f for f in report.figures if f.note]
    if notes:
        out += ["", "notes:"]
        out += [f"  {f.name}: {f.note}" for f in notes]
    if report.estimates:
        out += ["", "Raspberry Pi estimates (derived from CPU time per event; not measured):"]
        out += [f"  {e['text']}" for e in report.estimates]
    out += ["", f"finished in {report.seconds:.1f} s"]
    return "\n".join(out)
