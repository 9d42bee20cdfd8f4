"""Which calls a board shows first, and what the operator is told to do next."""

from __future__ import annotations

from dataclasses import replace

from andon.board.guidance import next_step
from andon.board.ordering import calls_for_board, material_queue
from andon.board.station_data import CallData, HourData, StationSnapshot
from andon.board.views import CallView, Link, StationView
from andon.i18n import translator
from tests.board import factory as f
from tests.board.scenario import catalogue


def view(call_id: str, call_type: str, level: int, raised_s: float, **over: object) -> CallView:
    call = CallData(
        call_id, call_type, str(over.pop("status", "raised")), f.at(raised_s), level=level, **over
    )  # type: ignore[arg-type]
    return CallView(call, "line-a", "a1", f.path("line-a", "a1"), 100.0)


CALLS = [
    view("help-old", "help", 1, 0),
    view("help-escalated", "help", 2, 50),
    view("equipment-new", "equipment", 1, 100),
    view("equipment-old", "equipment", 1, 10),
    view("material", "material", 1, 5),
    view("quality-escalated", "quality", 2, 60),
]


def test_supervisor_sees_every_call_escalated_first_then_oldest() -> None:
    ordered = calls_for_board(CALLS, catalogue("board.toml"))
    assert [c.call_id for c in ordered] == [
        "help-escalated",
        "quality-escalated",
        "help-old",
        "material",
        "equipment-old",
        "equipment-new",
    ]


def test_maintenance_sees_equipment_calls_first_and_only_its_own_unless_asked() -> None:
    maintenance = catalogue("maintenance.toml")
    assert [c.call_id for c in calls_for_board(CALLS, maintenance)] == [
        "equipment-old",
        "equipment-new",
    ]
    everything = calls_for_board(CALLS, maintenance, show_all=True)
    assert [c.call_id for c in everything][:2] == ["equipment-old", "equipment-new"]
    assert len(everything) == len(CALLS)


def test_store_queue_is_material_calls_oldest_first() -> None:
    calls = [*CALLS, view("material-2", "material", 1, 1, express=True)]
    assert [c.call_id for c in material_queue(calls)] == ["material-2", "material"]


def station(snapshot: StationSnapshot | None, link: Link = Link.OK) -> StationView:
    return StationView(f.path(), "line-a", "a3", link, 1.0, snapshot=snapshot)


def snap(**over: object) -> StationSnapshot:
    base = StationSnapshot(
        f.path(),
        "line-a",
        "a3",
        f.at(0),
        1,
        counts=True,
        takt_s=160.0,
        in_shift=True,
        pace="normal",
    )
    return replace(base, **over)  # type: ignore[arg-type]


def test_next_step_tells_the_operator_what_to_do() -> None:
    cat = catalogue("station-screen.toml")
    help_call = CallData("c1", "help", "raised", f.at(0), level=1)
    taken = replace(help_call, status="acknowledged", acknowledged_by="Anna Becker")
    hour = HourData(f.at(-3600), f.at(0), 22.5, 10, -12.5, -0.55, True, True)
    cases = [
        (station(snap(), Link.OFFLINE), "cannot reach this station"),
        (station(None), "Waiting for the station's data"),
        (station(snap(open_calls=(help_call,))), "Team leader is coming"),
        (
            station(snap(open_calls=(replace(taken, reason_required=True),))),
            "Scan the reason card to close",
        ),
        (station(snap(open_calls=(taken,))), "then scan the reason card"),
        (station(snap(hours=(hour,))), "reason card for the hour from 09:00"),
        (station(snap(blocked=True)), "Downstream is full"),
        (station(snap(pace="too_slow", good=18, planned=25.1)), "Behind plan by 7.1"),
        (station(snap(pace="too_fast")), "do not overproduce"),
        (station(snap()), "one unit every 160 s"),
        (station(snap(in_shift=False)), "No shift now"),
    ]
    for view_, expected in cases:
        assert expected in next_step(view_, cat, translator()), expected
