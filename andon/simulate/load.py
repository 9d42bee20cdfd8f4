"""Reading a scenario against a configuration: stations loaded, instants fixed, inputs checked.

Every problem becomes a :class:`~andon.config.errors.ConfigIssue` naming the
scenario file, the key path and what was expected, like the configuration
loader's; all of them are raised together in one
:class:`~andon.config.errors.ConfigError` before any pin is touched.
"""

from __future__ import annotations

from datetime import UTC, datetime, time, tzinfo
from pathlib import Path
from typing import Any

from pydantic import ValidationError
from pydantic_core import PydanticCustomError

from andon.bus.messages import MessageError
from andon.config import wording as W
from andon.config.errors import ConfigError, ConfigIssue, issues_from_validation
from andon.config.loader import load_station, read_toml
from andon.config.plant import PlantFile
from andon.simulate.commands import (
    CALL_COMMANDS,
    SCENARIO_COMMANDS,
    STOP_COMMANDS,
    message_for,
)
from andon.simulate.scenario import Production, ScenarioFile, Step, parse_moment_value
from andon.simulate.scenario_plan import (
    Scenario,
    SimStation,
    TimedProduction,
    TimedStep,
    moment,
)
from andon.station.remote import domain_command

PLACEHOLDER_ID = "scenario-check"


class _Issues:
    def __init__(self, file: Path) -> None:
        self.file = file
        self.items: list[ConfigIssue] = []

    def add(self, key_path: str, message: str) -> None:
        self.items.append(ConfigIssue(self.file, key_path, message))

    def raise_if_any(self) -> None:
        if self.items:
            raise ConfigError(self.file, self.items)


def load_scenario(path: Path, config_dir: Path) -> Scenario:
    """Load ``path`` against the station files of ``config_dir`` (:class:`ConfigError`)."""
    path = Path(path)
    model, step_models, block_models, found = _validate(path, read_toml(path))
    if model is None:
        raise ConfigError(path, found)
    issues = _Issues(path)
    issues.items.extend(found)
    stations = _load_stations(model, Path(config_dir), issues)
    if not stations:
        issues.raise_if_any()
    zones = {s.config.plant_config.site.timezone for s in stations.values()}
    if len(zones) > 1:
        issues.add("stations", W.ONE_TIME_ZONE.format(zones=sorted(zones)))
        issues.raise_if_any()
    first = next(iter(stations.values()))
    zone = first.config.plant_config.site.zone
    start = model.start.astimezone(UTC)
    end = model.end.astimezone(UTC)
    finder = _StationFinder(stations)

    steps: list[TimedStep] = []
    for index, step in enumerate(step_models):
        if step is None:
            continue
        where = f"steps[{index}]"
        at = _within(moment(step.at, start, zone), start, end, f"{where}.at", issues, zone)
        station = finder.find(step.station, f"{where}.station", issues)
        if station is None or at is None:
            continue
        args = _check_step(step, stations[station], start, zone, where, issues)
        steps.append(TimedStep(at=at, index=index, station=station, step=step, args=args))

    production: list[TimedProduction] = []
    for index, block in enumerate(block_models):
        if block is None:
            continue
        timed = _timed_production(block, index, start, end, zone, finder, stations, issues)
        if timed is not None:
            production.append(timed)
    issues.items.sort(key=lambda issue: _order(issue.key_path))
    issues.raise_if_any()
    steps.sort(key=lambda s: (s.at, s.index))
    return Scenario(
        file=path,
        name=model.name,
        description=model.description,
        start=start,
        end=end,
        zone=zone,
        tick_s=model.tick_s,
        stations=stations,
        steps=tuple(steps),
        production=tuple(production),
    )


def _validate(
    path: Path, data: dict[str, Any]
) -> tuple[ScenarioFile | None, list[Step | None], list[Production | None], list[ConfigIssue]]:
    """The file's models; steps and production blocks one by one, so each problem is found."""
    issues: list[ConfigIssue] = []
    head = dict(data)
    items: dict[str, list[Any]] = {"steps": [], "production": []}
    for key, model in (("steps", Step), ("production", Production)):
        value = data.get(key)
        if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
            continue  # the file's model says what is wrong with the key itself
        head[key] = []
        for index, raw in enumerate(value):
            try:
                items[key].append(model.model_validate(raw, strict=True))
            except ValidationError as error:
                items[key].append(None)
                for issue in issues_from_validation(path, error, raw, model):
                    inner = issue.key_path
                    where = f"{key}[{index}]" + (f".{inner}" if inner else "")
                    issues.append(ConfigIssue(path, where, issue.message))
    try:
        scenario: ScenarioFile | None = ScenarioFile.model_validate(head, strict=True)
    except ValidationError as error:
        scenario = None
        issues = issues_from_validation(path, error, head, ScenarioFile) + issues
    return scenario, items["steps"], items["production"], issues


