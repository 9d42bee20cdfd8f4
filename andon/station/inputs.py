"""What each hardware input means to the station: the domain command it runs."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from functools import partial

from andon.domain import commands as cmd
from andon.domain import scanning
from andon.domain.commands import Outcome
from andon.domain.station_state import StationState
from hal import events as hal

DomainCommand = Callable[[StationState, datetime], Outcome]


def command_for(event: hal.HalEvent, button_bins: frozenset[str]) -> DomainCommand | None:
    """The domain command of a hardware event, or None for events that are only shown.

    ``button_bins`` are the parts whose "bin" input is a call-material push button
    (it only ever says "empty": the call closes by kanban scan).
    """
    if isinstance(event, hal.ButtonPressed):
        return partial(cmd.press, call_type=event.call_type)
    if isinstance(event, hal.ButtonLongPressed):
        return partial(cmd.long_press, call_type=event.call_type)
    if isinstance(event, hal.AcknowledgePressed):
        return cmd.acknowledge_button
    if isinstance(event, hal.BinChanged):
        if event.part in button_bins:
            return partial(cmd.material_button, part=event.part) if event.empty else None
        return partial(cmd.bin_changed, part=event.part, empty=event.empty)
    if isinstance(event, hal.CountPulse):
        if event.good:
            return partial(cmd.count, good=event.n, scrap=0)
        return partial(cmd.count, good=0, scrap=event.n)
    if isinstance(event, hal.FaultChanged):
        return partial(cmd.fault, active=event.active)
    if isinstance(event, hal.DownstreamFullChanged):
        return partial(cmd.downstream_sensor, full=event.full)
    if isinstance(event, hal.Scanned):
        return partial(scanning.scanned, scanner=event.scanner, text=event.text)
    if isinstance(event, hal.ScanRejected):
        return partial(scanning.scan_refused, scanner=event.scanner, text="", reason=event.reason)
    return None
