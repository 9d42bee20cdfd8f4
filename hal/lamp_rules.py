"""Evaluating the lamp rules: station signals in, the tower's state out.

For each tier the highest-priority active rule sets the pattern (ties: the
rule listed first); the buzzer follows the highest-priority active rule that
names a tune. See :mod:`andon.config.lamps` for the signals and the defaults.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence

from andon.config.lamps import (
    STANDARD_CALL_TYPES,
    LampConfig,
    LampRule,
    check_rules_fit_tower,
    check_signal,
    default_rules,
)
from hal.errors import DeviceConfigError
from hal.patterns import BuzzerPattern, Pattern, TowerState


class LampRules:
    """A checked, ordered set of rules for one tower."""

    def __init__(self, rules: Sequence[LampRule], colours: Collection[str]) -> None:
        """Every rule's colour must be a tier of the tower (else :class:`DeviceConfigError`)."""
        try:
            check_rules_fit_tower(rules, colours)
        except ValueError as exc:
            raise DeviceConfigError(f"lamps: {exc}") from exc
        self.rules = tuple(rules)
        self.colours = tuple(colours)
        # Highest priority first; sorted() is stable, so ties keep the listed order.
        self._ranked = sorted(self.rules, key=lambda rule: -rule.priority)

    @classmethod
    def defaults(
        cls, colours: Collection[str], call_types: Iterable[str] = STANDARD_CALL_TYPES
    ) -> LampRules:
        """The IEC 60073 defaults, keeping only the rules for tiers the tower has."""
        kept = [
            r for r in default_rules(call_types, colours) if r.colour is None or r.colour in colours
        ]
        return cls(kept, colours)

    @classmethod
    def from_config(
        cls,
        config: LampConfig | None,
        colours: Collection[str],
        call_types: Iterable[str] = STANDARD_CALL_TYPES,
    ) -> LampRules:
        """The configured rules (strictly checked against the tower), or the defaults."""
        if config is None or not config.rules:
            return cls.defaults(colours, call_types)
        return cls(config.rules, colours)

    def evaluate(self, signals: Iterable[str]) -> TowerState:
        """The tower state for the active ``signals``; raises ``ValueError`` for an unknown one."""
        active = frozenset(signals)
        for signal in active:
            check_signal(signal)
        lamps: dict[str, Pattern] = {}
        buzzer: BuzzerPattern | None = None
        for rule in self._ranked:
            if rule.when not in active:
                continue
            if rule.colour is not None and rule.colour not in lamps:
                lamps[rule.colour] = Pattern(rule.pattern)
            if rule.buzzer is not None and buzzer is None:
                buzzer = BuzzerPattern(rule.buzzer)
        return TowerState(lamps=lamps, buzzer=buzzer or BuzzerPattern.OFF)

    def __len__(self) -> int:
        return len(self.rules)
