"""The multi-site load test: 1 000 stations over 10 sites bridged to an enterprise broker.

Eleven real Mosquitto processes on loopback (ten site brokers, one enterprise
broker with TLS), a relay process standing for the sites' WAN links, a few
processes of simulated stations (each station its own MQTT connection), an
enterprise subscriber standing for the enterprise historian and, as the
reference measured in the same run, the same subscriber on one site broker.
The WAN is cut and restored twice while the stations go on. Bounded: 52 s of
load, then at most 90 s without progress for the enterprise subscriber and again
for the enterprise historian (``andon historian --enterprise`` into PostgreSQL,
whose history is held to the stations' journals), then everything is stopped.

Figures: the sustained rate, the lag station → enterprise historian (p50/p99)
against station → site subscriber, CPU and memory per component, events lost
(must be 0) and duplicated before and after de-dup by ``(station, seq)``.
"""

from __future__ import annotations

import array
import json
import signal
import tempfile
import time
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from andon.bench import sites_pg, sites_topology
from andon.bench import words as W
from andon.bench.bridge_watch import BridgeWatch
from andon.bench.broker import MISSING, find_mosquitto
from andon.bench.broker_drops import BrokerDrops
from andon.bench.figures import Figure, Reference, latency, single, skipped
from andon.bench.machine import cpu_seconds, peak_mb
from andon.bench.processes import Child
from andon.bench.stats import percentile
from andon.bus.watchdog import COOLDOWN_S, GRACE_S

READY_TIMEOUT_S = 60.0
DRAIN_TIMEOUT_S = 90.0
"""The end-of-run wait gives up after this long without a new event at the enterprise,
while every site broker answers (a hung one, waiting for its restart, renews it)."""
SETTLE_S = 3.0
BRIDGE_TIMEOUT_S = 60.0
"""How long a bridge may take to change state when its broker does not hang."""
REAL_STATION_RATE = 1.0
"""Events per second of a busy real station."""
TARGET_TIMES = 10
"""The sustained rate must reach this many times a real plant's (the issue's target); the
stations are told to send more (:attr:`Plan.rate`), so that the ramp at the start and
the last acknowledgements at the end leave a margin above it."""


@dataclass(frozen=True)
class Plan:
    sites: int = 10
    stations_per_site: int = 100
    rate: float = 11.0
    """Events per second per station: 11 × a busy real station, a margin above the
    target of :data:`TARGET_TIMES`."""
    processes: int = 4
    """Processes the stations are simulated in."""
    up_s: float = 12.0
    cut_s: float = 8.0
    cuts: int = 2
    tls_bridge: bool = False
    """TLS on the bridges too (the subscriber always uses TLS). Off by default: with
    Mosquitto 2.0.11 a site broker whose TLS bridge handshake failed during a cut
    spins at 100 % CPU and stops serving its stations until its watchdog restarts it
    (see docs/sites.md)."""
    watchdog_grace_s: float = GRACE_S
    watchdog_cooldown_s: float = COOLDOWN_S
    """The site brokers' watchdogs: production's by default."""
    history: bool = True
    """``andon historian --enterprise`` into PostgreSQL too, held to the stations'
    journals at the end (left out when PostgreSQL is not installed)."""

    @property
    def bridge_timeout_s(self) -> float:
        """How long a bridge may take to come back after its broker was (re)started: the
        broker may hang at once, and its watchdog restarts it no sooner than its
        cool-down and grace allow; then the bridge connects. A wait is renewed by every
        restart (:meth:`BridgeWatch.wait`)."""
        return BRIDGE_TIMEOUT_S + self.watchdog_grace_s + self.watchdog_cooldown_s

    @property
    def outage_s(self) -> float:
        """The longest a site broker's bridge may be away, for its queue (the enterprise
        file's ``outage_h``): a cut, or a broker that hung at a cut and waits out its
        watchdog's grace and cool-down; the stations then send it what it did not take."""
        return self.cut_s + self.watchdog_grace_s + self.watchdog_cooldown_s

    @property
    def stations(self) -> int:
        return self.sites * self.stations_per_site

    @property
    def seconds(self) -> float:
        return self.up_s * (self.cuts + 1) + self.cut_s * self.cuts


QUICK = Plan(sites=3, stations_per_site=20, rate=11.0, processes=2, up_s=4.0, cut_s=3.0)


def plan_for(quick: bool, tls_bridge: bool) -> Plan:
    return replace(QUICK if quick else Plan(), tls_bridge=tls_bridge)


