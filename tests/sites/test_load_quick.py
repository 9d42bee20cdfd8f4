"""The multi-site load test, small: every event reaches the enterprise through two WAN cuts.

``andon bench --sites`` runs 1 000 stations; this runs its quick plan (60 stations
over 3 site brokers, an enterprise broker, the WAN cut twice) and holds it to
its verdicts, so the benchmark itself stays correct; and the same over TLS bridges,
where the site brokers' watchdogs restart the brokers that hang.
"""

from __future__ import annotations

from dataclasses import replace

from andon.bench.broker import find_mosquitto
from andon.bench.pg_server import PG_BIN
from andon.bench.sites import QUICK, run_sites
from tests.deploy.conftest import tool


def history_holds_every_journal(figures: dict, published: int) -> None:
    """The enterprise historian's PostgreSQL history, held to the stations' journals."""
    if not (PG_BIN / "initdb").exists():
        assert "sites_history_lost" not in figures
        return
    assert figures["sites_history_lost"].value == 0
    assert figures["sites_history_lost"].samples == published
    assert figures["sites_history_duplicated"].value == 0
    assert figures["sites_history_lag"].samples >= published


def test_the_quick_load_loses_nothing_through_two_cuts() -> None:
    tool("mosquitto", "mosquitto")
    assert find_mosquitto() is not None
    figures = {f.key: f for f in run_sites(QUICK)}
    rate = figures["sites_rate"]
    assert rate.value is not None and rate.value >= 0.9 * QUICK.stations * QUICK.rate
    assert rate.samples > 0.9 * QUICK.stations * QUICK.rate * QUICK.seconds
    assert figures["sites_lost"].value == 0
    assert figures["sites_lost_unheard"].value == 0
    history_holds_every_journal(figures, rate.samples)
    assert figures["sites_foreign"].value == 0
    assert figures["sites_lag_up"].samples > 0
    assert any(key.startswith("sites_cpu_site") for key in figures)


def test_the_quick_load_over_tls_bridges_outlives_hung_site_brokers() -> None:
    """With TLS on the bridges, Mosquitto before 2.0.15 hangs after a handshake failed
    during a cut (eclipse-mosquitto/mosquitto#2594); the site brokers' watchdogs restart
    them and the stations send again what was not acknowledged, so the run goes through
    both cuts. What a killed broker had acknowledged but neither saved nor sent up (a
    hung broker saves nothing) the enterprise subscriber sees missing and fetches by
    replay from the stations' journals: nothing is lost."""
    tool("mosquitto", "mosquitto")
    plan = replace(QUICK, tls_bridge=True, watchdog_grace_s=5.0, watchdog_cooldown_s=5.0)
    figures = {f.key: f for f in run_sites(plan)}
    published = figures["sites_rate"].samples
    assert published > 0.9 * plan.stations * plan.rate * plan.seconds
    assert figures["sites_lost"].value == 0
    assert figures["sites_foreign"].value == 0
    assert figures["sites_lag_all"].samples == published
    history_holds_every_journal(figures, published)
