"""Configuration errors that name the file, the key path and what was expected.

Every problem found in a file becomes a :class:`ConfigIssue`; a file with any
issue raises one :class:`ConfigError` carrying all of them, so a plant
engineer fixes a file in one round instead of one error at a time.

Model validators that check several keys at once report through
:class:`Problems`, which records the key path of each offending value below
the model (``stops[0].end``) so the message points at the exact key.
"""

from __future__ import annotations

import json
import re
import types
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any, Literal, Union, get_args, get_origin

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails, PydanticCustomError

from andon.config import wording
from andon.i18n.markers import N_
from andon.i18n.sentences import find

_BARE_KEY = re.compile(r"^[A-Za-z0-9_-]+$")
"""Keys TOML writes without quotes; others are quoted in key paths."""

LocPart = str | int
"""One step of a key path: a table key or an array index."""

CHECK_ERROR_TYPE = "andon_config_check"
"""The pydantic error type :class:`Problems` raises; :mod:`andon.config.loader` expands it."""


def format_key_path(loc: Iterable[LocPart]) -> str:
    """Render a location as a dotted key path: ``calendar.shifts[1].stops[0].end``."""
    text = ""
    for part in loc:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            key = part if _BARE_KEY.match(part) else json.dumps(part, ensure_ascii=False)
            text += f".{key}" if text else key
    return text


@dataclass(frozen=True)
class ConfigIssue:
    """One problem in one configuration file."""

    file: Path
    key_path: str
    """Dotted path to the offending key; empty for a problem with the whole file."""
    message: str
    """What was expected and what was found."""
    line: int | None = None
    column: int | None = None
    """Set for TOML syntax errors, which have a position but no key path."""

    def where(self) -> str:
        """The key path, or the line and column of a syntax error ("" for the whole file)."""
        if self.line is not None:
            return f"line {self.line}, column {self.column}"
        return self.key_path

    def __str__(self) -> str:
        where = self.where()
        return f"{self.file}: {where}: {self.message}" if where else f"{self.file}: {self.message}"


@dataclass
class ConfigError(Exception):
    """A configuration file (or a file it references) has one or more problems."""

    file: Path
    errors: list[ConfigIssue] = field(default_factory=list)

    def __post_init__(self) -> None:
        super().__init__(str(self))

    def __str__(self) -> str:
        count = len(self.errors)
        lines = [f"{self.file}: {count} configuration error{'s' if count != 1 else ''}"]
        lines.extend(f"  {issue}" for issue in self.errors)
        return "\n".join(lines)


class ConfigFileNotFoundError(ConfigError):
    """The file named on the command line (or to a loader) does not exist."""


class Problems:
    """Collects the problems a model validator finds, each with its key path below the model.

    Inside a ``model_validator``::

        problems = Problems()
        problems.add(("stops", 0, "end"), "expected a time within the shift, got 14:30")
        problems.raise_if_any()  # one pydantic error carrying every problem
    """

    def __init__(self) -> None:
        self._items: list[tuple[tuple[LocPart, ...], str]] = []

    def add(self, path: Sequence[LocPart], message: str) -> None:
        """Record a problem at ``path`` (relative to the model being validated)."""
        self._items.append((tuple(path), message))

    def __bool__(self) -> bool:
        return bool(self._items)

    def raise_if_any(self) -> None:
        """Raise one pydantic error holding every recorded problem, if there are any."""
        if not self._items:
            return
        summary = "; ".join(
            f"{format_key_path(path)}: {message}" if path else message
            for path, message in self._items
        )
        raise PydanticCustomError(
            CHECK_ERROR_TYPE, "{summary}", {"summary": summary, "problems": tuple(self._items)}
        )


# -- pydantic errors in the words of a configuration file ---------------------------------


def issues_from_validation(
    file: Path, error: ValidationError, data: Any, model: type[BaseModel]
) -> list[ConfigIssue]:
    """Every error of a pydantic ``ValidationError`` as a :class:`ConfigIssue`.

    ``data`` is the parsed TOML the model was validated from: key paths are
    rebuilt by walking it, so union tags and validator names that pydantic puts
    into locations never show up as if they were keys.
    """
    issues: list[ConfigIssue] = []
    for detail in error.errors(include_url=False):
        path, parent_type, leaf_type = _walk(detail["loc"], data, model)
        for key_path, message in _translate(detail, path, parent_type, leaf_type):
            issue = ConfigIssue(file=file, key_path=key_path, message=message)
            if issue not in issues:
                issues.append(issue)
    return issues