def _order(key_path: str) -> tuple[int, str, int]:
    """Issues in file order: header keys, then production blocks and steps by index."""
    for rank, prefix in ((1, "production["), (2, "steps[")):
        if key_path.startswith(prefix):
            return rank, prefix, int(key_path[len(prefix) :].split("]", 1)[0])
    return 0, key_path, 0


# --- stations -------------------------------------------------------------------------


def _load_stations(model: ScenarioFile, config_dir: Path, issues: _Issues) -> dict[str, SimStation]:
    if not config_dir.is_dir():
        issues.add("", W.CONFIG_DIRECTORY.format(folder=config_dir))
        return {}
    if model.stations is None:
        files = [
            (f"stations (every station file in {config_dir})", f)
            for f in sorted(config_dir.glob("*.toml"))
            if _kind(f) == "station"
        ]
        if not files:
            issues.add("stations", W.NO_STATION_FILES.format(folder=config_dir))
    else:
        files = [(f"stations[{i}]", config_dir / name) for i, name in enumerate(model.stations)]
    plants: dict[Path, PlantFile] = {}
    loaded: dict[str, SimStation] = {}
    for key_path, file in files:
        if not file.is_file():
            issues.add(key_path, W.NO_STATION_FILE.format(folder=config_dir, file=file))
            continue
        try:
            config = load_station(file, plants=plants)
        except ConfigError as error:
            issues.add(key_path, W.STATION_FILE_INVALID.format(file=file))
            issues.items.extend(error.errors)
            continue
        key = f"{config.line}/{config.id}"
        if key in loaded:
            issues.add(key_path, W.STATION_ONCE.format(station=key, file=file))
            continue
        loaded[key] = SimStation(key=key, file=file, config=config)
    return loaded


def _kind(file: Path) -> object:
    try:
        return read_toml(file).get("kind")
    except ConfigError:
        return None


class _StationFinder:
    """Station references: ``line/id``, a station id unique in the scenario, or a file stem."""

    def __init__(self, stations: dict[str, SimStation]) -> None:
        self.stations = stations

    def find(self, ref: str, key_path: str, issues: _Issues) -> str | None:
        if ref in self.stations:
            return ref
        by_id = [k for k, s in self.stations.items() if s.config.id == ref]
        by_stem = [k for k, s in self.stations.items() if s.file.stem == ref]
        matches = by_id or by_stem
        if len(matches) == 1:
            return matches[0]
        known = ", ".join(self.stations)
        if len(matches) > 1:
            issues.add(key_path, W.STATION_AMBIGUOUS.format(ref=ref, stations=known))
        else:
            issues.add(key_path, W.STATION_OF_SCENARIO.format(ref=ref, stations=known))
        return None


def _within(
    at: datetime,
    start: datetime,
    end: datetime,
    key_path: str,
    issues: _Issues,
    zone: tzinfo,
    *,
    end_included: bool = False,
) -> datetime | None:
    """``at`` when it lies in ``[start, end)`` (or ``[start, end]``); else an issue."""
    if start <= at < end or (end_included and at == end):
        return at
    sentence = W.WITHIN_RUN_OR_END if end_included else W.WITHIN_RUN
    span = {"start": start.astimezone(zone).isoformat(), "end": end.astimezone(zone).isoformat()}
    issues.add(key_path, sentence.format(**span, got=at.astimezone(zone).isoformat()))
    return None


# --- steps -----------------------------------------------------------------------------


