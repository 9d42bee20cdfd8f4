"""The demo's shift as a scenario: what its people do in one shift, scripted for ``run_scenario``.

The same people as the live demo (:mod:`andon.demo.operators`), with the same
behaviour per line: the counting station makes a unit per cycle of its line's
pace (the line standing holds it back), and each station has one problem at a
time: an andon call answered by a badge and closed by a reason card, a machine
fault repaired by maintenance, or a bin whose sensor sees it empty until a full box
comes (a push-button bin is closed by the store's kanban in the live demo, which a
scenario has no store for, so it is left out).
Every problem is over before the shift ends, so the station's state after the
shift holds nothing open.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from andon.config.station import StationFile
from andon.demo.operators import Behaviour
from andon.domain.calendar import ShiftWindow
from andon.simulate.scenario import Step
from andon.simulate.scenario_plan import Scenario, SimStation, TimedProduction
from andon.simulate.scenario_plan import TimedStep as Timed
from andon.station.build import station_rules

DELIVER_S = (120.0, 600.0)
"""How long a full box takes to come after a bin ran empty (the material handler's 2-10 min)."""
REPAIR_AFTER_S = 30.0
"""Maintenance scans its reason card this long after the machine runs again."""
DONE_BEFORE_END = timedelta(minutes=2)
"""A problem that would not be over this long before the shift ends is not started."""
TICK_S = 60.0
"""Longest step between two looks at a counting station (its pace is judged then)."""


@dataclass(frozen=True)
class People:
    """Who answers: the badges of the team leaders and of maintenance, the reason cards."""

    leaders: list[str]
    maintenance: list[str]
    reasons: dict[str, list[str]]


def shift_scenario(
    stations: dict[Path, StationFile],
    window: ShiftWindow,
    behaviours: dict[str, Behaviour],
    people: People,
    seed: int,
) -> Scenario:
    """The scenario of the demo's people at ``stations`` (by file) in the shift ``window``."""
    sims = {f"{c.line}/{c.id}": SimStation(f"{c.line}/{c.id}", f, c) for f, c in stations.items()}
    steps: list[tuple[datetime, dict[str, Any]]] = []
    production: list[TimedProduction] = []
    for key, sim in sims.items():
        behaviour = behaviours.get(sim.line, Behaviour())
        rng = random.Random(f"{seed}/{key}")
        steps += [
            (at, {"station": key, **action})
            for at, action in _problems(sim, behaviour, window, people, rng)
        ]
        if sim.config.counts:
            cycle_s = station_rules(sim.config).takt_s * behaviour.pace
            for begin, end in window.working_intervals():
                production.append(
                    TimedProduction(
                        index=len(production),
                        station=key,
                        start=begin + timedelta(seconds=cycle_s),
                        end=end,
                        every_s=cycle_s,
                        pause_when_stopped=True,
                    )
                )
    steps.sort(key=lambda item: item[0])
    timed = tuple(
        Timed(at=at, index=i, station=fields["station"], step=Step(at=at, **fields))
        for i, (at, fields) in enumerate(steps)
    )
    first = next(iter(sims.values())).config.plant_config
    return Scenario(
        file=Path(f"demo-{window.shift.name}-{window.start.date().isoformat()}"),
        name=f"Demo {window.shift.name} shift {window.start.date().isoformat()}",
        description="",
        start=window.start,
        end=window.end,
        zone=first.site.zone,
        tick_s=TICK_S,
        stations=sims,
        steps=timed,
        production=tuple(production),
    )


def _problems(
    sim: SimStation, behaviour: Behaviour, window: ShiftWindow, people: People, rng: random.Random
) -> list[tuple[datetime, dict[str, Any]]]:
    """One problem after another at one station, each drawn as the live demo's people draw it."""
    hardware = sim.config.hardware
    calls = [c for c in ("help", "help", "quality") if c in hardware.buttons]
    bins = sorted(b.part for b in hardware.bins if not b.button)
    rates = [
        (kind, mean)
        for kind, mean, has in (
            ("call", behaviour.call_every_s, bool(calls)),
            ("fault", behaviour.fault_every_s, hardware.fault is not None),
            ("bin", behaviour.bin_every_s, bool(bins)),
        )
        if has and mean > 0
    ]
    out: list[tuple[datetime, dict[str, Any]]] = []
    t = window.start
    while rates:
        at, kind = min((t + _seconds(rng.expovariate(1.0 / mean)), kind) for kind, mean in rates)
        if kind == "call":
            actions = _call(at, rng.choice(calls), behaviour, people, rng)
        elif kind == "fault":
            actions = _fault(at, behaviour, people, rng)
        else:
            actions = _bin(at, rng.choice(bins), rng)
        done = actions[-1][0]
        if done > window.end - DONE_BEFORE_END:
            return out
        out += actions
        t = done
    return out


def _seconds(value: float) -> timedelta:
    return timedelta(milliseconds=round(value * 1000))


def _card(call_type: str, people: People, rng: random.Random) -> list[dict[str, Any]]:
    cards = people.reasons.get(call_type, [])
    return [{"scan": f"RC:{rng.choice(cards)}"}] if cards else []


def _call(
    at: datetime, call_type: str, behaviour: Behaviour, people: People, rng: random.Random
) -> list[tuple[datetime, dict[str, Any]]]:
    arrive = at + _seconds(rng.uniform(*behaviour.respond_s))
    solved = arrive + _seconds(rng.uniform(*behaviour.solve_s))
    badge = rng.choice(people.leaders or ["0"])
    return [(at, {"press": call_type}), (arrive, {"scan": f"BD:{badge}"})] + [
        (solved, card) for card in _card(call_type, people, rng)
    ]


def _fault(
    at: datetime, behaviour: Behaviour, people: People, rng: random.Random
) -> list[tuple[datetime, dict[str, Any]]]:
    arrive = at + _seconds(rng.uniform(*behaviour.respond_s))
    running = arrive + _seconds(rng.uniform(*behaviour.solve_s))
    badge = rng.choice(people.maintenance or people.leaders or ["0"])
    steps: list[tuple[datetime, dict[str, Any]]] = [
        (at, {"fault": True}),
        (arrive, {"scan": f"BD:{badge}"}),
        (running, {"fault": False}),
    ]
    return steps + [
        (running + _seconds(REPAIR_AFTER_S), card) for card in _card("equipment", people, rng)
    ]


def _bin(at: datetime, part: str, rng: random.Random) -> list[tuple[datetime, dict[str, Any]]]:
    full = at + _seconds(rng.uniform(*DELIVER_S))
    return [
        (at, {"bin": {"part": part, "empty": True}}),
        (full, {"bin": {"part": part, "empty": False}}),
    ]