def _subscriber(spec: dict[str, Any]) -> Child:
    child = Child.python("-m", "andon.bench.sites_historian", json.dumps(spec))
    child.read_json(READY_TIMEOUT_S)
    return child


def _finish(child: Child) -> dict[str, Any]:
    child.process.send_signal(signal.SIGTERM)
    return child.read_json(60)


def _lags(path: Path, windows: list[tuple[float, float]]) -> tuple[list[float], list[float]]:
    """Lags in ms: of every event, and of those sent while the WAN was up (not during a
    cut nor in the :data:`SETTLE_S` after it, when new events queue behind the backlog)."""
    pairs = array.array("q")
    with path.open("rb") as handle:
        pairs.frombytes(handle.read())
    every, up = [], []
    cuts = [(int(a * 1e9), int((b + SETTLE_S) * 1e9)) for a, b in windows]
    for sent, lag in zip(pairs[::2], pairs[1::2], strict=True):
        every.append(lag / 1e6)
        if not any(a <= sent <= b for a, b in cuts):
            up.append(lag / 1e6)
    return every, up


def _drain(status: Path, published: int, topology: sites_topology.Topology, plan: Plan) -> None:
    """Until the enterprise subscriber has ``published`` events, or nothing new came for
    :data:`DRAIN_TIMEOUT_S` while every site broker answered. A hung site broker renews the
    wait, since its restart and the replays after it bring what it lost, but not beyond
    the bridges' own timeout after its last restart (it may hang for good)."""
    began = last_new = time.monotonic()
    unique = -1
    while True:
        now = time.monotonic()
        seen = json.loads(status.read_text())["unique"] if status.exists() else 0
        if seen >= published:
            return
        if seen > unique:
            unique, last_new = seen, now
        watchdogs = topology.watchdogs.values()
        if any(w.stats.down_since is not None for w in watchdogs):
            restarted = [w.stats.last_restart_at or began for w in watchdogs]
            if now < max(began, *restarted) + plan.bridge_timeout_s + DRAIN_TIMEOUT_S:
                last_new = now
        if now - last_new > DRAIN_TIMEOUT_S:
            return
        time.sleep(0.2)


