"""Reading just the ``[hardware]`` table of a station or store file.

The commands that exercise hardware (``lamp-test``, ``hal-monitor``) need
only the pin map, so they read it here without the full configuration: the
top-level ``kind`` ("station" or "store") picks the model. Errors name the
file and the key path.
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from andon.config.hardware import StationHardware, StoreHardware
from hal import errors as errs
from hal.errors import HalError

MODELS: dict[str, type[StationHardware] | type[StoreHardware]] = {
    "station": StationHardware,
    "store": StoreHardware,
}


class HardwareFileError(HalError):
    """The file is missing, is not TOML, or its ``[hardware]`` table is wrong."""


_UNION_TAGS = {"gpio", "pns", "serial", "hid"}
"""pydantic puts the chosen variant of a tagged union in the location; readers need not see it."""


def _key_path(location: tuple[int | str, ...]) -> str:
    path = "hardware"
    for part in location:
        if isinstance(part, int):
            path += f"[{part}]"
        elif part not in _UNION_TAGS:
            path += f".{part}"
    return path


def load_hardware(path: str | Path) -> StationHardware | StoreHardware:
    """The validated ``[hardware]`` table of ``path``."""
    path = Path(path)
    try:
        data: dict[str, Any] = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise HardwareFileError(
            errs.CANNOT_READ.format(path=path, error=exc.strerror or exc)
        ) from exc
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise HardwareFileError(errs.NOT_TOML.format(path=path, error=exc)) from exc
    kind = data.get("kind")
    if kind not in MODELS:
        if kind is None:
            raise HardwareFileError(errs.KIND_MISSING.format(path=path))
        raise HardwareFileError(errs.KIND_WRONG.format(path=path, kind=repr(kind)))
    table = data.get("hardware")
    if not isinstance(table, dict):
        raise HardwareFileError(errs.NO_HARDWARE.format(path=path))
    try:
        return MODELS[kind].model_validate(table)
    except ValidationError as exc:
        lines = [f"{path}: {_key_path(e['loc'])}: {e['msg']}" for e in exc.errors()]
        raise HardwareFileError("\n".join(lines)) from exc