def _translate(
    detail: ErrorDetails, path: list[LocPart], parent_type: Any, leaf_type: Any
) -> list[tuple[str, str]]:
    kind = detail["type"]
    ctx: dict[str, Any] = dict(detail.get("ctx") or {})
    here = format_key_path(path)
    got = describe_value(detail["input"])
    if kind == CHECK_ERROR_TYPE:
        return [(format_key_path([*path, *sub]), message) for sub, message in ctx["problems"]]
    if kind in ("value_error", "assertion_error"):
        text = str(ctx.get("error", detail["msg"]))
        clashes = [find(part, (wording.PIN_CLASH,)) for part in text.split("; ")]
        if clashes and all(clashes):
            return [
                (
                    _join(here, fields["second"]),
                    wording.PIN_USED.format(pin=fields["pin"], other=_join(here, fields["first"])),
                )
                for _, fields in filter(None, clashes)
            ]
        return [(here, text)]
    if kind == "extra_forbidden":
        model = _model_in(parent_type)
        allowed = ", ".join(_keys_of(model)) if model is not None else "none"
        return [(here, UNKNOWN_KEY.format(allowed=allowed))]
    if kind in ("union_tag_invalid", "union_tag_not_found"):
        key = _discriminator_key(leaf_type, str(ctx.get("discriminator", "")))
        tags = ", ".join(f'"{tag}"' for tag in _tags_of(leaf_type, key))
        found = describe_value(ctx["tag"]) if "tag" in ctx else NOTHING_MISSING
        return [(_join(here, key), ONE_OF.format(expected=tags, got=found))]
    if kind == "list_type" and isinstance(detail["input"], dict):
        return [(here, ARRAY_OF_TABLES.format(key=here, got=got))]
    simple = SIMPLE.get(kind)
    if simple is not None:
        numbers = {k: _number(v) for k, v in ctx.items() if k in ("gt", "ge", "lt", "le")}
        if "expected" in ctx:  # literal choices, quoted the way TOML quotes strings
            numbers["expected"] = str(ctx["expected"]).replace("'", '"')
        return [(here, simple.format(got=got, **{**ctx, **numbers}))]
    message = detail["msg"]
    if message.startswith("expected"):  # our own validators say what they expected
        return [(here, message)]
    if kind.startswith(("date_", "datetime_")):
        return [(here, DATE.format(got=got))]
    if kind.startswith("path_"):
        return [(here, PATH.format(got=got))]
    return [(here, f"{message[:1].lower()}{message[1:]}, got {got}")]


def plural(count: int, noun: str) -> str:
    """``1 bin``, ``2 bins``."""
    return f"{count} {noun}{'' if count == 1 else 's'}"


def _number(value: Any) -> str:
    return f"{value:g}" if isinstance(value, float) else str(value)


UNKNOWN_KEY = N_("unknown key; expected one of: {allowed}")
ONE_OF = N_("expected one of {expected}, got {got}")
ARRAY_OF_TABLES = N_("expected an array of tables (write [[{key}]] for each entry), got {got}")
DATE = N_("expected a date such as 2025-12-24, got {got}")
PATH = N_("expected a file path in quotes, got {got}")
A_TABLE = N_("a table")
ONE_ITEM = N_("an array of {count} item")
ITEMS = N_("an array of {count} items")
NOTHING = N_("nothing")
NOTHING_MISSING = N_("nothing (the key is missing)")

SIMPLE: dict[str, str] = {
    "missing": N_("expected a value: this key is required"),
    "int_type": N_("expected a whole number, got {got}"),
    "int_parsing": N_("expected a whole number, got {got}"),
    "int_from_float": N_("expected a whole number, got {got}"),
    "float_type": N_("expected a number, got {got}"),
    "float_parsing": N_("expected a number, got {got}"),
    "finite_number": N_("expected a finite number, got {got}"),
    "bool_type": N_("expected true or false, got {got}"),
    "bool_parsing": N_("expected true or false, got {got}"),
    "string_type": N_("expected a text in quotes, got {got}"),
    "string_too_short": N_("expected a text of at least {min_length} character(s), got {got}"),
    "string_too_long": N_("expected a text of at most {max_length} characters, got {got}"),
    "greater_than": N_("expected a number greater than {gt}, got {got}"),
    "greater_than_equal": N_("expected a number of at least {ge}, got {got}"),
    "less_than": N_("expected a number less than {lt}, got {got}"),
    "less_than_equal": N_("expected a number of at most {le}, got {got}"),
    "literal_error": N_("expected one of {expected}, got {got}"),
    "enum": N_("expected one of {expected}, got {got}"),
    "list_type": N_("expected an array [...], got {got}"),
    "tuple_type": N_("expected an array [...], got {got}"),
    "set_type": N_("expected an array [...], got {got}"),
    "dict_type": N_("expected a table, got {got}"),
    "model_type": N_("expected a table, got {got}"),
    "model_attributes_type": N_("expected a table, got {got}"),
    "too_short": N_("expected at least {min_length} item(s), got {actual_length}"),
    "too_long": N_("expected at most {max_length} items, got {actual_length}"),
}