def run_sites(plan: Plan = Plan(), progress: Any = None) -> list[Figure]:
    """Run the load test; the figures of the table's "sites" rows."""
    binary = find_mosquitto()
    if binary is None:
        return [skipped("sites_rate", W.SITES_RATE, "events/s", MISSING)]
    say = progress or (lambda text: None)
    sites = [f"site-{i:02d}" for i in range(plan.sites)]
    with tempfile.TemporaryDirectory(prefix="andon-bench-sites-") as tmp:
        folder = Path(tmp)
        say(W.MEASURE_SITES.format(sites=plan.sites, stations=plan.stations))
        topology = sites_topology.start(
            binary, folder, sites, plan.stations_per_site, plan.rate, plan.outage_s,
            tls_bridge=plan.tls_bridge,
        )  # fmt: skip
        children: list[Child] = []
        watch: BridgeWatch | None = None
        drops = BrokerDrops(sites_topology.HOST, topology.site_ports)
        history = sites_pg.start() if plan.history else None
        try:
            topology.watch(plan.watchdog_grace_s, plan.watchdog_cooldown_s)
            watch = BridgeWatch(topology)
            watch.wait(sites, b"1", plan.bridge_timeout_s)
            historian = _subscriber(
                {
                    "port": topology.enterprise_port,
                    "host": "localhost",
                    "ca_file": str(topology.ca_file),
                    "username": sites_topology.HISTORIAN,
                    "password_file": str(topology.historian_password),
                    "client_id": "bench-historian",
                    "topic": f"{sites_topology.ENTERPRISE}/+/+/+/+/events",
                    "replay_prefix": sites_topology.ENTERPRISE,
                    "status": str(folder / "historian.json"),
                    "lags": str(folder / "historian.lags"),
                }
            )
            children.append(historian)
            reference = _subscriber(
                {
                    "port": topology.site_ports[sites[0]],
                    "client_id": "bench-site-subscriber",
                    "topic": f"andon/{sites[0]}/+/+/+/events",
                    "status": str(folder / "reference.json"),
                    "lags": str(folder / "reference.lags"),
                }
            )
            children.append(reference)
            components: dict[str, Child] = {}
            if history is not None:
                description = sites_pg.enterprise_toml(
                    folder, sites_topology.ENTERPRISE, topology.enterprise_port, topology.ca_file
                )
                components[W.ENTERPRISE_HISTORIAN] = history.start_historian(
                    description, sites_topology.HISTORIAN, topology.historian_password,
                    folder / "historian.log",
                )  # fmt: skip
                watch.wait_historian(sites_pg.NAME, READY_TIMEOUT_S, history.historian.alive)  # type: ignore[union-attr]
            start = time.monotonic() + 3.0 + plan.stations / 500
            groups = [sites[i :: plan.processes] for i in range(plan.processes)]
            publishers = []
            for group in (g for g in groups if g):
                spec = {
                    "sites": [[s, topology.site_ports[s]] for s in group],
                    "stations_per_site": plan.stations_per_site,
                    "rate": plan.rate,
                    "start": start,
                    "seconds": plan.seconds,
                    "drain_s": plan.bridge_timeout_s,
                }
                publisher = Child.python("-m", "andon.bench.sites_stations", json.dumps(spec))
                publishers.append(publisher)
                children.append(publisher)
            for publisher in publishers:
                publisher.read_json(READY_TIMEOUT_S)
            components.update({W.ENTERPRISE_SUBSCRIBER: historian, W.SITE_SUBSCRIBER: reference})
            for index, publisher in enumerate(publishers):
                components[f"{W.STATIONS_PROCESS} {index + 1}"] = publisher
            names = [*topology.children(), *components]
            if history is not None:
                names.append(W.ENTERPRISE_DATABASE)

            def cpu_of(name: str) -> float:
                if name == W.ENTERPRISE_DATABASE and history is not None:
                    return history.server_cpu_s()
                child = components.get(name)
                return topology.cpu_seconds(name) if child is None else cpu_seconds(child.pid)

            def peak_of(name: str) -> float:
                if name == W.ENTERPRISE_DATABASE and history is not None:
                    return history.server_peak_mb()
                child = components.get(name)
                return topology.peak_mb(name) if child is None else peak_mb(child.pid)

            while time.monotonic() < start:
                time.sleep(0.01)
            cpu0 = {name: cpu_of(name) for name in names}
            say(W.MEASURE_SITES_CUTS.format(rate=f"{plan.rate:g}", cuts=plan.cuts))
            windows = []
            for _ in range(plan.cuts):
                time.sleep(max(0.0, start + len(windows) * (plan.up_s + plan.cut_s)
                               + plan.up_s - time.monotonic()))  # fmt: skip
                cut_at = time.monotonic()
                topology.cut()
                watch.wait(sites, b"0", plan.bridge_timeout_s)
                time.sleep(max(0.0, cut_at + plan.cut_s - time.monotonic()))
                topology.restore()
                windows.append((cut_at, time.monotonic()))
                watch.wait(sites, b"1", plan.bridge_timeout_s)
            results = [p.read_json(plan.seconds + plan.bridge_timeout_s + 90) for p in publishers]
            published = sum(r["published"] for r in results)
            acked = sum(r["acked"] for r in results)
            publish_s = max(r["seconds"] for r in results)
            expected = {k: v for r in results for k, v in r["stations"].items()}
            say(W.MEASURE_SITES_DRAIN)
            _drain(folder / "historian.json", published, topology, plan)
            drained_s = time.monotonic() - start - publish_s
            stored: list[Figure] = []
            if history is not None:
                say(W.MEASURE_SITES_HISTORY)
                stored_s = history.drain(published, DRAIN_TIMEOUT_S)
                stored = sites_pg.figures(history, expected, stored_s)
            elapsed = time.monotonic() - start
            cpu = {n: cpu_of(n) - cpu0[n] for n in names}
            peaks = {n: peak_of(n) for n in names}
            replayed = 0
            for index, publisher in enumerate(publishers):
                final = _finish(publisher)
                peaks[f"{W.STATIONS_PROCESS} {index + 1}"] = final["peak_mb"]
                replayed += final["replayed"]
            central = _finish(historian)
            recovery = {
                "hangs": topology.hangs(),
                "restarts": sum(topology.restarts.values()),
                "replays": central["replays"],
                "replayed": replayed,
            }
            _finish(reference)
            dropped = sum(drops.by_site().values())
        finally:
            drops.close()
            if history is not None:
                history.stop()
            if watch is not None:
                watch.client.close(timeout=1)
            for child in children:
                child.stop()
            topology.stop()
        lost = sum(n - central["stations"].get(s, [0, 0])[0] for s, n in expected.items())
        unheard = sum(max(0, n - central["announced"].get(s, 0)) for s, n in expected.items())
        every, up = _lags(folder / "historian.lags", windows)
        _, reference_up = _lags(folder / "reference.lags", windows)
    return _figures(
        plan, published, acked, publish_s, drained_s, (lost, unheard), central, expected, every, up,
        reference_up, cpu, peaks, elapsed, recovery, dropped,
    ) + stored  # fmt: skip


