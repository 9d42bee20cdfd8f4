"""What the station does with an input or a command: the events to record, or a refusal.

Every function takes the current state and the instant, and returns an
:class:`Outcome`. Nothing here changes state: the station journals the
events and folds them with :func:`andon.domain.state.apply`.
"""

from __future__ import annotations

from datetime import datetime

from andon.domain import events as ev
from andon.domain import refusals as r
from andon.domain.calls import (
    BIN_SENSOR,
    MAX_NOTES,
    NOTE_LENGTH,
    STATION_BUTTON,
    STATION_ITSELF,
    Call,
    CallStatus,
)
from andon.domain.outcome import Outcome, new_call_id, new_stop_id, refuse
from andon.domain.state import roll_shift
from andon.domain.station_queries import caused_stops
from andon.domain.station_queries import ended_shift as ended_shift
from andon.domain.station_queries import hours_of as hours_of
from andon.domain.station_queries import stops_needing_reason as stops_needing_reason
from andon.domain.station_queries import unexplained_hours as unexplained_hours
from andon.domain.station_state import CHANGEOVER, StationState

MATERIAL = "material"
EQUIPMENT = "equipment"


# --- calls --------------------------------------------------------------------


def raise_call(
    state: StationState,
    now: datetime,
    call_type: str,
    source: str,
    by: str = "",
    part: str = "",
    express: bool = False,
) -> Outcome:
    """Raise a call; one open call per type (and part) per station."""
    if call_type not in state.rules.call_types:
        return refuse(r.UNKNOWN_CALL_TYPE, call_type=repr(call_type))
    if call_type == MATERIAL and part not in state.rules.parts:
        return refuse(r.UNKNOWN_PART, part=repr(part))
    existing = state.open_call(call_type, part)
    if existing is not None:
        return refuse(r.ALREADY_OPEN, call_type=call_type, call_id=existing.call_id)
    raised = ev.CallRaised(
        at=now,
        call_id=new_call_id(state),
        call_type=call_type,
        source=source,
        by=by,
        part=part,
        express=express,
    )
    return Outcome(events=(raised,))


def _find_open(state: StationState, call_id: str) -> Call | str:
    call = state.calls.get(call_id)
    if call is None:
        return r.sentence(r.NO_SUCH_CALL, call_id=repr(call_id))
    if not call.is_open:
        return r.sentence(r.CALL_ALREADY, call_id=call_id, status=call.status.value)
    return call


def acknowledge(state: StationState, now: datetime, call_id: str, by: str, source: str) -> Outcome:
    """Someone takes a call."""
    found = _find_open(state, call_id)
    if isinstance(found, str):
        return refuse(found)
    if found.status is CallStatus.ACKNOWLEDGED:
        return refuse(r.ALREADY_ACKNOWLEDGED, call_id=call_id, by=found.acknowledged_by)
    if not by:
        return refuse(r.WHO_ACKNOWLEDGES)
    return Outcome(events=(ev.CallAcknowledged(at=now, call_id=call_id, by=by, source=source),))


def add_note(
    state: StationState, now: datetime, call_id: str, by: str, source: str, text: str
) -> Outcome:
    """Someone writes a note on an open call; it changes neither its status nor its timers."""
    found = _find_open(state, call_id)
    if isinstance(found, str):
        return refuse(found)
    if not by:
        return refuse(r.WHO_NOTES)
    text = text.strip()
    if not text:
        return refuse(r.EMPTY_NOTE)
    if len(text) > NOTE_LENGTH:
        return refuse(r.NOTE_TOO_LONG, limit=NOTE_LENGTH)
    if len(found.notes) >= MAX_NOTES:
        return refuse(r.TOO_MANY_NOTES, call_id=call_id, count=len(found.notes))
    noted = ev.CallNoted(at=now, call_id=call_id, by=by, source=source, text=text)
    return Outcome(events=(noted,))


def call_working_s(state: StationState, call: Call, now: datetime) -> float:
    """The planned working time a call has lasted (until it closed, if it did).

    Planned stops and time outside shifts do not count: a call raised just before
    a break and resolved during it lasted only the minutes before the break.
    """
    end = call.closed_at or now
    if end <= call.raised_at:
        return 0.0
    return state.rules.calendar.working_seconds(call.raised_at, end)


def reason_required(state: StationState, call: Call, now: datetime) -> bool:
    """A call that lasted past its type's threshold (in planned working time) needs a reason."""
    rule = state.rules.call_rule(call.call_type)
    return call_working_s(state, call, now) > rule.requires_reason_after_s


def resolve(
    state: StationState,
    now: datetime,
    call_id: str,
    by: str,
    source: str,
    reason: str = "",
    note: str = "",
) -> Outcome:
    """Close a call as solved, with a reason when it lasted long."""
    found = _find_open(state, call_id)
    if isinstance(found, str):
        return refuse(found)
    if not by:
        return refuse(r.WHO_RESOLVES)
    if reason and reason not in state.rules.reasons:
        return refuse(r.UNKNOWN_REASON, reason=repr(reason))
    if not reason and reason_required(state, found, now):
        return refuse(
            r.REASON_NEEDED,
            call_id=call_id,
            minutes=f"{call_working_s(state, found, now) / 60:.1f}",
        )
    resolved = ev.CallResolved(
        at=now, call_id=call_id, by=by, source=source, reason=reason, note=note
    )
    explained = tuple(
        ev.StopReasonRecorded(at=now, stop_id=stop.stop_id, reason=reason, by=by, note=note)
        for stop in caused_stops(state, found)
        if reason and not stop.reason
    )
    return Outcome(events=(resolved, *explained))


