"""Field types shared by the configuration files: names, file paths and the file header."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BeforeValidator, Field, ValidationInfo
from pydantic_core import PydanticCustomError

from andon.config import wording as W
from andon.config.errors import describe_value

SCHEMA_VERSION = 1
"""The configuration format version every file declares with ``schema = 1``."""

_IDENTIFIER = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")


def _check_identifier(value: str) -> str:
    if not _IDENTIFIER.match(value):
        raise PydanticCustomError(
            "identifier",
            W.IDENTIFIER.format(got=describe_value(value)),
        )
    return value


Identifier = Annotated[str, AfterValidator(_check_identifier)]
"""A name used in MQTT topics and keys: site, area, line, station, call type, role."""

_CODE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,31}$")


def _check_code(value: str) -> str:
    if not _CODE.match(value):
        raise PydanticCustomError(
            "code",
            W.CODE.format(got=describe_value(value)),
        )
    return value


Code = Annotated[str, AfterValidator(_check_code)]
"""A short code printed as a barcode: a reason code, a part number, a badge."""

Text = Annotated[str, Field(min_length=1, max_length=200)]
"""A human-readable label."""


def _text_to_path(value: Any) -> Any:
    if isinstance(value, str):
        if not value.strip():
            raise PydanticCustomError("path_empty", W.PATH_EMPTY)
        return Path(value)
    return value


def _resolve_path(value: Path, info: ValidationInfo) -> Path:
    base = (info.context or {}).get("base_dir")
    if base is not None and not value.is_absolute():
        return Path(base) / value
    return value


ConfigPath = Annotated[Path, BeforeValidator(_text_to_path), AfterValidator(_resolve_path)]
"""A file path; relative paths are relative to the configuration file that names them."""

SchemaVersion = Annotated[Literal[1], Field(alias="schema")]
"""The ``schema = 1`` header key (``schema`` is spelled ``schema_version`` in Python)."""
