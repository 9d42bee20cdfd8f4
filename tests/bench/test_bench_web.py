"""``andon bench --web`` on the quick plan: every figure, every marker seen by every viewer,
textual-serve measured in the same run (no timing is judged here)."""

from __future__ import annotations

import os
import shutil

import pytest

from andon.bench.broker import BenchBroker
from andon.bench.web_report import QUICK, web_figures

pytestmark = pytest.mark.mosquitto


def test_the_quick_web_benchmark_measures_every_figure() -> None:
    binary = shutil.which("mosquitto") or "/usr/sbin/mosquitto"
    if not os.path.exists(binary):
        pytest.skip("mosquitto is not installed")
    broker = BenchBroker(binary).start()
    try:
        figures = {f.key: f for f in web_figures(broker.port, QUICK, lambda _: None)}
    finally:
        broker.stop()
    rest = figures["web_event_to_viewer_at_rest"]
    assert rest.samples == QUICK.viewers * 5  # every viewer saw every marker raised at rest
    assert figures["web_event_to_viewer"].samples >= QUICK.viewers * 4
    assert "0 sightings missed" in figures["web_event_to_viewer"].note
    # the server's model took every marker raised during the drain, and each viewer saw it
    drained = figures["web_event_to_viewer"].samples
    assert figures["web_event_to_server"].samples * QUICK.viewers == drained
    assert figures["web_server_to_viewer"].samples == drained
    assert figures["web_rss_per_viewer"].value is not None
    assert figures["web_drain_bytes_per_viewer"].value > 0  # the calls reached every viewer
    assert figures["web_quiet_bytes_per_viewer"].value > 0  # the timers and ticks too
    served = figures.get("textual_serve_rss_per_tab")
    if os.path.exists("/usr/bin/chromium"):
        assert served is not None and served.value and served.value > 0
        assert figures["web_rss_per_viewer"].reference is not None
