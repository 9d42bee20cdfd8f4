"""From a station's configuration to the rules of the pure core."""

from __future__ import annotations

from andon.config.station import StationFile
from andon.domain.orders import Order
from andon.domain.pace import PaceRule
from andon.domain.rules import (
    CallTypeRule,
    EscalateWhile,
    EscalationStep,
    ReasonCode,
    StationRules,
    StopPolicy,
)


def station_rules(config: StationFile) -> StationRules:
    """The :class:`StationRules` of a loaded station file (with its plant)."""
    plant = config.plant_config
    line = config.line_config
    calendar = plant.domain_calendar()
    takt = line.takt_s(calendar)
    pace = plant.pace_for(line.id)
    minor_stop_s = plant.downtime.minor_stop_s
    call_types = {
        name: CallTypeRule(
            name=name,
            stops_line=spec.stops_line,
            requires_reason_after_s=(
                spec.requires_reason_after_s
                if spec.requires_reason_after_s is not None
                else minor_stop_s
            ),
            escalation=tuple(
                EscalationStep(
                    level=rung.level,
                    after_s=rung.after_s,
                    condition=EscalateWhile(rung.while_),
                    roles=tuple(rung.roles),
                )
                for rung in spec.escalation
            ),
        )
        for name, spec in plant.call_types.items()
    }
    return StationRules(
        station=config.id,
        line=line.id,
        calendar=calendar,
        takt_s=takt,
        ideal_cycle_s=line.ideal_cycle_seconds(calendar),
        counts=config.counts,
        pace=PaceRule(
            band=pace.band,
            min_elapsed_s=pace.min_elapsed_s,
            hysteresis=pace.hysteresis,
            tolerance_units=pace.tolerance_units,
            hysteresis_units=pace.hysteresis_units,
        ),
        stop_policy=StopPolicy(line.stop_policy),
        minor_stop_s=minor_stop_s,
        no_count_takts=plant.downtime.no_count_takts,
        hour_cause_grace_s=plant.downtime.hour_cause_grace_s,
        call_types=call_types,
        reasons={
            r.code: ReasonCode(code=r.code, label=r.label, planned=r.planned, category=r.category)
            for r in plant.reasons
        },
        people={p.badge: p.name for p in plant.people},
        parts=frozenset(p.number for p in plant.parts),
        orders=tuple(
            Order(product=o.product, quantity=o.quantity, takt_s=o.takt_s) for o in line.orders
        ),
        downstream_standard_quantity=line.downstream_standard_quantity,
    )
