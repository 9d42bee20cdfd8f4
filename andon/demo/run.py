"""Start the whole demo in one process: broker, stations, historian, store board, people.

The people are the stations' operators and team leaders (:mod:`andon.demo.operators`),
the store's material handler (:mod:`andon.demo.handler`) and the supervisor who
explains the hours off plan (:mod:`andon.demo.supervisor`). The board is started by
the command line on top.
"""

from __future__ import annotations

import logging
import socket
import tempfile
import threading
import time
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

from andon.bus.embedded_broker import BrokerStartError, EmbeddedBroker
from andon.bus.settings import broker_settings, parse_host_port
from andon.config.loader import load_plant, load_station, load_store
from andon.config.plant import PlantFile
from andon.config.station import StationFile
from andon.demo.handler import MaterialHandler
from andon.demo.operators import Behaviour, Operators
from andon.demo.past_place import finish_interrupted
from andon.demo.past_shift import People
from andon.demo.past_weeks import PLAY_S, first_start, past_windows, seed_past_weeks
from andon.demo.shift_so_far import seed_shift_so_far
from andon.demo.supervisor import Supervisor
from andon.historian.ingest_fold import fold_rules
from andon.historian.service import Historian
from andon.historian.site import load_site
from andon.historian.store import HistoryError
from andon.historian.stores import open_store
from andon.station.agent import StationAgent
from andon.station.assemble import StationRuntime, build_station
from andon.station.clock import ScaledClock
from andon.store.assemble import StoreRuntime, build_store

log = logging.getLogger(__name__)


FIRST_CALL_S = 20.0
"""Plant seconds after the start when the first station calls for help: even at
``--speed 1`` the board shows a call raised, answered and solved in the first minutes."""

HISTORY_SETTLE_S = 5.0
"""At the end, how long the historian may take to store the stations' last events."""
HISTORY_FILE = "history.sqlite"
"""The demo's history, in its data folder: kept across runs with ``--data``."""

DEMO_DIR = Path(__file__).resolve().parents[2] / "firmware_config" / "demo"

LINE_BEHAVIOUR = {
    "line-a": Behaviour(pace=0.96, call_every_s=6000, fault_every_s=9000),
    "line-b": Behaviour(pace=0.78, call_every_s=4800, fault_every_s=7200),
    "line-c": Behaviour(pace=1.25, call_every_s=1200, fault_every_s=2400),
}
"""Line A keeps pace (its people work a little faster than takt and make up for its
stops), line B overproduces (too fast), line C lags (too slow)."""


def port_free(host: str, port: int) -> bool:
    """True when nothing holds host:port: asked by binding it as the servers do
    (``SO_REUSEADDR``), never by connecting to whoever listens there (a broker or web
    server would log every probe as a client that said nothing)."""
    with socket.socket() as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError:
            return False
        return True


def start_broker(port: int | None) -> EmbeddedBroker:
    """The embedded broker on 127.0.0.1:``port``; without one, 1883 when free, else any port."""
    if port is not None:
        return EmbeddedBroker("127.0.0.1", port).start()
    if port_free("127.0.0.1", 1883):
        try:
            return EmbeddedBroker("127.0.0.1", 1883).start()
        except BrokerStartError:
            log.info("port 1883 was taken meanwhile: the demo's broker takes a free port")
    return EmbeddedBroker("127.0.0.1", 0).start()


@dataclass
class Demo:
    """Everything the demo started, to stop it again."""

    broker_address: str
    clock: ScaledClock
    stations: list[StationRuntime] = field(default_factory=list)
    operators: list[Operators] = field(default_factory=list)
    store: StoreRuntime | None = None
    handler: MaterialHandler | None = None
    supervisor: Supervisor | None = None
    historian: Historian | None = None
    history_url: str = ""
    """The history database the historian writes (and the board's History screen reads)."""
    broker: EmbeddedBroker | None = None
    workdir: tempfile.TemporaryDirectory[str] | None = None
    station_count: int = 0
    """The stations the demo runs (started at once, or once the past weeks are played)."""
    preparing: threading.Thread | None = None
    """Playing the past weeks on a first start, before the stations start."""
    ready: threading.Event = field(default_factory=threading.Event)
    """Set once the stations and the people run."""
    stopping: threading.Event = field(default_factory=threading.Event)

    @property
    def loading(self) -> bool:
        """Whether the past weeks are being played (the stations start after them)."""
        return self.preparing is not None and not self.ready.is_set() and self.preparing.is_alive()

    def stop(self) -> None:
        """Stop the people, the store board, the stations, then the broker.

        Playing the past weeks stops after the shift it is in, keeping none of them
        (the next start plays them all).
        """
        self.stopping.set()
        if self.preparing is not None:
            self.preparing.join()
        if self.supervisor is not None:
            self.supervisor.stop()
        if self.handler is not None:
            self.handler.stop()
        for operators in self.operators:
            operators.stop()
        if self.store is not None:
            self.store.board.stop()
        for runtime in self.stations:
            runtime.agent.stop()
        if self.historian is not None:
            last = {r.agent.address.path: r.agent.core.state.last_seq for r in self.stations}
            self.historian.wait_stored(last, HISTORY_SETTLE_S)
            self.historian.stop()
        if self.broker is not None:
            self.broker.stop()
        if self.workdir is not None:
            self.workdir.cleanup()


