"""What a client subscribes again when it is back in its persistent session."""

from paho.mqtt.packettypes import PacketTypes
from paho.mqtt.reasoncodes import ReasonCode

from andon.bus.session_subs import SessionSubscriptions

GRANTED = ReasonCode(PacketTypes.SUBACK, identifier=1)
REFUSED = ReasonCode(PacketTypes.SUBACK, identifier=0x80)
SUBS = [("a/+/state", 1), ("a/+/events", 1)]


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_only_what_the_broker_acknowledged_long_enough_ago_is_left_out() -> None:
    clock = Clock()
    session = SessionSubscriptions(saved_s=120, clock=clock)
    assert session.to_send(SUBS, session_present=False) == SUBS
    session.acked(7, [GRANTED, REFUSED])  # the SUBACK overtook the message id
    session.sent(7, SUBS)
    clock.now += 60
    session.lost()
    assert session.to_send(SUBS, session_present=True) == SUBS  # 60 s: maybe not saved
    session.sent(8, SUBS)
    session.acked(8, [GRANTED, REFUSED])
    clock.now += 200
    session.lost()
    assert session.to_send(SUBS, session_present=True) == [("a/+/events", 1)]  # refused
    assert session.to_send([*SUBS, ("a/+/cmd", 1)], session_present=True) == [
        ("a/+/events", 1),
        ("a/+/cmd", 1),
    ]
    assert session.kept == 2


def test_a_higher_qos_an_unsubscribe_or_a_lost_session_sends_again() -> None:
    clock = Clock()
    session = SessionSubscriptions(saved_s=0, clock=clock)
    session.to_send(SUBS, session_present=False)
    session.sent(1, SUBS)
    session.acked(1, [GRANTED, GRANTED])
    session.lost()
    assert session.to_send([("a/+/state", 2), ("a/+/events", 1)], session_present=True) == [
        ("a/+/state", 2)
    ]
    session.dropped("a/+/events")
    assert session.to_send(SUBS, session_present=True) == [("a/+/events", 1)]
    assert session.to_send(SUBS, session_present=False) == SUBS
    assert session.to_send(SUBS, session_present=True) == SUBS  # nothing held any more


def test_the_acknowledgements_of_a_lost_connection_are_forgotten() -> None:
    session = SessionSubscriptions(saved_s=0, clock=Clock())
    session.to_send(SUBS, session_present=False)
    session.sent(3, SUBS)
    session.lost()
    assert session.to_send(SUBS, session_present=True) == SUBS  # never acknowledged
    session.acked(3, [GRANTED, GRANTED])  # a late one under a reused id: not ours
    assert session.to_send(SUBS, session_present=True) == SUBS
