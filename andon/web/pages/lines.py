"""The plant overview (one card per line) and one line in depth (hours, Pareto, calls)."""

from __future__ import annotations

from andon.board.formatting import LINK_STYLES, sparkline
from andon.board.views import BoardView, HourView, LineView, Link
from andon.domain.shown_figures import plan_text, shown_difference
from andon.i18n import N_
from andon.web import texts as T
from andon.web.pages.calls import NO_OPEN_CALLS, body
from andon.web.pages.common import Words, call_list, e, fixed, line_href
from andon.web.parts import Part, attr, keyed

HOUR_COLUMNS = (N_("Hour"), N_("Plan"), N_("Actual"), N_("Difference"), N_("Variance"), N_("Cause"))


def _figure(label: str, value: str, css: str = "") -> str:
    return f'<div class="figure {css}"><span class="label">{label}</span><b>{e(value)}</b></div>'


def figures(w: Words, line: LineView, *, big: bool = False) -> str:
    """Actual, plan, difference, achievement, takt, availability, OEE and the pace word."""
    snap = line.snapshot
    if snap is None:
        return f'<p class="empty">{w._(T.NO_FIGURES_YET_WAITING_FOR_THE)}</p>'
    style, word = w.pace(snap.pace)
    kpi = line.kpi  # the line's, over every station's stops (docs/figures.md)
    stopped = ""
    if line.line_stopped:
        stopped = f'<div class="stopped">■ {w._(T.LINE_STOPPED)}</div>'
    difference = shown_difference(snap.good, snap.planned)
    main = (
        _figure(w._(T.ACTUAL), w.number(snap.good), "main")
        + _figure(w._(T.PLAN), plan_text(snap.planned, w.t.language), "main")
        + _figure(w._(T.DIFFERENCE), w.signed(difference), f"main {style.css}")
    )
    rest = (
        _figure(w._(T.PLAN_ACHIEVEMENT), w.percent(snap.achievement))
        + _figure(w._(T.TAKT), w.seconds(line.takt_s) if line.takt_s else "–")
        + _figure(w._(T.AVAILABILITY), w.percent(kpi.availability if kpi else None))
        + _figure(w._(T.OEE), w.percent(kpi.oee if kpi else None))
    )
    done = min(1.0, max(0.0, snap.achievement or 0.0))
    progress = (
        f'<div class="progress" role="img" aria-label="{w._(T.PLAN_ACHIEVEMENT)} '
        f'{e(w.percent(snap.achievement))}"><span style="width:{done * 100:.1f}%"></span></div>'
    )
    pace = f'<div class="pace {style.css}">{e(style.symbol)} {word}</div>'
    size = " big" if big else ""
    return (
        f'<div class="figures{size}">{pace}{stopped}<div class="row">{main}</div>'
        f'{progress}<div class="row small">{rest}</div></div>'
    )


def _stations(w: Words, line: LineView) -> str:
    if not line.stations:
        return f'<p class="empty">{w._(T.NO_STATION_HEARD_YET)}</p>'
    return '<div class="chips">' + "".join(w.link_badge(s) for s in line.stations) + "</div>"


def _card_state(line: LineView) -> str:
    snap = line.snapshot
    link = line.counting.link if line.counting is not None else line.link
    css = f"link-{link.value}"
    if snap is not None:
        css += " " + ((snap.pace and f"pace-{snap.pace.replace('_', '-')}") or "pace-none")
    if line.line_stopped:
        css += " stopped-line"
    return css


def _card(w: Words, line: LineView) -> Part:
    key = f"line/{line.id}"
    trend = sparkline(line.trend, 30) or "–"
    link_note = ""
    if line.counting is not None and line.counting.link is not Link.OK:
        style = LINK_STYLES[line.counting.link]
        link_note = f'<p class="warn">{e(style.symbol)} {w._(style.word)}</p>'
    hours = ""
    if line.unexplained_hours:
        text = w.t.gettext("Hours that need a cause: {count}").format(count=line.unexplained_hours)
        hours = f'<p class="warn">⚠ {e(text)}</p>'
    calls = call_list(w, line.open_calls[:4], NO_OPEN_CALLS, f"{key}/calls")
    more = len(line.open_calls) - 4
    more_text = ""
    if more > 0:
        text = w.t.gettext("More open calls: {count}")
        more_text = f'<p class="more"><a href="/calls">{e(text.format(count=more))}</a></p>'
    return Part(
        key,
        (
            f'<section class="card {_card_state(line)}" id="line-{e(line.id)}"{attr(key)}>'
            f'<h2><a href="{line_href(line)}">{e(w.line_name(line.id, line.name))}</a></h2>'
            f"{link_note}",
            fixed(f"{key}/figures", figures(w, line)),
            f'<p class="trend" aria-hidden="true">{e(trend)}</p>{hours}',
            fixed(f"{key}/stations", _stations(w, line)),
            calls,
            f"{more_text}</section>",
        ),
    )