def start_demo(
    config_dir: Path = DEMO_DIR,
    *,
    broker: str | None = None,
    speed: float = 10.0,
    data_dir: Path | None = None,
    seed: int = 7,
    operators: bool = True,
    port: int | None = None,
    past_weeks: bool = True,
) -> Demo:
    """Start the broker (unless ``broker`` names one), the stations, the store and the people.

    The embedded broker listens on 127.0.0.1, on ``port`` (0: any free port;
    default: 1883 when free, else any free port). On a first start (``past_weeks``,
    no journal and no history in ``data_dir`` yet) the stations start once the
    shift has been played 7, 14 and 21 days back and the shift before it
    (:mod:`andon.demo.past_weeks`), in the background: this returns at once,
    :attr:`Demo.loading` says so meanwhile and :attr:`Demo.ready` is set when the
    stations run. Past weeks a stop left half put in place are finished first.
    """
    workdir = None
    if data_dir is None:
        workdir = tempfile.TemporaryDirectory(prefix="andon-demo-")
        data_dir = Path(workdir.name)
    data_dir.mkdir(parents=True, exist_ok=True)
    history = data_dir / HISTORY_FILE
    resume = history_end(history)
    clock = ScaledClock(speed, wall=lambda: max(time.time(), resume))
    embedded = None
    if broker is None:
        embedded = start_broker(port)
        broker = f"127.0.0.1:{embedded.port}"
    host, port = parse_host_port(broker)
    demo = Demo(broker_address=f"{host}:{port}", clock=clock, broker=embedded, workdir=workdir)
    try:
        plant = load_plant(config_dir / "plant.toml")
        files = {path: load_station(path) for path in sorted(config_dir.glob("station-*.toml"))}
        demo.station_count = len(files)
        people = plant.people
        cast = People(
            leaders=[p.badge for p in people if p.role in ("team_leader", "supervisor")],
            maintenance=[p.badge for p in people if p.role == "maintenance"],
            reasons=reason_cards(plant),
        )
        demo.history_url = f"sqlite:///{history}"
        finish_interrupted(files.values(), data_dir, demo.history_url)
        first = past_weeks and first_start(files, data_dir, history)
        plan = _Plan(config_dir, plant, files, cast, data_dir, speed, seed, operators)
        if not first:
            _start_historian(demo, plan)
            _start_plant(demo, plan)
        else:
            demo.preparing = threading.Thread(
                target=_prepare_then_start, args=(demo, plan), name="demo-past-weeks", daemon=True
            )
            demo.preparing.start()
    except BaseException:
        demo.stop()
        raise
    return demo


@dataclass(frozen=True)
class _Plan:
    """What the stations and people are started from."""

    config_dir: Path
    plant: PlantFile
    files: dict[Path, StationFile]
    people: People
    data_dir: Path
    speed: float
    seed: int
    operators: bool


def _prepare_then_start(demo: Demo, plan: _Plan) -> None:
    """Play the past weeks into the new journals and the history, then start the plant."""
    started = time.perf_counter()
    past_end = None
    try:
        now = demo.clock.now()
        ahead = timedelta(seconds=PLAY_S * plan.speed)
        seed_past_weeks(
            plan.files,
            plan.data_dir,
            demo.history_url,
            now,
            LINE_BEHAVIOUR,
            plan.people,
            plan.seed,
            ahead=ahead,
            stopping=demo.stopping.is_set,
        )
        windows = past_windows(plan.files, now, ahead)
        past_end = windows[-1].end if windows else None
    except Exception:
        log.exception("history: the past weeks could not be played; the demo starts without")
    if demo.stopping.is_set():
        log.info("history: the demo stopped while the past weeks were played")
        return
    log.info("history: past weeks ready in %.1f s", time.perf_counter() - started)
    try:
        _start_historian(demo, plan)
    except HistoryError:
        log.exception("history: the historian could not start")
    try:
        _start_plant(demo, plan, past_end)
    except Exception:
        log.exception("the demo's stations could not start")


