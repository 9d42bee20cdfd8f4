"""``andon bench --web``: the viewers benchmark as figures, textual-serve the reference."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

from andon.bench.broker import MISSING, BenchBroker, find_mosquitto
from andon.bench.figures import Figure, Reference, Report, latency, single, skipped
from andon.bench.machine import describe
from andon.bench.web_viewers import measure_textual_serve, measure_web_viewers

LATENCY_LIMIT_MS = 250.0


@dataclass(frozen=True)
class WebPlan:
    viewers: int
    lines: int
    per_line: int
    per_station: int
    tabs: int


FULL = WebPlan(viewers=200, lines=100, per_line=2, per_station=60, tabs=3)
QUICK = WebPlan(viewers=20, lines=10, per_line=2, per_station=20, tabs=1)


def web_figures(port: int, plan: WebPlan, progress: Callable[[str], None]) -> list[Figure]:
    progress(f"{plan.viewers} web viewers while {plan.lines} lines drain")
    web = measure_web_viewers(port, plan.viewers, plan.lines, plan.per_line, plan.per_station)
    progress(f"textual-serve in {plan.tabs} Chromium tab(s)")
    serve = measure_textual_serve(port, plan.tabs)
    rss_ref = cpu_ref = None
    if not serve.skipped:
        rss_ref = Reference("textual-serve, per tab", serve.rss_per_tab_mb, "MB")
        cpu_ref = Reference("textual-serve, per tab", 1000.0 * serve.cpu_per_tab, "ms/s")
    samples = [1000.0 * s for s in web.latencies_s]
    figures = [
        latency(
            "web_event_to_viewer",
            f"event → {web.viewers} SSE viewers (during the drain)",
            samples,
            limit_ms=LATENCY_LIMIT_MS,
            target=f"p99 ≤ {LATENCY_LIMIT_MS:g} ms",
            note=f"{web.missed} sightings missed; {web.events} events in {web.drain_s:.1f} s",
        ),
        latency(
            "web_event_to_server",
            "  of which published → the server's model",
            [1000.0 * s for s in web.to_server_s],
            note="the broker's queue to the server and its feed",
        ),
        latency(
            "web_server_to_viewer",
            "  then the server's model → each viewer",
            [1000.0 * s for s in web.server_to_viewer_s],
            note="hub, page, socket",
        ),
        latency(
            "web_event_to_viewer_at_rest",
            f"event → {web.viewers} SSE viewers (at rest)",
            [1000.0 * s for s in web.quiet_latencies_s],
            limit_ms=LATENCY_LIMIT_MS,
            target=f"p99 ≤ {LATENCY_LIMIT_MS:g} ms",
        ),
        single(
            "web_rss_per_viewer",
            "web server memory per viewer",
            "MB",
            web.rss_per_viewer_mb,
            reference=rss_ref,
            note=f"{web.rss_idle_mb:.0f} MB without viewers, {web.rss_viewers_mb:.0f} MB with",
        ),
        single(
            "web_cpu_per_viewer",
            "web server CPU per viewer, quiet (timers)",
            "ms/s",
            web.cpu_per_viewer_ms,
            reference=cpu_ref,
        ),
        single(
            "web_quiet_bytes_per_viewer",
            "bytes to each viewer, quiet (timers)",
            "kB/s",
            web.quiet_bytes / 1000.0,
        ),
        single(
            "web_drain_bytes_per_viewer",
            "bytes to each viewer during the drain",
            "kB/s",
            web.drain_bytes / 1000.0,
            note="sent alike to every viewer of the page",
        ),
        single(
            "web_drain_cpu",
            f"web server CPU while draining, {web.viewers} viewers",
            "%",
            100.0 * web.drain_cpu,
        ),
        _waiting(web.drain_wait),
    ]
    if serve.skipped:
        figures.append(skipped("textual_serve", "textual-serve per tab", "MB", serve.skipped))
    else:
        figures.append(
            single(
                "textual_serve_rss_per_tab",
                f"textual-serve memory per tab ({serve.processes} board processes)",
                "MB",
                serve.rss_per_tab_mb,
            )
        )
    return figures


def _waiting(wait: float | None) -> Figure:
    key, name = "web_drain_cpu_wait", "  its threads waiting for a CPU meanwhile"
    if wait is None:
        return skipped(key, name, "%", "the kernel does not say (schedstat)")
    note = "ready to run, on the run queue (summed over its threads)"
    return single(key, name, "%", 100.0 * wait, note=note)


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
