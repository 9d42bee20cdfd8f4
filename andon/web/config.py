"""The web file (``kind = "web"``) and the people file it names: who may sign in, and how.

The web file names its plant (broker, lines, language come from there) and the
lines it shows, where it listens, its TLS certificate and key, the
secret that signs session cookies and the people file. The people file holds
each person's badge (one of the plant's ``[[people]]``, whose name is journaled
as ``by`` exactly as a badge scan would), a PIN hash (never the PIN: ``andon web
--hash-pin``) and the web roles.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from pydantic import Field, ValidationError, ValidationInfo, field_validator, model_validator

from andon.config import wording as W
from andon.config.base import ConfigModel
from andon.config.board import BoardFile
from andon.config.errors import (
    ConfigError,
    ConfigIssue,
    Problems,
    describe_value,
    issues_from_validation,
)
from andon.config.fields import Code, ConfigPath, Identifier, SchemaVersion, Text
from andon.config.language import Language, Translations
from andon.config.loader import load_file, read_toml
from andon.config.plant import PlantMember, check_line_list, plant_in_context
from andon.i18n.catalog import Translator
from andon.web.pins import is_pin_hash

WebRole = Literal["operator", "maintenance", "supervisor", "store"]
ROLES: tuple[str, ...] = ("operator", "maintenance", "supervisor", "store")


class WebFile(PlantMember):
    """``andon web``: one server for the browsers and phones of a plant."""

    kind: Literal["web"]
    schema_version: SchemaVersion
    id: Identifier
    """Names the server on MQTT (``<prefix>/<site>/_boards/<id>/status``) and its broker
    account (``web.<id>``)."""
    name: Text | None = None
    """Title of the pages; default: the id."""
    names: Translations = Field(default_factory=dict)
    """The title in other languages, e.g. ``names = { zh_CN = "装配网页视图" }``."""
    lines: list[Identifier] | None = None
    """Lines shown; default: every line of the plant."""
    language: Language | None = None
    """What the pages speak; default: the plant's ``[site] language``."""
    stale_after_s: float = Field(default=30, gt=0)
    """Mark a station's data stale when nothing was heard from it for this long."""
    listen: str = "127.0.0.1:8080"
    """``host:port`` the server listens on."""
    url: str | None = None
    """The address phones and PCs open (printed at start; default from ``listen``)."""
    people: ConfigPath | None = None
    """The people file; without it nobody can sign in (a view-only server)."""
    secret_file: ConfigPath | None = None
    """A file holding the key that signs session cookies (32+ random bytes); default: a key
    made at start (every session ends when the server restarts)."""
    tls_cert: ConfigPath | None = None
    tls_key: ConfigPath | None = None
    view_without_sign_in: bool = False
    """Show the pages to anyone who reaches the server (the demo). Production: false, and
    wall screens open their kiosk link."""
    kiosk_tokens: list[Identifier] = Field(default_factory=list)
    """Names of the wall screens whose kiosk token file ``<name>.token`` lies beside the
    people file (view only, no pointer needed)."""
    historian: str | None = None
    """The historian's database URL (docs/historian.md): adds the history page, whose
    reports the report code makes (``andon report``)."""
    history_config: ConfigPath | None = None
    """The plant file (or its folder, with the station files) the reports read; default:
    this file's plant."""
    session_hours: float = Field(default=12, gt=0, le=24 * 7)
    sign_in_attempts: int = Field(default=5, ge=1, le=100)
    """Failed sign-ins allowed per badge and per address in ``sign_in_window_s``."""
    sign_in_window_s: float = Field(default=300, gt=0)
    intake: Literal["loop", "process"] = "loop"
    """Where the server reads the broker: in its own event loop (``loop``), or in a
    process of its own that hands each read over to the server (``process``,
    docs/web.md)."""

    def summary(self, tr: Translator | None = None) -> str:
        """What the file holds, in ``tr``'s language (English without one)."""
        tls = W.said(W.WITH_TLS if self.tls_cert else W.WITHOUT_TLS, tr)
        shown = ", ".join(self.lines) if self.lines is not None else W.said(W.ALL_LINES, tr)
        return W.summary([self.id, shown, self.listen, tls], tr)

    @field_validator("listen", mode="after")
    @classmethod
    def _listen_form(cls, value: str) -> str:
        parse_listen(value)
        return value

    @field_validator("lines", mode="after")
    @classmethod
    def _lines_of_plant(cls, lines: list[str] | None, info: ValidationInfo) -> list[str] | None:
        if lines is not None:
            problems = Problems()
            check_line_list(lines, plant_in_context(info), problems)
            problems.raise_if_any()
        return lines

    @model_validator(mode="after")
    def _fits(self, info: ValidationInfo) -> WebFile:
        self._attach_plant(info)
        if (self.tls_cert is None) != (self.tls_key is None):
            raise ValueError(W.TLS_TOGETHER)
        return self

    def board_file(self) -> BoardFile:
        """The board this server runs (the board model's catalogue), from this file."""
        data: dict[str, object] = {
            "kind": "board",
            "schema": 1,
            "plant": str(self.plant),
            "id": self.id,
            "stale_after_s": self.stale_after_s,
        }
        for key in ("name", "names", "lines", "language"):
            if getattr(self, key) is not None:
                data[key] = getattr(self, key)
        board = BoardFile.model_validate(data, context={"plant": self.plant_config})
        return board