def _start_historian(demo: Demo, plan: _Plan) -> None:
    """The historian on the demo's history (after the past weeks: it starts from them)."""
    override = demo.broker_address
    demo.historian = Historian.for_plant(
        plan.plant,
        demo.history_url,
        broker_settings(plan.plant.broker, client_id="andon-demo-historian", override=override),
        folding=fold_rules(load_site(plan.config_dir)),
    ).start(wait_database_s=0)


def _start_plant(demo: Demo, plan: _Plan, past_end: datetime | None = None) -> None:
    """The stations (their shift so far journalled first), the store and the people."""
    speed, operators, seed = plan.speed, plan.operators, plan.seed
    store_file = plan.config_dir / "store.toml"
    runs_store = operators and store_file.exists()
    lines: dict[str, list[StationAgent]] = {}
    for index, config in enumerate(plan.files.values()):
        journal = plan.data_dir / f"{config.line}-{config.id}.sqlite"
        behaviour = LINE_BEHAVIOUR.get(config.line, Behaviour())
        seed_shift_so_far(config, journal, demo.clock.now(), behaviour, after=past_end)
        runtime = build_station(
            config,
            sim=True,
            broker=demo.broker_address,
            journal_path=journal,
            clock=demo.clock,
            hal_clock=time.monotonic,
            tick_s=0.05,
        )
        runtime.agent.start()
        demo.stations.append(runtime)
        lines.setdefault(config.line, []).append(runtime.agent)
        if operators and runtime.sim is not None:
            demo.operators.append(
                Operators(
                    runtime.agent,
                    runtime.sim,
                    behaviour,
                    speed=speed,
                    badges=plan.people.leaders,
                    maintenance=plan.people.maintenance,
                    reasons=plan.people.reasons,
                    seed=seed + index,
                    store_delivers=runs_store,
                    first_call_s=FIRST_CALL_S if not demo.operators else None,
                    line=lines[config.line],
                ).start()
            )
    if runs_store:
        start_store(demo, store_file, seed)
    if operators:
        start_supervisor(demo, plan.plant, seed)
    demo.ready.set()


def history_end(path: Path) -> float:
    """The instant (epoch seconds) of the newest event of a kept history, 0 without one.

    Plant time runs faster than the wall clock: a demo started again on the same
    data folder continues from there, so no journal goes back in time.
    """
    if not path.exists():
        return 0.0
    with open_store(f"sqlite:///{path}") as store:
        bounds = store.bounds()
    return 0.0 if bounds is None else bounds[1].timestamp() + 1.0


def reason_cards(plant: PlantFile) -> dict[str, list[str]]:
    """The reason cards a team leader picks for each call type (those made for it first)."""
    unplanned = [r for r in plant.reasons if not r.planned]
    cards = {}
    for call_type in plant.call_types:
        made_for = [r.code for r in unplanned if call_type in r.applies_to]
        cards[call_type] = made_for or [r.code for r in unplanned if r.applies(call_type)]
    return cards


def start_store(demo: Demo, store_file: Path, seed: int) -> None:
    """The store board on simulated hardware, and its material handler."""
    store = build_store(load_store(store_file), sim=True, broker=demo.broker_address)
    store.board.start()
    demo.store = store
    if store.sim is None:
        return
    by_station = {runtime.agent.address.path: ops for runtime, ops in _paired(demo)}

    def delivered(station: str, part: str) -> None:
        operators = by_station.get(station)
        if operators is not None:
            operators.deliver(part)

    demo.handler = MaterialHandler(
        store.board,
        store.sim,
        plant_seconds=demo.clock.monotonic,
        delivered=delivered,
        seed=seed,
    ).start()


def _paired(demo: Demo) -> list[tuple[StationRuntime, Operators]]:
    return [
        (runtime, ops)
        for runtime in demo.stations
        for ops in demo.operators
        if ops.agent is runtime.agent
    ]


def start_supervisor(demo: Demo, plant: PlantFile, seed: int) -> None:
    """The supervisor who records the cause of each hour off plan, over the bus."""
    supervisors = [p.name for p in plant.people if p.role == "supervisor"]
    settings = broker_settings(
        plant.broker, client_id="andon-demo-supervisor", override=demo.broker_address
    )
    demo.supervisor = Supervisor(
        [runtime.agent for runtime in demo.stations],
        settings,
        name=supervisors[0] if supervisors else "supervisor",
        reasons=[r.code for r in plant.reasons if not r.planned],
        seed=seed,
    ).start()
