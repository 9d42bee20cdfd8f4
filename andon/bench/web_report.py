"""``andon bench --web``: the viewers benchmark as figures, textual-serve the reference."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from statistics import median

from andon.bench import words as W
from andon.bench.broker import MISSING, BenchBroker, find_mosquitto
from andon.bench.figures import Figure, Reference, Report, latency, single, skipped
from andon.bench.machine import describe
from andon.bench.stats import percentile
from andon.bench.web_viewers import ViewersResult, measure_textual_serve, measure_web_viewers

LATENCY_LIMIT_MS = 250.0


@dataclass(frozen=True)
class WebPlan:
    viewers: int
    lines: int
    per_line: int
    per_station: int
    tabs: int
    rounds: int
    """Rounds of both intakes, taking turns (the first of each pair alternates)."""


FULL = WebPlan(viewers=200, lines=100, per_line=2, per_station=60, tabs=3, rounds=3)
QUICK = WebPlan(viewers=20, lines=10, per_line=2, per_station=20, tabs=1, rounds=1)


def _pooled(results: list[ViewersResult]) -> ViewersResult:
    """The rounds of one intake as one result: every sample, the median of each value."""
    first = results[0]
    pooled = ViewersResult(first.viewers, first.events, median([r.drain_s for r in results]))
    for result in results:
        pooled.latencies_s += result.latencies_s
        pooled.quiet_latencies_s += result.quiet_latencies_s
        pooled.to_server_s += result.to_server_s
        pooled.server_to_viewer_s += result.server_to_viewer_s
        pooled.missed += result.missed
    for name in ("quiet_bytes", "drain_bytes", "rss_idle_mb", "rss_viewers_mb",
                 "quiet_cpu_idle", "quiet_cpu_viewers", "drain_cpu"):  # fmt: skip
        setattr(pooled, name, median([getattr(r, name) for r in results]))
    waits = [r.drain_wait for r in results if r.drain_wait is not None]
    pooled.drain_wait = median(waits) if len(waits) == len(results) else None
    return pooled


def _round_p99s(results: list[ViewersResult]) -> str:
    return " / ".join(
        f"{percentile([1000.0 * s for s in r.latencies_s], 99):.0f}" if r.latencies_s else "-"
        for r in results
    )


def web_figures(port: int, plan: WebPlan, progress: Callable[[str], None]) -> list[Figure]:
    """The server with its broker read in a process of its own against the same server
    reading the broker in its own loop, ``plan.rounds`` times each, taking turns, and
    textual-serve, in the same run. Each figure pools the rounds' samples."""
    sizes = (port, plan.viewers, plan.lines, plan.per_line, plan.per_station)
    runs: dict[str, list[ViewersResult]] = {"loop": [], "process": []}
    for index in range(plan.rounds):
        order = ("loop", "process") if index % 2 == 0 else ("process", "loop")
        for intake in order:
            words = W.MEASURE_WEB_LOOP if intake == "loop" else W.MEASURE_WEB
            step = words.format(viewers=plan.viewers, lines=plan.lines)
            if plan.rounds > 1:
                step += " · " + W.MEASURE_WEB_ROUND.format(round=index + 1, rounds=plan.rounds)
            progress(step)
            runs[intake].append(measure_web_viewers(*sizes, intake=intake))
    loop, web = _pooled(runs["loop"]), _pooled(runs["process"])
    rounds = W.NOTE_WEB_ROUNDS.format(
        count=plan.rounds, these=_round_p99s(runs["process"]), loop=_round_p99s(runs["loop"])
    )
    progress(W.MEASURE_SERVE.format(tabs=plan.tabs))
    serve = measure_textual_serve(port, plan.tabs)
    rss_ref = cpu_ref = None
    if not serve.skipped:
        rss_ref = Reference(W.SERVE_REFERENCE, serve.rss_per_tab_mb, "MB")
        cpu_ref = Reference(W.SERVE_REFERENCE, 1000.0 * serve.cpu_per_tab, "ms/s")
    samples = [1000.0 * s for s in web.latencies_s]
    figures = [
        latency(
            "web_event_to_viewer",
            W.WEB_DRAIN.format(viewers=web.viewers),
            samples,
            reference=_loop_p99(loop.latencies_s),
            limit_ms=LATENCY_LIMIT_MS,
            target=W.P99_AT_MOST_MS.format(ms=f"{LATENCY_LIMIT_MS:g}"),
            note=W.NOTE_WEB_DRAIN.format(
                missed=web.missed, events=web.events, seconds=f"{web.drain_s:.1f}"
            )
            + "; "
            + rounds,
        ),
        latency(
            "web_event_to_server",
            W.INDENT + W.WEB_TO_SERVER,
            [1000.0 * s for s in web.to_server_s],
            reference=_loop_p99(loop.to_server_s),
            note=W.NOTE_WEB_TO_SERVER,
        ),
        latency(
            "web_server_to_viewer",
            W.INDENT + W.WEB_TO_VIEWER,
            [1000.0 * s for s in web.server_to_viewer_s],
            reference=_loop_p99(loop.server_to_viewer_s),
            note=W.NOTE_WEB_TO_VIEWER,
        ),
        latency(
            "web_event_to_viewer_at_rest",
            W.WEB_AT_REST.format(viewers=web.viewers),
            [1000.0 * s for s in web.quiet_latencies_s],
            reference=_loop_p99(loop.quiet_latencies_s),
            limit_ms=LATENCY_LIMIT_MS,
            target=W.P99_AT_MOST_MS.format(ms=f"{LATENCY_LIMIT_MS:g}"),
        ),
        single(
            "web_rss_per_viewer",
            W.WEB_RSS,
            "MB",
            web.rss_per_viewer_mb,
            reference=rss_ref,
            note=W.NOTE_WEB_RSS.format(
                idle=f"{web.rss_idle_mb:.0f}", busy=f"{web.rss_viewers_mb:.0f}"
            ),
        ),
        single(
            "web_cpu_per_viewer",
            W.WEB_CPU,
            "ms/s",
            web.cpu_per_viewer_ms,
            reference=cpu_ref,
        ),
        single(
            "web_quiet_bytes_per_viewer",
            W.WEB_QUIET_BYTES,
            "kB/s",
            web.quiet_bytes / 1000.0,
        ),
        single(
            "web_drain_bytes_per_viewer",
            W.WEB_DRAIN_BYTES,
            "kB/s",
            web.drain_bytes / 1000.0,
            note=W.NOTE_WEB_DRAIN_BYTES,
        ),
        single(
            "web_drain_cpu",
            W.WEB_DRAIN_CPU.format(viewers=web.viewers),
            "%",
            100.0 * web.drain_cpu,
            reference=Reference(W.LOOP_INTAKE, 100.0 * loop.drain_cpu, "%"),
            note=W.NOTE_WEB_INTAKE_CPU,
        ),
        _waiting(web.drain_wait),
    ]
    if serve.skipped:
        figures.append(skipped("textual_serve", W.SERVE_PER_TAB, "MB", serve.skipped))
    else:
        figures.append(
            single(
                "textual_serve_rss_per_tab",
                W.SERVE_RSS.format(processes=serve.processes),
                "MB",
                serve.rss_per_tab_mb,
            )
        )
    return figures


def _loop_p99(samples_s: list[float]) -> Reference | None:
    """The same figure of the server reading the broker in its own loop."""
    if not samples_s:
        return None
    return Reference(W.LOOP_INTAKE_P99, percentile([1000.0 * s for s in samples_s], 99), "ms")


def _waiting(wait: float | None) -> Figure:
    key, name = "web_drain_cpu_wait", W.INDENT + W.WEB_CPU_WAIT
    if wait is None:
        return skipped(key, name, "%", W.NO_SCHEDSTAT)
    return single(key, name, "%", 100.0 * wait, note=W.NOTE_WEB_CPU_WAIT)


def run_web(quick: bool, progress: Callable[[str], None]) -> Report:
    binary = find_mosquitto()
    if binary is None:
        raise RuntimeError(MISSING)
    began = time.monotonic()
    report = Report(machine=describe(), quick=quick)
    broker = BenchBroker(binary).start()
    try:
        report.figures = web_figures(broker.port, QUICK if quick else FULL, progress)
    finally:
        broker.stop()
    report.seconds = time.monotonic() - began
    return report