def overview(w: Words, view: BoardView) -> Part:
    """Every line: figures, trend, stations and the oldest open calls."""
    if not view.lines:
        return body(fixed("cards", f'<p class="empty">{w._(T.THIS_BOARD_SHOWS_NO_LINE)}</p>'))
    cards = [_card(w, line) for line in view.lines]
    return body(keyed("cards", f'<div class="cards"{attr("cards")}>', cards, "</div>"))


def _hour_row(w: Words, item: HourView) -> str:
    hour = item.hour
    start, end = e(w.clock(hour.start)[:5]), e(w.clock(hour.end)[:5])
    span = f'{start}<span class="hour-end">–{end}</span>'  # a phone shows the start only
    variance = w.signed_percent(hour.variance)
    css = ""
    if hour.variance is not None and hour.variance <= -0.1:
        css = "pace-too-slow"
    elif hour.variance is not None and hour.variance >= 0.1:
        css = "pace-too-fast"
    if item.pending is not None:
        cause = f'<span class="pending">⧗ {w._(T.COMMAND_SENT_WAITING_FOR_THE_STATION)}</span>'
    elif hour.cause is not None:
        who = f" ({e(hour.cause.by)})" if hour.cause.by else ""
        cause = f"✓ {e(w.reason_label(hour.cause.reason))}{who}"
    elif hour.unexplained:
        cause = f'<span class="alarm">⚠ {w._(T.CAUSE_NEEDED)}</span>'
    else:
        cause = ""
    current = "" if hour.complete else ' class="current"'
    return (
        f"<tr{current}><td>{span}</td><td>{e(plan_text(hour.planned, w.t.language))}</td>"
        f"<td>{e(w.number(hour.actual))}</td>"
        f'<td class="{css}">{e(w.signed(shown_difference(hour.actual, hour.planned)))}</td>'
        f'<td class="{css}">{e(variance)}</td><td>{cause}</td></tr>'
    )


def hourly_table(w: Words, line: LineView) -> str:
    if not line.hours:
        return f'<p class="empty">{w._(T.NO_HOUR_OF_THIS_SHIFT_YET)}</p>'
    head = "".join(
        f'<th scope="col">{w._(text)}</th>'
        for text in (
            N_("Hour"),
            N_("Plan"),
            N_("Actual"),
            N_("Difference"),
            N_("Variance"),
            N_("Cause"),
        )
    )
    rows = "".join(_hour_row(w, h) for h in line.hours)
    return f'<table class="hours"><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>'


def pareto_chart(w: Words, line: LineView) -> str:
    """Longest downtime first, with its share and cumulative share."""
    bars = line.pareto
    if not bars:
        return f'<p class="empty">{w._(T.NO_DOWNTIME_THIS_SHIFT)}</p>'
    total = sum(b.seconds for b in bars) or 1.0
    longest = bars[0].seconds or 1.0
    rows, cumulative = [], 0.0
    for item in bars:
        cumulative += item.seconds
        css = " unexplained" if item.unexplained else ""
        mark = "⚠ " if item.unexplained else ""
        rows.append(
            f'<li class="bar{css}"><span class="bar-label">{e(mark + item.label)}</span>'
            f'<span class="bar-track"><span style="width:{item.seconds / longest * 100:.1f}%">'
            f'</span></span><span class="bar-value">{e(w.duration(item.seconds))}</span>'
            f'<span class="bar-share">{e(w.percent(cumulative / total))} ×{item.stops}</span></li>'
        )
    return '<ol class="pareto">' + "".join(rows) + "</ol>"


def line_page(w: Words, view: BoardView, line_id: str) -> Part:
    """One line: figures, progress, pace, hourly table, Pareto, calls and stations."""
    line = view.line(line_id)
    if line is None:
        return body(fixed("line", f'<p class="empty">{w._(T.NO_SUCH_LINE_ON_THIS_BOARD)}</p>'))
    snap = line.snapshot
    shift = ""
    if snap is not None and snap.shift is not None:
        text = w.t.gettext("Shift {name}, {start}–{end}").format(
            name=w.shift_name(snap.shift.name),
            start=w.clock(snap.shift.start)[:5],
            end=w.clock(snap.shift.end)[:5],
        )
        shift = f'<p class="shift">{e(text)}</p>'
    head = Part(
        "head",
        (
            f'<section class="line-head {_card_state(line)}"{attr("head")}>'
            f"<h2>{e(w.line_name(line.id, line.name))}</h2>{shift}",
            fixed("figures", figures(w, line, big=True)),
            fixed("stations", _stations(w, line)),
            "</section>",
        ),
    )
    return body(
        head,
        Part(
            "columns",
            (
                f'<div class="columns"{attr("columns")}><section>'
                f"<h3>{w._(T.HOURLY_PERFORMANCE)}</h3>",
                fixed("hours", hourly_table(w, line)),
                f"</section><section><h3>{w._(T.STOP_REASONS)}</h3>",
                fixed("pareto", pareto_chart(w, line)),
                f"<h3>{w._(T.OPEN_CALLS)}</h3>",
                call_list(w, line.open_calls, NO_OPEN_CALLS, "calls"),
                "</section></div>",
            ),
        ),
    )
