"""Read configuration files and validate them into typed models.

The loader only reads files: nothing here touches a pin or the network.
Every problem in a file (and in the plant file it references) is collected
into one :class:`~andon.config.errors.ConfigError`.

>>> plant = load_plant("firmware_config/demo/plant.toml")      # doctest: +SKIP
>>> station = load_station("firmware_config/demo/station-a1.toml")  # doctest: +SKIP
>>> station.plant_config.takt_s(station.line)                  # doctest: +SKIP
160.0
"""

from __future__ import annotations

import os
import re
import tomllib
from collections.abc import Sequence
from importlib import import_module
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeAlias, TypeVar

from pydantic import BaseModel, ValidationError

from andon.config import wording as W
from andon.config.errors import (
    ConfigError,
    ConfigFileNotFoundError,
    ConfigIssue,
    issues_from_validation,
)
from andon.config.plant import PlantFile
from andon.config.reasons import RECOMMENDED_MAX_REASONS
from andon.config.station import StationFile

if TYPE_CHECKING:
    from andon.config.board import BoardFile
    from andon.config.notify import NotifyFile
    from andon.config.store import StoreFile

ConfigFile: TypeAlias = "PlantFile | StationFile | BoardFile | StoreFile | NotifyFile"
"""Any configuration file, told apart by its ``kind`` key."""

FILE_KINDS: dict[str, str] = {
    "plant": "andon.config.plant:PlantFile",
    "station": "andon.config.station:StationFile",
    "board": "andon.config.board:BoardFile",
    "store": "andon.config.store:StoreFile",
    "notify": "andon.config.notify:NotifyFile",
    "web": "andon.web.config:WebFile",
    "people": "andon.web.config:PeopleFile",
}
"""The model of each kind of file. A model is imported when a file of its kind is
loaded: a station never builds the board's, store's or notifier's models (their
validators cost start-up time and memory on a small device)."""

_POSITION = re.compile(r"\(at line (\d+), column (\d+)\)$")

PathLike = str | os.PathLike[str]
_File = TypeVar("_File", bound=BaseModel)


def model_of(kind: str) -> type[BaseModel]:
    """The model of a kind of file (one of :data:`FILE_KINDS`), imported now if need be."""
    module, name = FILE_KINDS[kind].split(":")
    model: type[BaseModel] = getattr(import_module(module), name)
    return model


def read_toml(path: PathLike) -> dict[str, Any]:
    """Parse a TOML file; syntax errors become a :class:`ConfigError` with line and column."""
    file = Path(path)
    try:
        raw = file.read_bytes()
    except FileNotFoundError:
        raise ConfigFileNotFoundError(file, [ConfigIssue(file, "", W.NO_FILE)]) from None
    except IsADirectoryError:
        raise ConfigError(file, [ConfigIssue(file, "", W.A_DIRECTORY)]) from None
    except OSError as error:
        raise ConfigError(
            file, [ConfigIssue(file, "", W.CANNOT_READ.format(error=error.strerror))]
        ) from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        raise ConfigError(
            file,
            [
                ConfigIssue(
                    file,
                    "",
                    W.NOT_UTF8.format(byte=f"{error.object[error.start]:#04x}", offset=error.start),
                )
            ],
        ) from None
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(file, [_syntax_issue(file, text, error)]) from None
    except ValueError:  # an integer of thousands of digits
        raise ConfigError(file, [ConfigIssue(file, "", W.TOO_MANY_DIGITS)]) from None


def _syntax_issue(file: Path, text: str, error: tomllib.TOMLDecodeError) -> ConfigIssue:
    message = str(error)
    match = _POSITION.search(message)
    if match:
        line, column = int(match.group(1)), int(match.group(2))
        message = message[: match.start()].rstrip()
    else:  # "(at end of document)"
        lines = text.split("\n")
        line, column = len(lines), len(lines[-1]) + 1
        message = message.replace("(at end of document)", "at the end of the file").strip()
    return ConfigIssue(file, "", W.SYNTAX.format(message=message), line=line, column=column)


def load_file(path: PathLike, *, plants: dict[Path, PlantFile] | None = None) -> ConfigFile:
    """Load any configuration file; a station, board or store comes with its plant.

    ``plants`` caches plant files already loaded (keyed by absolute path), so
    checking many stations of one plant reads the plant file once.
    Raises :class:`ConfigError` listing every problem, or
    :class:`ConfigFileNotFoundError` when ``path`` does not exist.
    """
    return _load(Path(path), None, plants)


def _load(
    file: Path, expected: type[ConfigFile] | None, plants: dict[Path, PlantFile] | None
) -> ConfigFile:
    """Load ``file``; with ``expected``, a file of another kind fails before anything else
    is read (so a plant reference to a station file cannot loop)."""
    data = read_toml(file)
    kind = data.get("kind")
    if not isinstance(kind, str) or kind not in FILE_KINDS:
        kinds = ", ".join(f'"{k}"' for k in FILE_KINDS)
        got = f'"{kind}"' if isinstance(kind, str) else "nothing" if kind is None else repr(kind)
        raise ConfigError(
            file, [ConfigIssue(file, "kind", W.KIND_ONE_OF.format(kinds=kinds, got=got))]
        )
    wanted = _kind_of(expected) if expected is not None else kind
    if kind != wanted:
        raise ConfigError(
            file, [ConfigIssue(file, "kind", W.KIND_IS.format(wanted=wanted, kind=kind))]
        )
    model = model_of(kind)
    context: dict[str, Any] = {"base_dir": file.absolute().parent}
    issues: list[ConfigIssue] = []
    if model is not PlantFile:
        plant, issues = _referenced_plant(file, data, plants)
        context["plant"] = plant
    loaded, own_issues = _validate(model, file, data, context)
    issues = own_issues + issues
    if issues or loaded is None:
        raise ConfigError(file, issues)
    return loaded