VALUE_WORDS = (A_TABLE, ONE_ITEM, ITEMS, NOTHING, NOTHING_MISSING)
"""How :func:`describe_value` writes values that are not TOML literals."""


def describe_value(value: Any) -> str:
    """A value as a TOML file spells it, shortened: for the "got ..." part of a message."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        text = json.dumps(value, ensure_ascii=False)
        return text if len(text) <= 60 else text[:57] + '..."'
    if isinstance(value, dict):
        return A_TABLE
    if isinstance(value, list):
        return (ONE_ITEM if len(value) == 1 else ITEMS).format(count=len(value))
    if value is None:
        return NOTHING
    if hasattr(value, "isoformat"):
        return str(value.isoformat())
    return str(value)


def _join(base: str, suffix: str) -> str:
    if not suffix:
        return base
    if not base or suffix.startswith("["):
        return base + suffix
    return f"{base}.{suffix}"


# -- walking a pydantic location through the file's data and the model's types ------------


def _walk(
    loc: Sequence[LocPart], data: Any, root: type[BaseModel]
) -> tuple[list[LocPart], Any, Any]:
    """Turn a pydantic location into a key path of the file.

    Returns the key path, the type of the table holding the last key, and the
    type at the last key.
    """
    path: list[LocPart] = []
    here: Any = data
    leaf: Any = root
    parent: Any = None
    for index, part in enumerate(loc):
        if part == "[key]":  # the error is about a table key itself, already in the path
            continue
        present = (isinstance(here, dict) and isinstance(part, str) and part in here) or (
            isinstance(here, list) and isinstance(part, int) and 0 <= part < len(here)
        )
        if present or index == len(loc) - 1:
            path.append(part)
            parent, leaf = leaf, _child_type(leaf, part)
            here = here[part] if present else None
        elif isinstance(part, str):  # a union tag or a validator's name, not a key
            leaf = _member_tagged(leaf, part) or leaf
    return path, parent, leaf


def _members(tp: Any) -> list[Any]:
    """The types a value may have: ``Annotated`` stripped, unions split, ``None`` dropped."""
    origin = get_origin(tp)
    if origin is Annotated:
        return _members(get_args(tp)[0])
    if origin is Union or origin is types.UnionType:
        return [member for arg in get_args(tp) for member in _members(arg)]
    if tp is type(None) or tp is None:
        return []
    return [tp]


def _is_model(tp: Any) -> bool:
    return isinstance(tp, type) and issubclass(tp, BaseModel)


def _model_in(tp: Any) -> type[BaseModel] | None:
    return next((m for m in _members(tp) if _is_model(m)), None)


def _keys_of(model: type[BaseModel]) -> list[str]:
    """The keys a table of ``model`` may hold, as the file spells them."""
    return [
        info.alias or name for name, info in model.model_fields.items() if info.exclude is not True
    ]


def _child_type(tp: Any, key: LocPart) -> Any:
    for member in _members(tp):
        origin = get_origin(member)
        if _is_model(member) and isinstance(key, str):
            for name, info in member.model_fields.items():
                if (info.alias or name) == key:
                    return info.annotation
        elif origin is list and isinstance(key, int):
            return get_args(member)[0]
        elif origin is dict and isinstance(key, str):
            return get_args(member)[1]
    return None


def _tag_values(model: type[BaseModel], key: str) -> tuple[Any, ...]:
    info = model.model_fields.get(key)
    if info is None:
        return ()
    annotation = info.annotation
    return get_args(annotation) if get_origin(annotation) is Literal else ()


def _member_tagged(tp: Any, tag: str) -> Any:
    """The model of a tagged union whose tag field admits ``tag``."""
    for member in _members(tp):
        if _is_model(member) and any(
            tag in _tag_values(member, key) for key in member.model_fields
        ):
            return member
    return None


def _discriminator_key(tp: Any, described: str) -> str:
    """The key that selects a union member: ``'kind'`` as pydantic quotes it, or, for a
    callable discriminator, the field every member tags with a literal."""
    if described.startswith(("'", '"')):
        return described.strip("'\"")
    models = [member for member in _members(tp) if _is_model(member)]
    if models:
        for key in models[0].model_fields:
            if all(_tag_values(model, key) for model in models):
                return key
    return described


def _tags_of(tp: Any, key: str) -> list[str]:
    return [
        str(tag) for member in _members(tp) if _is_model(member) for tag in _tag_values(member, key)
    ]
