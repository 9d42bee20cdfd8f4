"""A client's own copy of the plant file, and of its configuration file.

Every program of a plant reads the broker settings from the plant file's
``[broker]`` table, so each device gets a copy whose table names its own
username, password file and CA. Only that table is rewritten; the rest of the
file, comments included, stays as written, and the result is checked to
parse to the same data with the new table.
"""

from __future__ import annotations

import json
import re
import tomllib
from collections.abc import Mapping
from typing import Any

from andon.provision.errors import (
    BROKER_NOT_A_TABLE,
    BROKER_NOT_PLAIN,
    NO_PLANT_LINE,
    TOML_SYNTAX,
    ProvisionError,
)

_BROKER_HEADER = re.compile(r"^[ \t]*\[[ \t]*broker[ \t]*\][ \t]*(#.*)?$")
_ANY_HEADER = re.compile(r"^[ \t]*\[")
_PLANT_KEY = re.compile(r"^([ \t]*plant[ \t]*=[ \t]*)(\"[^\"\n]*\"|'[^'\n]*')([ \t]*(#.*)?)$")

TomlScalar = str | int | bool | float


def toml_value(value: TomlScalar) -> str:
    """A TOML literal for a string, integer, float or boolean."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    # JSON's string escapes are TOML's; non-ASCII stays as it is (no surrogate pairs).
    return json.dumps(value, ensure_ascii=False)


def broker_table(values: Mapping[str, TomlScalar], comment: str = "") -> str:
    """``[broker]`` with one ``key = value`` line per entry, after an optional comment."""
    lines = [f"# {line}".rstrip() for line in comment.splitlines()]
    lines.append("[broker]")
    lines += [f"{key} = {toml_value(value)}" for key, value in values.items()]
    return "\n".join(lines) + "\n"


def replace_broker_table(
    text: str, values: Mapping[str, TomlScalar], comment: str = "", source: str = "plant file"
) -> str:
    """``text`` with its ``[broker]`` table replaced by ``values`` (added when missing).

    Raises :class:`ProvisionError` when the broker settings are not written as a
    ``[broker]`` table (e.g. dotted keys), so they cannot be replaced safely.
    """
    original = _parse(text, source)
    lines = text.splitlines(keepends=True)
    start = next((i for i, line in enumerate(lines) if _BROKER_HEADER.match(line)), None)
    table = broker_table(values, comment)
    if start is None:
        if "broker" in original:
            raise ProvisionError(BROKER_NOT_A_TABLE.format(file=source))
        joined = "".join(lines)
        if joined and not joined.endswith("\n"):
            joined += "\n"
        result = joined + ("\n" if joined else "") + table
    else:
        end = next(
            (i for i in range(start + 1, len(lines)) if _ANY_HEADER.match(lines[i])), len(lines)
        )
        # Comments and blank lines just before the next table belong to that table.
        last = start
        for i in range(start + 1, end):
            stripped = lines[i].strip()
            if stripped and not stripped.startswith("#"):
                last = i
        tail = lines[last + 1 : end]
        result = "".join(lines[:start]) + table + "".join(tail) + "".join(lines[end:])
    changed = _parse(result, source)
    expected = {**original, "broker": dict(values)}
    if changed != expected:
        raise ProvisionError(BROKER_NOT_PLAIN.format(file=source))
    return result


def with_plant_reference(text: str, reference: str, source: str = "configuration file") -> str:
    """A member file's text with its top-level ``plant = "…"`` set to ``reference``."""
    original = _parse(text, source)
    if original.get("plant") == reference:
        return text
    lines = text.splitlines(keepends=True)
    for index, line in enumerate(lines):
        if _ANY_HEADER.match(line):
            break
        match = _PLANT_KEY.match(line.rstrip("\r\n"))
        if match:
            ending = line[len(line.rstrip("\r\n")) :]
            lines[index] = match.group(1) + toml_value(reference) + match.group(3) + ending
            result = "".join(lines)
            if _parse(result, source) == {**original, "plant": reference}:
                return result
            break
    raise ProvisionError(NO_PLANT_LINE.format(file=source))


def _parse(text: str, source: str) -> dict[str, Any]:
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise ProvisionError(TOML_SYNTAX.format(file=source, error=error)) from None