def parse_listen(text: str) -> tuple[str, int]:
    """``"0.0.0.0:8443"`` → ``("0.0.0.0", 8443)``; a clear error otherwise."""
    host, sep, port = text.rpartition(":")
    if not sep or not host or not port.isdigit() or not 0 <= int(port) <= 65535:
        raise ValueError(W.LISTEN.format(example="127.0.0.1:8080", got=describe_value(text)))
    return host.strip("[]"), int(port)


class PersonAccess(ConfigModel):
    """One person who may sign in: a badge of the plant file, a PIN hash, web roles."""

    badge: Code
    pin_hash: str
    roles: list[WebRole] = Field(min_length=1)

    @field_validator("pin_hash", mode="after")
    @classmethod
    def _hashed(cls, value: str) -> str:
        if not is_pin_hash(value):
            raise ValueError(W.PIN_HASH)
        return value


class PeopleFile(ConfigModel):
    """``kind = "people"``: who may sign in to the web view."""

    kind: Literal["people"]
    schema_version: SchemaVersion
    person: list[PersonAccess] = Field(default_factory=list)

    def summary(self, tr: Translator | None = None) -> str:
        """How many people may sign in, in ``tr``'s language (English without one)."""
        return W.counted(len(self.person), "person", tr)


@dataclass(frozen=True)
class Person:
    """Someone signed in: badge, the plant's name for it, web roles."""

    badge: str
    name: str
    roles: tuple[str, ...]
    pin_hash: str


@dataclass(frozen=True)
class WebSetup:
    """A web file with its board and people, checked together."""

    path: Path
    web: WebFile
    board: BoardFile
    people: dict[str, Person]
    kiosk: dict[str, str]
    """Kiosk token → wall screen name."""

    @property
    def language(self) -> str:
        return self.board.shown_language


def _validated(model: type[ConfigModel], file: Path) -> ConfigModel:
    data = read_toml(file)
    try:
        return model.model_validate(data, strict=True, context={"base_dir": file.absolute().parent})
    except ValidationError as error:
        raise ConfigError(file, issues_from_validation(file, error, data, model)) from None


def load_people(file: Path, board: BoardFile) -> dict[str, Person]:
    """The people file, each badge checked against the plant's ``[[people]]``."""
    people = _validated(PeopleFile, file)
    assert isinstance(people, PeopleFile)
    plant = board.plant_config
    found: dict[str, Person] = {}
    issues = []
    for index, access in enumerate(people.person):
        known = plant.person(access.badge)
        if known is None:
            issues.append(
                ConfigIssue(
                    file,
                    f"person[{index}].badge",
                    W.BADGE_OF_PLANT.format(got=describe_value(access.badge)),
                )
            )
            continue
        if access.badge in found:
            issues.append(
                ConfigIssue(
                    file, f"person[{index}].badge", W.BADGE_TWICE.format(badge=access.badge)
                )
            )
        found[access.badge] = Person(access.badge, known.name, tuple(access.roles), access.pin_hash)
    if issues:
        raise ConfigError(file, issues)
    return found


def _kiosk_tokens(web: WebFile, file: Path) -> dict[str, str]:
    if not web.kiosk_tokens:
        return {}
    folder = web.people.parent if web.people else file.parent
    tokens = {}
    for index, name in enumerate(web.kiosk_tokens):
        token_file = folder / f"{name}.token"
        try:
            token = token_file.read_text().strip()
        except OSError as error:
            why = W.TOKEN_UNREADABLE.format(file=token_file, error=error)
            raise ConfigError(file, [ConfigIssue(file, f"kiosk_tokens[{index}]", why)]) from None
        if len(token) < 24:
            raise ConfigError(
                file,
                [
                    ConfigIssue(
                        file,
                        f"kiosk_tokens[{index}]",
                        W.TOKEN_SHORT.format(file=token_file),
                    )
                ],
            )
        tokens[token] = name
    return tokens


def load_web(path: Path | str) -> WebSetup:
    """Load a web file, its plant and its people file; :class:`ConfigError` if bad."""
    file = Path(path)
    web = load_file(file)
    if not isinstance(web, WebFile):
        raise ConfigError(
            file, [ConfigIssue(file, "kind", W.KIND_IS.format(wanted="web", kind=web.kind))]
        )
    board = web.board_file()
    people = load_people(web.people, board) if web.people else {}
    return WebSetup(file, web, board, people, _kiosk_tokens(web, file))
