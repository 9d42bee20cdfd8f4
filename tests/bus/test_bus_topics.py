"""The ISA-95 topic tree: building, parsing, validating, and filters that match."""

import pytest
from paho.mqtt.client import topic_matches_sub

from andon.bus import topics
from andon.bus.topics import ConsumerAddress, StationAddress, StationFilter, parse

S1 = StationAddress("andon", "plant1", "assembly", "line2", "st3")
S2 = StationAddress("andon", "plant1", "assembly", "line9", "st1")
S3 = StationAddress("andon", "plant1", "paint", "line1", "st1")


def test_channels_of_a_station():
    assert S1.state() == "andon/plant1/assembly/line2/st3/state"
    assert S1.status() == "andon/plant1/assembly/line2/st3/status"
    assert S1.events() == "andon/plant1/assembly/line2/st3/events"
    assert S1.reply() == "andon/plant1/assembly/line2/st3/reply"
    assert S1.cmd("acknowledge") == "andon/plant1/assembly/line2/st3/cmd/acknowledge"
    assert S1.cmd("+") == "andon/plant1/assembly/line2/st3/cmd/+"
    assert S1.path == "plant1/assembly/line2/st3"


@pytest.mark.parametrize(
    "topic",
    [S1.state(), S1.status(), S1.events(), S1.reply(), S1.cmd("resolve")],
)
def test_parse_reverses_every_channel(topic):
    address, channel = parse(topic, prefix="andon")
    assert address == S1
    assert f"{address.base}/{channel}" == topic


@pytest.mark.parametrize(
    "topic",
    [
        "other/plant1/assembly/line2/st3/state",  # foreign prefix
        "andon/plant1/assembly/line2/state",  # too short
        "andon/plant1/assembly/line2/st3/state/x",  # too deep
        "andon/plant1/assembly/line2/st3/gossip",  # unknown channel
        "andon/plant1/assembly/line2/st3/cmd",  # command without name
        "andon/plant1/_boards/tv1/status",  # a consumer, not a station
        "andon/plant1//line2/st3/state",  # empty level
    ],
)
def test_parse_refuses_foreign_topics(topic):
    with pytest.raises(ValueError, match="topic"):
        parse(topic, prefix="andon")


@pytest.mark.parametrize("bad", ["", "a/b", "a+", "#", "x\0y", "$SYS", "_boards"])
def test_segments_are_validated(bad):
    with pytest.raises(ValueError, match="line"):
        StationAddress("andon", "plant1", "assembly", bad, "st3")


def test_from_path_round_trip():
    assert StationAddress.from_path(S1.path) == S1
    with pytest.raises(ValueError, match="site/area/line/station"):
        StationAddress.from_path("plant1/assembly/line2")


def test_filters_select_a_line_an_area_or_everything():
    line = S1.line_filter().events()
    area = S1.area_filter().events()
    everything = StationFilter("andon").events()
    assert line == "andon/plant1/assembly/line2/+/events"
    assert topic_matches_sub(line, S1.events())
    assert not topic_matches_sub(line, S2.events())
    assert topic_matches_sub(area, S2.events())
    assert not topic_matches_sub(area, S3.events())
    for station in (S1, S2, S3):
        assert topic_matches_sub(everything, station.events())
        assert not topic_matches_sub(everything, station.state())


def test_any_channel_matches_station_channels_but_not_commands_or_consumers():
    pattern = StationFilter("andon", "plant1").any_channel()
    for topic in (S1.state(), S1.status(), S1.events(), S1.reply()):
        assert topic_matches_sub(pattern, topic)
    assert not topic_matches_sub(pattern, S1.cmd("acknowledge"))
    board = ConsumerAddress("andon", "plant1", "board", "tv1")
    assert not topic_matches_sub(pattern, board.status())
    assert topic_matches_sub(StationFilter("andon").cmd(), S3.cmd("cancel"))


def test_consumer_status_topics():
    board = ConsumerAddress("andon", "plant1", "board", "tv1")
    assert board.status() == "andon/plant1/_boards/tv1/status"
    every_board = ConsumerAddress.status_filter("andon", kind="board")
    assert topic_matches_sub(every_board, board.status())
    notifier = ConsumerAddress("andon", "plant1", "notifier", "mail")
    assert not topic_matches_sub(every_board, notifier.status())
    assert topic_matches_sub(ConsumerAddress.status_filter("andon"), notifier.status())
    with pytest.raises(ValueError, match="kind"):
        ConsumerAddress("andon", "plant1", "printer", "p1")  # type: ignore[arg-type]


def test_channel_policies():
    assert topics.policy("state") == topics.ChannelPolicy(qos=1, retain=True)
    assert topics.policy("status").retain
    assert not topics.policy("events").retain
    assert topics.policy("cmd/acknowledge") == topics.ChannelPolicy(qos=1, retain=False)
    with pytest.raises(ValueError, match="unknown channel"):
        topics.policy("gossip")


@pytest.mark.parametrize(
    ("pattern", "topic"),
    [
        ("andon/#", "andon/s/a/l/st/events"),
        ("andon/+/a/+/st/events", "andon/s/a/l/st/events"),
        ("andon/s/a/l/+/+", "andon/s/a/l/st/state"),
        ("andon/s/a/l/st/cmd/+", "andon/s/a/l/st/cmd/replay"),
        ("andon/s/a/l/st/cmd/+", "andon/s/a/l/st/cmd"),
        ("andon/s/#", "andon/s"),
        ("#", "$SYS/broker/uptime"),
        ("+/broker", "$SYS/broker"),
        ("$SYS/#", "$SYS/broker"),
        ("a/b", "a/b/c"),
        ("a/+/c", "a//c"),
        ("+", "a"),
        ("+", "a/b"),
    ],
)
def test_filter_matching_agrees_with_paho(pattern, topic):
    import paho.mqtt.client as mqtt

    from andon.bus.routing import filter_matches

    expected = mqtt.topic_matches_sub(pattern, topic)
    assert filter_matches(pattern.split("/"), topic.split("/")) is expected