def _referenced_plant(
    file: Path, data: dict[str, Any], plants: dict[Path, PlantFile] | None
) -> tuple[PlantFile | None, list[ConfigIssue]]:
    """The plant a member file names, or the issues that prevent loading it."""
    reference = data.get("plant")
    if not isinstance(reference, str) or not reference.strip():
        return None, []  # the model reports a missing or mistyped plant key
    plant_file = Path(reference) if Path(reference).is_absolute() else file.parent / reference
    key = plant_file.absolute()
    if plants is not None and key in plants:
        return plants[key], []
    try:
        plant = load_plant(plant_file)
    except ConfigFileNotFoundError:
        return None, [
            ConfigIssue(
                file,
                "plant",
                W.PLANT_PATH.format(reference=reference, path=plant_file),
            )
        ]
    except ConfigError as error:
        count = len(error.errors)
        summary = ConfigIssue(
            file,
            "plant",
            (W.PLANT_INVALID_ONE if count == 1 else W.PLANT_INVALID).format(
                path=plant_file, count=count
            ),
        )
        return None, [summary, *error.errors]
    if plants is not None:
        plants[key] = plant
    return plant, []


def _validate(
    model: type[ConfigFile], file: Path, data: dict[str, Any], context: dict[str, Any]
) -> tuple[ConfigFile | None, list[ConfigIssue]]:
    try:
        return model.model_validate(data, strict=True, context=context), []
    except ValidationError as error:
        return None, issues_from_validation(file, error, data, model)


def _load_kind(path: PathLike, model: type[_File], plants: dict[Path, PlantFile] | None) -> _File:
    loaded = _load(Path(path), model, plants)
    assert isinstance(loaded, model)
    return loaded


def _kind_of(model: type[BaseModel]) -> str:
    where = f"{model.__module__}:{model.__qualname__}"
    return next(kind for kind, candidate in FILE_KINDS.items() if candidate == where)


def load_plant(path: PathLike) -> PlantFile:
    """Load a plant file."""
    return _load_kind(path, PlantFile, None)


def load_station(path: PathLike, *, plants: dict[Path, PlantFile] | None = None) -> StationFile:
    """Load a station file and its plant."""
    return _load_kind(path, StationFile, plants)


def load_board(path: PathLike, *, plants: dict[Path, PlantFile] | None = None) -> BoardFile:
    """Load a board file and its plant."""
    from andon.config.board import BoardFile

    return _load_kind(path, BoardFile, plants)


def load_store(path: PathLike, *, plants: dict[Path, PlantFile] | None = None) -> StoreFile:
    """Load a store file and its plant."""
    from andon.config.store import StoreFile

    return _load_kind(path, StoreFile, plants)


def load_notify(path: PathLike, *, plants: dict[Path, PlantFile] | None = None) -> NotifyFile:
    """Load a notifier file and its plant."""
    from andon.config.notify import NotifyFile

    return _load_kind(path, NotifyFile, plants)


def advice(file: Path, loaded: ConfigFile) -> list[ConfigIssue]:
    """Things that are valid but unwise (shown as warnings by ``andon check-config``)."""
    notes = []
    if isinstance(loaded, PlantFile) and len(loaded.reasons) > RECOMMENDED_MAX_REASONS:
        notes.append(
            ConfigIssue(
                file,
                "reasons",
                W.MANY_REASONS.format(count=len(loaded.reasons), keep=RECOMMENDED_MAX_REASONS),
            )
        )
    return notes


def check_together(loaded: Sequence[tuple[Path, ConfigFile]]) -> list[ConfigIssue]:
    """Problems only visible across files: two stations with the same id on one line,
    or two stations counting the same line."""
    issues: list[ConfigIssue] = []
    stations: dict[tuple[str, str, str], Path] = {}
    counting: dict[tuple[str, str], tuple[Path, str]] = {}
    for file, config in loaded:
        if not isinstance(config, StationFile):
            continue
        site = config.plant_config.site.id
        key = (site, config.line, config.id)
        if key in stations:
            issues.append(
                ConfigIssue(
                    file,
                    "id",
                    W.STATION_ID_UNIQUE.format(line=config.line, id=config.id, other=stations[key]),
                )
            )
        stations.setdefault(key, file)
        if config.counts:
            line_key = (site, config.line)
            if line_key in counting and counting[line_key][1] != config.id:
                other_file, other_id = counting[line_key]
                issues.append(
                    ConfigIssue(
                        file,
                        "counts",
                        W.ONE_COUNTING.format(line=config.line, station=other_id, other=other_file),
                    )
                )
            counting.setdefault(line_key, (file, config.id))
    return issues
