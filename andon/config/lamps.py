"""The lamp rules (the ``[lamps]`` table): which station signal lights which tier, and how.

A rule says: *when* this signal is active, show this *pattern* on the tier of
this *colour* (and optionally sound this *buzzer* tune), with a *priority*.
For each tier the highest-priority active rule wins; the buzzer follows the
highest-priority active rule that names one. Ties go to the rule listed first.

Signals come from the station, one word each:

- ``line_stopped``, ``fault`` (the machine's own stop), ``blocked`` (full-work:
  the downstream buffer is full), ``too_fast``, ``too_slow``, ``running`` (in
  shift, producing), ``idle`` (in shift, not producing), ``no_shift``,
  ``offline`` (the broker is unreachable; information only), ``alarm`` (the
  station cannot write its journal: disk full or read-only);
- ``call.<type>``: a call of that type is open and not yet acknowledged;
- ``call.<type>.acknowledged``: it is acknowledged but not resolved
  (``call.material`` is the material call).

When the file gives no rules, :func:`default_rules` applies (IEC 60073 colours).
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Collection, Iterable
from typing import Literal

from pydantic import Field, field_validator, model_validator

from andon.config import wording as W
from andon.config.base import ConfigModel
from andon.config.hardware import Colour

FIXED_SIGNALS = frozenset(
    {
        "line_stopped",
        "fault",
        "blocked",
        "too_fast",
        "too_slow",
        "running",
        "idle",
        "no_shift",
        "offline",
        "alarm",
    }
)
"""Every signal that is not about a call."""

_CALL_SIGNAL = re.compile(r"call\.(?P<type>[a-z][a-z0-9_-]*)(?P<ack>\.acknowledged)?")

LampPattern = Literal["off", "on", "slow", "fast"]
BuzzerTune = Literal["off", "continuous", "pulse", "rapid", "chirp"]

STANDARD_CALL_TYPES = ("equipment", "quality", "help")
"""The call types the defaults know by name, most urgent first."""


def check_signal(signal: str) -> str:
    """Return ``signal`` if the station can ever raise it, else raise ``ValueError``."""
    if signal in FIXED_SIGNALS or _CALL_SIGNAL.fullmatch(signal):
        return signal
    known = [*sorted(FIXED_SIGNALS), "call.<type>", "call.<type>.acknowledged"]
    close = difflib.get_close_matches(signal, sorted(FIXED_SIGNALS), n=1)
    listed = ", ".join(known)
    if close:
        raise ValueError(
            W.UNKNOWN_SIGNAL_HINT.format(signal=repr(signal), close=repr(close[0]), known=listed)
        )
    raise ValueError(W.UNKNOWN_SIGNAL.format(signal=repr(signal), known=listed))


class LampRule(ConfigModel):
    """When ``when`` is active: show ``pattern`` on the ``colour`` tier, sound ``buzzer``."""

    when: str
    colour: Colour | None = None
    """The tier, by colour; leave out for a rule that only sounds the buzzer."""
    pattern: LampPattern = "on"
    buzzer: BuzzerTune | None = None
    priority: int = Field(ge=0, le=1000)

    @field_validator("when")
    @classmethod
    def _known_signal(cls, value: str) -> str:
        return check_signal(value)

    @model_validator(mode="after")
    def _does_something(self) -> LampRule:
        if self.colour is None and self.buzzer is None:
            raise ValueError(W.RULE_DOES_NOTHING)
        return self


class LampConfig(ConfigModel):
    """The ``[lamps]`` table: ``[[lamps.rules]]`` entries, or none for the defaults."""

    rules: list[LampRule] = Field(default_factory=list)

    def effective_rules(self, call_types: Iterable[str] = STANDARD_CALL_TYPES) -> list[LampRule]:
        """The configured rules, or the defaults for these call types when there are none."""
        return list(self.rules) if self.rules else default_rules(call_types)


def rules_off_tower(rules: Iterable[LampRule], colours: Collection[str]) -> list[tuple[int, str]]:
    """``(index, colour)`` of every rule whose colour is not a tier of the tower."""
    return [
        (index, rule.colour)
        for index, rule in enumerate(rules)
        if rule.colour is not None and rule.colour not in colours
    ]


_CALL_TUNES: dict[str, BuzzerTune] = {"equipment": "rapid", "quality": "pulse", "help": "chirp"}


def _alarm_rule(colours: Collection[str] | None) -> LampRule:
    """The journal alarm's rule: white, or on a tower without white the tier it has.

    Blue (mandatory action: someone must free the disk) fast, else yellow slow under
    the calls; a station must never hide that it cannot keep its record.
    """
    if colours is None or "white" in colours:
        return LampRule(when="alarm", colour="white", pattern="fast", priority=40)
    if "blue" in colours:
        return LampRule(when="alarm", colour="blue", pattern="fast", priority=40)
    return LampRule(when="alarm", colour="yellow", pattern="slow", priority=45)


def default_rules(
    call_types: Iterable[str] = STANDARD_CALL_TYPES, colours: Collection[str] | None = None
) -> list[LampRule]:
    """The IEC 60073 defaults, with one pair of call rules per call type.

    - red: ``line_stopped`` fast flash (100); ``fault`` slow flash (95);
    - yellow: an unacknowledged call flashes fast and sounds its tune
      (equipment 90 rapid, quality 85 pulse, help 80 chirp, any other 75 pulse);
      acknowledged it is steady and silent (equipment 70, quality 65, help 60,
      other 55); ``too_slow`` and ``too_fast`` flash slowly (50);
    - green: ``too_fast`` flashes fast (50), so too fast and too slow differ
      even on a three-tier tower; ``running`` steady (20); ``idle`` slow (10);
    - blue (mandatory action): ``call.material`` slow (60), acknowledged steady (55);
    - white (information): ``alarm`` fast (40); ``blocked`` steady (30); ``offline`` slow (10).
      On a tower without white (``colours`` given), ``alarm`` goes to blue fast (40), or
      without blue to yellow slow (45, under the calls): the journal alarm is always shown.

    ``no_shift`` lights nothing. Rules for a colour the tower lacks are
    dropped by the lamp driver when the defaults are used.
    """
    rules = [
        LampRule(when="line_stopped", colour="red", pattern="fast", priority=100),
        LampRule(when="fault", colour="red", pattern="slow", priority=95),
        LampRule(when="too_slow", colour="yellow", pattern="slow", priority=50),
        LampRule(when="too_fast", colour="yellow", pattern="slow", priority=50),
        LampRule(when="too_fast", colour="green", pattern="fast", priority=50),
        LampRule(when="running", colour="green", pattern="on", priority=20),
        LampRule(when="idle", colour="green", pattern="slow", priority=10),
        LampRule(when="call.material", colour="blue", pattern="slow", priority=60),
        LampRule(when="call.material.acknowledged", colour="blue", pattern="on", priority=55),
        LampRule(when="blocked", colour="white", pattern="on", priority=30),
        LampRule(when="offline", colour="white", pattern="slow", priority=10),
        _alarm_rule(colours),
    ]
    ordered = sorted(
        {t for t in call_types if t != "material"},
        key=lambda t: (STANDARD_CALL_TYPES.index(t) if t in STANDARD_CALL_TYPES else 99, t),
    )
    for call_type in ordered:
        rank = STANDARD_CALL_TYPES.index(call_type) if call_type in STANDARD_CALL_TYPES else 3
        rules.append(
            LampRule(
                when=f"call.{call_type}",
                colour="yellow",
                pattern="fast",
                buzzer=_CALL_TUNES.get(call_type, "pulse"),
                priority=90 - 5 * rank,
            )
        )
        rules.append(
            LampRule(
                when=f"call.{call_type}.acknowledged",
                colour="yellow",
                pattern="on",
                priority=70 - 5 * rank,
            )
        )
    return rules


def check_rules_fit_tower(rules: Iterable[LampRule], colours: Collection[str]) -> None:
    """Raise ``ValueError`` naming every rule whose colour is not a tier of the tower."""
    tiers = ", ".join(colours) or "none"
    problems = [
        f"rules[{index}].colour: {colour!r} is not on the tower (its tiers: {tiers})"
        for index, colour in rules_off_tower(rules, colours)
    ]
    if problems:
        raise ValueError("; ".join(problems))