def cancel(state: StationState, now: datetime, call_id: str, by: str, source: str) -> Outcome:
    """Withdraw a call raised by mistake."""
    found = _find_open(state, call_id)
    if isinstance(found, str):
        return refuse(found)
    return Outcome(events=(ev.CallCancelled(at=now, call_id=call_id, by=by, source=source),))


def press(state: StationState, now: datetime, call_type: str) -> Outcome:
    """An andon button pressed at the station."""
    return raise_call(state, now, call_type, source="button")


def long_press(state: StationState, now: datetime, call_type: str) -> Outcome:
    """An andon button held: cancel that button's open call."""
    call = state.open_call(call_type)
    if call is None:
        return refuse(r.NOTHING_TO_CANCEL, call_type=call_type)
    return cancel(state, now, call.call_id, by=STATION_ITSELF, source="button")


def acknowledge_button(state: StationState, now: datetime) -> Outcome:
    """The station's acknowledge button: takes the oldest call not yet acknowledged."""
    waiting = [c for c in state.open_calls if c.status is CallStatus.RAISED]
    if not waiting:
        return refuse(r.NOTHING_TO_ACKNOWLEDGE)
    return acknowledge(state, now, waiting[0].call_id, by=STATION_BUTTON, source="button")


# --- machine inputs -------------------------------------------------------------


def fault(state: StationState, now: datetime, active: bool) -> Outcome:
    """The machine's stop signal (jidoka): a fault raises an equipment call by itself."""
    if active == state.fault:
        return Outcome()
    events: list[ev.Event] = [ev.FaultChanged(at=now, active=active)]
    if active:
        if EQUIPMENT in state.rules.call_types and state.open_call(EQUIPMENT) is None:
            events += raise_call(state, now, EQUIPMENT, source="fault", by="machine").events
        events.append(ev.StopStarted(at=now, stop_id=new_stop_id(state), source="fault", since=now))
    elif (stop := state.open_stop("fault")) is not None:
        events.append(ev.StopEnded(at=now, stop_id=stop.stop_id))
    return Outcome(events=tuple(events))


def bin_changed(state: StationState, now: datetime, part: str, empty: bool) -> Outcome:
    """A bin sensor settled: empty raises a material call, full again closes it."""
    if part not in state.rules.parts:
        return refuse(r.UNKNOWN_PART, part=repr(part))
    if empty == (part in state.bins_empty):
        return Outcome()
    events: list[ev.Event] = [ev.BinChanged(at=now, part=part, empty=empty)]
    call = state.open_call(MATERIAL, part)
    if empty and call is None and MATERIAL in state.rules.call_types:
        events += raise_call(state, now, MATERIAL, source="bin", by=BIN_SENSOR, part=part).events
    elif not empty and call is not None:
        events.append(ev.CallResolved(at=now, call_id=call.call_id, by=BIN_SENSOR, source="bin"))
    return Outcome(events=tuple(events))


def material_button(state: StationState, now: datetime, part: str) -> Outcome:
    """A "call material" button beside the line."""
    return raise_call(state, now, MATERIAL, source="button", part=part)


def kanban_scanned(
    state: StationState, now: datetime, part: str, card: str, by: str, express: bool = False
) -> Outcome:
    """The material handler scanned the supplier kanban of the delivered box: closes the call."""
    if part not in state.rules.parts:
        return refuse(r.NOT_A_LINE_PART, part=repr(part))
    call = state.open_call(MATERIAL, part)
    if call is None:
        return refuse(r.NO_MATERIAL_CALL, part=part)
    resolved = ev.CallResolved(
        at=now,
        call_id=call.call_id,
        by=by or "store",
        source="kanban",
        note=f"kanban {card}" + (" (express)" if express else ""),
    )
    return Outcome(events=(resolved,))


def downstream(state: StationState, now: datetime, quantity: int) -> Outcome:
    """The downstream buffer's level (a sensor, or a count published by another station)."""
    standard = state.rules.downstream_standard_quantity
    full = standard is not None and quantity >= standard
    if quantity == state.downstream_quantity and full == state.downstream_full:
        return Outcome()
    return Outcome(events=(ev.DownstreamChanged(at=now, quantity=quantity, full=full),))


def downstream_sensor(state: StationState, now: datetime, full: bool) -> Outcome:
    """A full-work sensor: full means the downstream buffer holds its standard quantity."""
    standard = state.rules.downstream_standard_quantity or 1
    return downstream(state, now, standard if full else 0)


# --- counting -------------------------------------------------------------------


