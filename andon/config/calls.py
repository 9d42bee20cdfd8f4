"""Call types (``[call_types.<name>]``), their escalation ladders, and who answers them.

A call type says how a call looks and sounds (colour, pattern, buzzer), whether
it is subject to the fixed-position stop, and whom it reaches as it ages
(escalation). Roles (``[roles]``) name the groups of people a ladder reaches;
``[[people]]`` lists who carries which badge.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field, model_validator

from andon.config import wording as W
from andon.config.base import ConfigModel
from andon.config.errors import Problems
from andon.config.fields import Code, Identifier, Text
from andon.config.hardware import Colour
from andon.config.language import Language, Translations, in_language
from andon.i18n.vocabulary import CALL_TYPE_WORDS, ROLE_WORDS

Pattern = Literal["on", "slow", "fast"]
"""Steady, slow flashing or fast flashing (flashing is more urgent than steady)."""
Buzzer = Literal["off", "continuous", "pulse", "rapid", "chirp"]
"""The same tunes as the lamp rules (``andon.config.lamps``)."""
Condition = Literal["unacknowledged", "unresolved"]

RESERVED_CALL_TYPE_NAMES = frozenset({"acknowledge"})
"""``acknowledge`` is a button of its own (``[hardware.acknowledge]``), never a call type."""


class EscalationLevel(ConfigModel):
    """One rung of a ladder: after ``after_s`` seconds still ``while_``, notify ``roles``."""

    level: int = Field(ge=1, le=9)
    after_s: float = Field(ge=0)
    """Seconds since the call was raised, breaks included (a response time, not working time)."""
    while_: Condition = Field(alias="while")
    """``unacknowledged``: until someone acknowledges; ``unresolved``: until it is resolved."""
    roles: list[Identifier] = Field(min_length=1)


class CallTypeConfig(ConfigModel):
    """How one kind of call looks, sounds, stops the line and escalates."""

    label: Text
    labels: Translations = Field(default_factory=dict)
    """The label in other languages, e.g. ``labels = { zh_CN = "模具" }``; a label that is
    one of andon's own words (``Help``, ``Quality``…) is translated by the catalogs."""
    colour: Colour
    pattern: Pattern = "on"
    buzzer: Buzzer = "off"
    stops_line: bool = False
    """True: unresolved at the end of the takt cycle, the line stops (fixed-position stop)."""
    requires_reason_after_s: float | None = Field(default=None, ge=0)
    """Calls open longer than this need a reason code; default: ``[downtime] minor_stop_s``."""
    escalation: list[EscalationLevel] = Field(default_factory=list)

    def label_in(self, language: str) -> str:
        """The label in ``language`` (see ``labels``)."""
        return in_language(self.label, self.labels, language)

    @model_validator(mode="after")
    def _ladder_in_order(self) -> CallTypeConfig:
        problems = Problems()
        for index in range(1, len(self.escalation)):
            previous, current = self.escalation[index - 1], self.escalation[index]
            if current.level <= previous.level:
                problems.add(
                    ("escalation", index, "level"),
                    W.LEVEL_INCREASES.format(previous=previous.level, got=current.level),
                )
            if current.after_s < previous.after_s:
                problems.add(
                    ("escalation", index, "after_s"),
                    W.AFTER_NOT_DECREASING.format(
                        previous=f"{previous.after_s:g}", got=f"{current.after_s:g}"
                    ),
                )
        problems.raise_if_any()
        return self


class PersonConfig(ConfigModel):
    """Someone who acknowledges and resolves calls by scanning a badge (``[[people]]``)."""

    badge: Code
    name: Text
    role: Identifier
    language: Language | None = None
    """What this person's alerts and reports speak; default: the plant's ``[site] language``."""


DEFAULT_ROLES: dict[str, str] = dict(ROLE_WORDS)
"""Roles that always exist; ``[roles]`` relabels them or adds more."""


def _ladder(*rungs: tuple[int, float, Condition, list[str]]) -> list[EscalationLevel]:
    return [
        EscalationLevel.model_validate(
            {"level": level, "after_s": after, "while": cond, "roles": roles}
        )
        for level, after, cond, roles in rungs
    ]


def default_call_types() -> dict[str, CallTypeConfig]:
    """The built-in call types; a ``[call_types.<name>]`` table of the same name replaces one."""
    return {
        "help": CallTypeConfig(
            label=CALL_TYPE_WORDS["help"],
            colour="yellow",
            pattern="slow",
            buzzer="chirp",
            stops_line=True,
            escalation=_ladder(
                (1, 0, "unacknowledged", ["team_leader"]),
                (2, 300, "unresolved", ["supervisor"]),
            ),
        ),
        "quality": CallTypeConfig(
            label=CALL_TYPE_WORDS["quality"],
            colour="yellow",
            pattern="fast",
            buzzer="pulse",
            stops_line=True,
            escalation=_ladder(
                (1, 0, "unacknowledged", ["team_leader", "quality"]),
                (2, 300, "unresolved", ["supervisor"]),
            ),
        ),
        "equipment": CallTypeConfig(
            label=CALL_TYPE_WORDS["equipment"],
            colour="red",
            pattern="fast",
            buzzer="pulse",
            stops_line=True,
            escalation=_ladder(
                (1, 0, "unacknowledged", ["maintenance", "team_leader"]),
                (2, 300, "unresolved", ["supervisor"]),
                (3, 900, "unresolved", ["maintenance", "supervisor"]),
            ),
        ),
        "material": CallTypeConfig(
            label=CALL_TYPE_WORDS["material"],
            colour="blue",
            pattern="slow",
            buzzer="off",
            stops_line=False,
            escalation=_ladder(
                (1, 0, "unacknowledged", ["material_handler"]),
                (2, 900, "unresolved", ["team_leader"]),
            ),
        ),
    }