def _groups(values: dict[str, float], plan: Plan) -> dict[str, tuple[float, int]]:
    """Per kind of component: the total and how many processes share it."""
    out: dict[str, tuple[float, int]] = {}
    for name, value in values.items():
        kind = (
            name.rsplit(" ", 1)[0] if name.startswith((W.SITE_BROKER, W.STATIONS_PROCESS)) else name
        )
        total, count = out.get(kind, (0.0, 0))
        out[kind] = (total + value, count + 1)
    return out


def _figures(
    plan: Plan,
    published: int,
    acked: int,
    publish_s: float,
    drained_s: float,
    losses: tuple[int, int],
    central: dict[str, Any],
    expected: dict[str, int],
    every: list[float],
    up: list[float],
    reference_up: list[float],
    cpu: dict[str, float],
    peaks: dict[str, float],
    elapsed: float,
    recovery: dict[str, int],
    dropped: int,
) -> list[Figure]:
    rate = published / publish_s
    lost, unheard = losses
    real = plan.stations * REAL_STATION_RATE
    target = real * TARGET_TIMES
    site_ref = None
    if reference_up:
        site_ref = Reference(W.SITE_TO_SITE_P99, percentile(reference_up, 99), "ms")
    foreign = sum(
        1 for station, (count, top) in central["stations"].items()
        if station not in expected or top > expected[station] or count > top
    )  # fmt: skip
    name = W.SITES_RATE_OF.format(stations=plan.stations, sites=plan.sites)
    figures = [
        single("sites_rate", name, "events/s", rate,
               samples=published, reference=Reference(W.REAL_PLANT, real, "events/s"),
               target=W.SITES_TARGET.format(rate=f"{target:,.0f}", times=f"{TARGET_TIMES:g}"),
               passed=rate >= target,
               note=W.NOTE_SITES_RATE.format(acked=acked, published=published, cuts=plan.cuts,
                                             seconds=f"{plan.cut_s:g}")),
        latency("sites_lag_up", W.SITES_LAG_UP, up, reference=site_ref,
                note=W.NOTE_SITES_LAG_UP.format(seconds=f"{SETTLE_S:g}")),
        latency("sites_lag_all", W.SITES_LAG_ALL, every, reference=site_ref,
                note=W.NOTE_SITES_LAG_ALL.format(seconds=f"{drained_s:.1f}")),
        single("sites_lost", W.SITES_LOST, "events", lost, target="0", passed=lost == 0,
               note=W.NOTE_SITES_REPLAYS.format(**recovery)),
        single("sites_lost_unheard", W.SITES_LOST_UNHEARD, "events", unheard, target="0",
               passed=unheard == 0, note=W.NOTE_SITES_LOST_UNHEARD),
        single("sites_restarts", W.SITES_RESTARTS, "restarts", recovery["restarts"],
               note=W.NOTE_SITES_HANGS.format(**recovery)),
        single("sites_dropped", W.SITES_DROPPED, "events", dropped, note=W.NOTE_SITES_DROPPED),
        single("sites_duplicates_raw", W.SITES_DUPLICATES, "events",
               central["duplicates"], samples=central["raw"], note=W.NOTE_SITES_DUPLICATES),
        single("sites_foreign", W.SITES_FOREIGN, "stations", foreign,
               target="0", passed=foreign == 0),
    ]  # fmt: skip
    peak = _groups(peaks, plan)
    for kind, (total, count) in sorted(_groups(cpu, plan).items()):
        us, mb = f"{1e6 * total / max(published, 1):.1f}", f"{peak[kind][0] / count:.1f}"
        note = (
            W.NOTE_SITES_CPU_SHARED.format(
                us=us, mb=mb, count=count, percent=f"{100 * total / count / elapsed:.1f}"
            )
            if count > 1
            else W.NOTE_SITES_CPU.format(us=us, mb=mb)
        )
        figures.append(
            single(f"sites_cpu_{kind.replace(' ', '_')}", W.SITES_CPU.format(kind=kind),
                   "% of a core", 100 * total / elapsed, note=note)
        )  # fmt: skip
    return figures
