"""The declarative lamp rules: validation, the IEC 60073 defaults, evaluation."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from andon.config.lamps import LampConfig, LampRule, check_signal, default_rules
from hal.errors import DeviceConfigError
from hal.lamp_rules import LampRules
from hal.patterns import BuzzerPattern, Pattern, TowerState

FIVE = ("red", "yellow", "green", "blue", "white")
THREE = ("red", "yellow", "green")


@pytest.fixture
def defaults() -> LampRules:
    return LampRules.defaults(FIVE)


# --- validation -----------------------------------------------------------------


@pytest.mark.parametrize(
    "signal",
    ["line_stopped", "offline", "call.help", "call.material.acknowledged", "call.paint-shop"],
)
def test_known_signals(signal: str) -> None:
    assert check_signal(signal) == signal


@pytest.mark.parametrize("signal", ["runing", "call.", "call.Help", "call.help.done", "stopped"])
def test_unknown_signals_are_refused(signal: str) -> None:
    with pytest.raises(ValueError, match="unknown signal"):
        check_signal(signal)


def test_a_misspelt_signal_gets_a_hint() -> None:
    with pytest.raises(ValidationError, match="did you mean 'running'"):
        LampConfig.model_validate({"rules": [{"when": "runing", "colour": "green", "priority": 1}]})


def test_an_unknown_colour_or_pattern_is_refused() -> None:
    with pytest.raises(ValidationError) as caught:
        LampConfig.model_validate(
            {
                "rules": [
                    {"when": "running", "colour": "purple", "priority": 1},
                    {"when": "idle", "colour": "green", "pattern": "blink", "priority": 1},
                ]
            }
        )
    locations = [error["loc"] for error in caught.value.errors()]
    assert ("rules", 0, "colour") in locations
    assert ("rules", 1, "pattern") in locations


def test_a_rule_must_light_or_sound_something() -> None:
    with pytest.raises(ValidationError, match="colour, a buzzer tune, or both"):
        LampRule(when="running", priority=1)
    assert LampRule(when="call.help", buzzer="chirp", priority=5).colour is None


def test_unknown_keys_and_priority_bounds_are_refused() -> None:
    with pytest.raises(ValidationError):
        LampRule.model_validate({"when": "running", "colour": "green", "priority": 1, "tier": 2})
    with pytest.raises(ValidationError):
        LampRule(when="running", colour="green", priority=-1)


def test_a_colour_not_on_the_tower_names_the_rule() -> None:
    rules = [
        LampRule(when="running", colour="green", priority=1),
        LampRule(when="call.material", colour="blue", priority=2),
    ]
    with pytest.raises(DeviceConfigError, match=r"rules\[1\].colour: 'blue' is not on the tower"):
        LampRules(rules, THREE)


# --- defaults -------------------------------------------------------------------


def test_running_is_steady_green(defaults) -> None:
    assert defaults.evaluate({"running"}) == TowerState(lamps={"green": Pattern.ON})


def test_nothing_lights_outside_a_shift(defaults) -> None:
    assert defaults.evaluate({"no_shift"}) == TowerState()
    assert defaults.evaluate(set()) == TowerState()


def test_an_open_help_call_flashes_yellow_and_chirps(defaults) -> None:
    state = defaults.evaluate({"running", "call.help"})
    assert state.pattern("yellow") is Pattern.FAST
    assert state.pattern("green") is Pattern.ON
    assert state.buzzer is BuzzerPattern.CHIRP


def test_acknowledging_makes_the_call_steady_and_silent(defaults) -> None:
    state = defaults.evaluate({"running", "call.help.acknowledged"})
    assert state == TowerState(lamps={"yellow": Pattern.ON, "green": Pattern.ON})


def test_an_equipment_call_outranks_a_help_call_for_the_buzzer(defaults) -> None:
    state = defaults.evaluate({"call.help", "call.equipment"})
    assert state.buzzer is BuzzerPattern.RAPID
    assert defaults.evaluate({"call.quality"}).buzzer is BuzzerPattern.PULSE


def test_an_unacknowledged_call_outranks_an_acknowledged_one(defaults) -> None:
    state = defaults.evaluate({"call.equipment.acknowledged", "call.help"})
    assert state.pattern("yellow") is Pattern.FAST


def test_line_stopped_and_fault_are_red(defaults) -> None:
    assert defaults.evaluate({"line_stopped"}).pattern("red") is Pattern.FAST
    assert defaults.evaluate({"fault"}).pattern("red") is Pattern.SLOW
    assert defaults.evaluate({"fault", "line_stopped"}).pattern("red") is Pattern.FAST


def test_too_fast_and_too_slow_look_different_even_on_three_tiers() -> None:
    three = LampRules.defaults(THREE)
    slow = three.evaluate({"running", "too_slow"})
    fast = three.evaluate({"running", "too_fast"})
    assert slow == TowerState(lamps={"yellow": Pattern.SLOW, "green": Pattern.ON})
    assert fast == TowerState(lamps={"yellow": Pattern.SLOW, "green": Pattern.FAST})


def test_a_call_outranks_the_pace_on_yellow(defaults) -> None:
    assert defaults.evaluate({"too_slow", "call.quality"}).pattern("yellow") is Pattern.FAST


def test_material_calls_are_blue_and_information_is_white(defaults) -> None:
    assert defaults.evaluate({"call.material"}) == TowerState(lamps={"blue": Pattern.SLOW})
    assert defaults.evaluate({"call.material.acknowledged"}).pattern("blue") is Pattern.ON
    assert defaults.evaluate({"blocked"}).pattern("white") is Pattern.ON
    assert defaults.evaluate({"offline"}).pattern("white") is Pattern.SLOW


def test_defaults_drop_rules_for_missing_tiers() -> None:
    three = LampRules.defaults(THREE)
    assert {rule.colour for rule in three.rules} <= set(THREE) | {None}
    assert three.evaluate({"call.material", "blocked"}) == TowerState()


def test_defaults_cover_every_configured_call_type() -> None:
    rules = LampRules.defaults(FIVE, call_types=["help", "safety"])
    state = rules.evaluate({"call.safety"})
    assert state == TowerState(lamps={"yellow": Pattern.FAST}, buzzer=BuzzerPattern.PULSE)
    whens = {rule.when for rule in default_rules(["safety", "material"])}
    assert "call.safety.acknowledged" in whens
    assert "call.material" in whens and not any(w.startswith("call.quality") for w in whens)


def test_evaluating_an_unknown_signal_is_an_error(defaults) -> None:
    with pytest.raises(ValueError, match="unknown signal 'runing'"):
        defaults.evaluate({"runing"})


# --- configured rules ---------------------------------------------------------


def test_configured_rules_replace_the_defaults() -> None:
    config = LampConfig.model_validate(
        {
            "rules": [
                {"when": "too_fast", "colour": "blue", "pattern": "fast", "priority": 40},
                {"when": "running", "colour": "green", "priority": 10},
                {"when": "call.help", "buzzer": "continuous", "priority": 90},
            ]
        }
    )
    rules = LampRules.from_config(config, FIVE)
    assert len(rules) == 3
    assert rules.evaluate({"running", "too_fast", "call.help"}) == TowerState(
        lamps={"blue": Pattern.FAST, "green": Pattern.ON}, buzzer=BuzzerPattern.CONTINUOUS
    )
    assert LampRules.from_config(LampConfig(), FIVE).rules == LampRules.defaults(FIVE).rules
    assert LampRules.from_config(None, THREE).rules == LampRules.defaults(THREE).rules


def test_the_highest_priority_wins_a_tier_and_ties_go_to_the_first_listed() -> None:
    rules = LampRules(
        [
            LampRule(when="idle", colour="green", pattern="slow", priority=5),
            LampRule(when="running", colour="green", pattern="on", priority=5),
            LampRule(when="blocked", colour="green", pattern="fast", priority=9),
        ],
        THREE,
    )
    assert rules.evaluate({"idle", "running"}).pattern("green") is Pattern.SLOW
    assert rules.evaluate({"running", "idle"}).pattern("green") is Pattern.SLOW
    assert rules.evaluate({"running", "blocked"}).pattern("green") is Pattern.FAST


def test_a_higher_rule_can_force_a_tier_off() -> None:
    rules = LampRules(
        [
            LampRule(when="running", colour="green", priority=5),
            LampRule(when="line_stopped", colour="green", pattern="off", priority=50),
        ],
        THREE,
    )
    assert rules.evaluate({"running", "line_stopped"}).pattern("green") is Pattern.OFF


def test_the_buzzer_follows_the_highest_rule_that_names_a_tune() -> None:
    rules = LampRules(
        [
            LampRule(when="line_stopped", colour="red", priority=100),
            LampRule(when="call.help", colour="yellow", buzzer="chirp", priority=80),
            LampRule(when="call.quality", colour="yellow", buzzer="pulse", priority=85),
        ],
        THREE,
    )
    assert rules.evaluate({"line_stopped", "call.help"}).buzzer is BuzzerPattern.CHIRP
    assert rules.evaluate({"call.help", "call.quality"}).buzzer is BuzzerPattern.PULSE