def count(
    state: StationState, now: datetime, good: int = 1, scrap: int = 0, serial: str = ""
) -> Outcome:
    """Units finished; a serial scanned twice is refused; a count ends a no-count stop."""
    if good < 0 or scrap < 0 or good + scrap == 0:
        return refuse(r.EMPTY_COUNT)
    if serial and serial in state.serials:
        rejected = ev.CountRejected(at=now, serial=serial, reason="serial already counted")
        return Outcome(events=(rejected,), rejection=f"serial {serial} was already counted")
    events: list[ev.Event] = []
    stop = state.open_stop("no_count")
    if stop is not None:
        events.append(ev.StopEnded(at=now, stop_id=stop.stop_id))
    events.append(ev.Counted(at=now, good=good, scrap=scrap, serial=serial))
    return Outcome(events=tuple(events))


# --- orders and changeovers ----------------------------------------------------


def changeover(state: StationState, now: datetime, by: str, product: str = "") -> Outcome:
    """Start a changeover (SMED): a stop of source ``changeover`` until the next order starts.

    Its reason is recorded like any stop's (``record_stop_reason``, e.g. a changeover
    code), its duration is the stop's. ``product``, when given, must be one of the
    plan's products. A no-count stop still open ends here: the changeover explains the
    time from now on. Good units counted during the changeover go to the order it
    leads to (the one ``start_order`` starts).
    """
    if not by:
        return refuse(r.WHO_CHANGES_OVER)
    running = state.open_stop(CHANGEOVER)
    if running is not None:
        return refuse(r.CHANGEOVER_RUNNING, stop_id=running.stop_id)
    products = {order.product for order in state.rules.orders}
    if product and products and product not in products:
        return refuse(
            r.UNKNOWN_PRODUCT, product=repr(product), products=", ".join(sorted(products))
        )
    events: list[ev.Event] = []
    idle = state.open_stop("no_count")
    if idle is not None:
        events.append(ev.StopEnded(at=now, stop_id=idle.stop_id))
    events.append(
        ev.StopStarted(
            at=now,
            stop_id=new_stop_id(state),
            source=CHANGEOVER,
            since=now,
            by=by,
            note=f"changeover to {product}" if product else "changeover",
        )
    )
    return Outcome(events=tuple(events))


def start_order(state: StationState, now: datetime, index: int, by: str) -> Outcome:
    """Start order ``index`` of the plan's sequence; ends the running changeover, if any.

    ``OrderStarted`` comes before the changeover's ``StopEnded``, so the fold hands the
    units counted during the changeover to this order. Starting an order without a
    changeover is allowed (a product change that needs no setup).
    """
    orders = state.rules.orders
    if not orders:
        return refuse(r.NO_ORDERS)
    if not 0 <= index < len(orders):
        return refuse(r.NO_SUCH_ORDER, index=index, last=len(orders) - 1)
    if not by:
        return refuse(r.WHO_STARTS_ORDER)
    state = roll_shift(state, now)
    running = state.open_stop(CHANGEOVER)
    if running is None and index == state.order_index:
        return refuse(r.ORDER_RUNNING, index=index, product=orders[index].product)
    events: list[ev.Event] = [
        ev.OrderStarted(at=now, index=index, product=orders[index].product, by=by)
    ]
    if running is not None:
        events.append(ev.StopEnded(at=now, stop_id=running.stop_id))
    return Outcome(events=tuple(events))


# --- causes and reasons ---------------------------------------------------------


def record_hour_cause(
    state: StationState, now: datetime, hour_start: datetime, reason: str, by: str, note: str = ""
) -> Outcome:
    """The influencing factor of one completed hour of the performance table."""
    if reason not in state.rules.reasons:
        return refuse(r.UNKNOWN_REASON, reason=repr(reason))
    if not by:
        return refuse(r.WHO_RECORDS_CAUSE)
    state = roll_shift(state, now)
    window = state.rules.calendar.shift_at(now)
    if window is None:
        window = ended_shift(state, now)
        if window is None:
            return refuse(r.SHIFT_GONE)
    if state.shift_start is None:
        return refuse(r.NO_SHIFT)
    rows = hours_of(state, window, now)
    row = next((r for r in rows if r.start == hour_start), None)
    if row is None:
        return refuse(r.NO_SUCH_HOUR, hour=ev.format_instant(hour_start))
    if not row.complete:
        return refuse(r.HOUR_NOT_OVER)
    recorded = ev.HourCauseRecorded(at=now, hour_start=hour_start, reason=reason, by=by, note=note)
    return Outcome(events=(recorded,))


def record_stop_reason(
    state: StationState, now: datetime, stop_id: str, reason: str, by: str, note: str = ""
) -> Outcome:
    """The reason of a stop period."""
    if reason not in state.rules.reasons:
        return refuse(r.UNKNOWN_REASON, reason=repr(reason))
    if not any(s.stop_id == stop_id for s in state.stops):
        return refuse(r.NO_SUCH_STOP, stop_id=repr(stop_id))
    return Outcome(
        events=(ev.StopReasonRecorded(at=now, stop_id=stop_id, reason=reason, by=by, note=note),)
    )