def _check_step(
    step: Step, station: SimStation, start: datetime, zone: tzinfo, where: str, issues: _Issues
) -> dict[str, Any]:
    """Problems of a step that the station's pin map or commands reveal; the command's args."""
    hw = station.config.hardware
    action = step.action
    here = f"{where}.{action}"

    def need(present: object, sentence: str, key: str = here, **fields: str) -> None:
        if not present:
            issues.add(key, sentence.format(station=station.key, **fields))

    if step.press is not None:
        need(step.press in hw.buttons, W.NEEDS_BUTTON, call_type=repr(step.press))
    elif step.hold is not None:
        call_type = step.hold.call_type
        need(
            call_type in hw.buttons, W.NEEDS_BUTTON, f"{here}.call_type", call_type=repr(call_type)
        )
    elif step.acknowledge_button is not None:
        need(hw.acknowledge, W.NEEDS_ACK_BUTTON)
    elif step.count is not None:
        need(hw.counter, W.NEEDS_COUNTER)
    elif step.scrap is not None:
        need(hw.scrap, W.NEEDS_SCRAP)
    elif step.fault is not None:
        need(hw.fault, W.NEEDS_FAULT)
    elif step.downstream_full is not None:
        need(hw.downstream_full, W.NEEDS_DOWNSTREAM)
    elif step.bin is not None:
        parts = [b.part for b in hw.bins]
        bins = ", ".join(parts) or W.NONE
        need(
            step.bin.part in parts, W.NEEDS_BIN, f"{here}.part", part=repr(step.bin.part), bins=bins
        )
    elif step.scan is not None:
        names = [s.name for s in hw.scanners]
        if step.scanner is not None:
            scanner = repr(step.scanner)
            need(step.scanner in names, W.NEEDS_SCANNER, f"{where}.scanner", scanner=scanner)
        elif len(names) != 1:
            scanners = ", ".join(names) or W.NONE
            issues.add(here, W.ONE_SCANNER.format(station=station.key, scanners=scanners))
    elif step.command is not None:
        return _command_args(step, start, zone, here, issues)
    return {}


def _command_args(
    step: Step, start: datetime, zone: tzinfo, here: str, issues: _Issues
) -> dict[str, Any]:
    command = step.command
    assert command is not None
    args = dict(command.args)
    reserved = sorted(set(args) & {"v", "id", "by"})
    if reserved:
        issues.add(f"{here}.args", W.NO_RESERVED_ARGS.format(keys=reserved))
        return args
    if command.call is not None and command.name not in CALL_COMMANDS:
        issues.add(
            f"{here}.call", W.CALL_ONLY_WITH.format(commands=", ".join(sorted(CALL_COMMANDS)))
        )
    if command.stop is not None and command.name not in STOP_COMMANDS:
        issues.add(
            f"{here}.stop", W.STOP_ONLY_WITH.format(commands=", ".join(sorted(STOP_COMMANDS)))
        )
    if command.name == "hour_cause" and isinstance(args.get("hour_start"), str | time | datetime):
        try:
            hour = moment(parse_moment_value(args["hour_start"]), start, zone)
        except (PydanticCustomError, ValueError):
            issues.add(
                f"{here}.args.hour_start",
                W.HOUR_START.format(got=repr(args["hour_start"])),
            )
            return args
        args["hour_start"] = hour.isoformat().replace("+00:00", "Z")
    checked = dict(args)
    if command.call is not None:
        checked["call_id"] = PLACEHOLDER_ID
    if command.stop is not None:
        checked["stop_id"] = PLACEHOLDER_ID
    try:
        domain_command(message_for(command, checked, PLACEHOLDER_ID))
    except MessageError as exc:
        key = f"{here}.name" if command.name not in SCENARIO_COMMANDS else here
        issues.add(key, str(exc))
    return args


def _timed_production(
    block: Production,
    index: int,
    start: datetime,
    end: datetime,
    zone: tzinfo,
    finder: _StationFinder,
    stations: dict[str, SimStation],
    issues: _Issues,
) -> TimedProduction | None:
    where = f"production[{index}]"
    begin = _within(moment(block.from_, start, zone), start, end, f"{where}.from", issues, zone)
    finish = _within(
        moment(block.to, start, zone), start, end, f"{where}.to", issues, zone, end_included=True
    )
    station = finder.find(block.station, f"{where}.station", issues)
    if begin is None or finish is None or station is None:
        return None
    if finish <= begin:
        issues.add(f"{where}.to", W.AFTER_FROM.format(start=begin.astimezone(zone).isoformat()))
        return None
    if stations[station].config.hardware.counter is None:
        issues.add(f"{where}.station", W.COUNTER_FOR_PRODUCTION.format(station=station))
        return None
    return TimedProduction(
        index=index,
        station=station,
        start=begin,
        end=finish,
        every_s=block.every_s,
        pause_when_stopped=block.pause_when_stopped,
    )
