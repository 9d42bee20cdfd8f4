"""The multi-site load test, small: every event reaches the enterprise through two WAN cuts.

``andon bench --sites`` runs 1 000 stations; this runs its quick plan (60 stations
over 3 site brokers, an enterprise broker, the WAN cut twice) and holds it to
its verdicts, so the benchmark itself stays correct.
"""

from __future__ import annotations

from andon.bench.broker import find_mosquitto
from andon.bench.sites import QUICK, run_sites
from tests.deploy.conftest import tool


def test_the_quick_load_loses_nothing_through_two_cuts() -> None:
    tool("mosquitto", "mosquitto")
    assert find_mosquitto() is not None
    figures = {f.key: f for f in run_sites(QUICK)}
    rate = figures["sites_rate"]
    assert rate.value is not None and rate.value >= 0.9 * QUICK.stations * QUICK.rate
    assert rate.samples > 0.9 * QUICK.stations * QUICK.rate * QUICK.seconds
    assert figures["sites_lost"].value == 0
    assert figures["sites_foreign"].value == 0
    assert figures["sites_lag_up"].samples > 0
    assert any(key.startswith("sites_cpu_site") for key in figures)
