"""The outbox: journal rows to a real broker, in order, acknowledged in one transaction."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from andon.bus.client import BusClient
from andon.journal.store import Journal, NewEvent
from andon.station.outbox import Outbox
from tests.support.stations import wait_for

AT = "2026-11-25T07:00:00Z"
TOPIC = "andon/test/events"


class CountingJournal(Journal):
    """A real journal that counts the acknowledgement transactions and the outbox's reads."""

    ack_transactions = 0
    reads = 0

    def mark_published_many(self, seqs):
        self.ack_transactions += 1
        super().mark_published_many(seqs)

    def unpublished(self, limit=None):
        self.reads += 1
        return super().unpublished(limit)


@contextmanager
def journal_and_bus(
    broker, tmp_path: Path, **settings: object
) -> Iterator[tuple[CountingJournal, BusClient]]:
    """A journal and a connected bus client for the outbox; both closed afterwards."""
    journal = CountingJournal(tmp_path / "journal.sqlite", owner="p/a/l/s")
    bus = BusClient(broker.settings(client_id="outbox", **settings))
    bus.start()
    try:
        wait_for(lambda: bus.connected)
        yield journal, bus
    finally:
        bus.close()
        journal.close()


def _pump_until_published(outbox: Outbox, journal: Journal, last: int) -> None:
    def done() -> bool:
        outbox.pump()
        return journal.published_through() == last

    wait_for(done)


def test_rows_go_out_in_order_and_their_acknowledgements_are_recorded_together(
    mosquitto, collector_factory, tmp_path
):
    collector = collector_factory(mosquitto.settings(client_id="watcher"), TOPIC)
    with journal_and_bus(mosquitto, tmp_path) as (journal, bus):
        journal.append_many(NewEvent("count", {"n": n}, AT) for n in range(1, 6))
        outbox = Outbox(journal, bus, TOPIC, "p/a/l/s")

        assert outbox.pump() == 5
        # Acknowledgements arrive on the network thread; a pump records those waiting.
        recorded = journal.published_through()
        wait_for(lambda: outbox.acks_waiting == 5 - recorded)
        assert journal.published_through() == recorded  # not before the next pump
        assert outbox.in_flight == 5 - recorded

        assert outbox.pump() == 0  # nothing new, nothing sent twice

        assert journal.published_through() == 5 and outbox.in_flight == 0
        assert journal.ack_transactions <= 2 and outbox.published == 5  # not one per row
        received = wait_for(
            lambda: len(collector.json("/events")) == 5 and collector.json("/events")
        )
        assert [m["seq"] for m in received] == [1, 2, 3, 4, 5]


def test_rows_acknowledged_but_not_yet_recorded_are_not_sent_again_after_a_reconnect(
    mosquitto, tmp_path
):
    with journal_and_bus(mosquitto, tmp_path) as (journal, bus):
        journal.append_many(NewEvent("count", {"n": n}, AT) for n in range(1, 4))
        outbox = Outbox(journal, bus, TOPIC, "p/a/l/s")
        assert outbox.pump() == 3
        recorded = journal.published_through()
        wait_for(lambda: outbox.acks_waiting == 3 - recorded)

        outbox.reset()  # the connection came back before the pump recorded them

        assert outbox.pump() == 0
        assert journal.published_through() == 3 and outbox.in_flight == 0


def test_once_caught_up_rows_just_journaled_are_sent_from_memory(
    mosquitto, collector_factory, tmp_path
):
    collector = collector_factory(mosquitto.settings(client_id="watcher"), TOPIC)
    with journal_and_bus(mosquitto, tmp_path) as (journal, bus):
        journal.append_many(NewEvent("count", {"n": n}, AT) for n in range(1, 3))
        outbox = Outbox(journal, bus, TOPIC, "p/a/l/s")
        assert outbox.pump() == 2 and journal.reads == 1  # caught up with the journal
        for n in range(3, 6):
            for row in journal.append_many([NewEvent("count", {"n": n}, AT)]):
                outbox.add(row)
            assert outbox.pump() == 1
        assert journal.reads == 1  # the new rows were not read back
        _pump_until_published(outbox, journal, 5)
        received = wait_for(
            lambda: len(collector.json("/events")) == 5 and collector.json("/events")
        )
        assert [(m["seq"], m["data"]["n"]) for m in received] == [(n, n) for n in range(1, 6)]


def test_more_fresh_rows_than_the_window_are_sent_from_the_journal_in_order(
    mosquitto, collector_factory, tmp_path
):
    collector = collector_factory(mosquitto.settings(client_id="watcher"), TOPIC)
    with journal_and_bus(mosquitto, tmp_path) as (journal, bus):
        outbox = Outbox(journal, bus, TOPIC, "p/a/l/s", window=3)
        assert outbox.pump() == 0  # an empty journal: caught up
        for row in journal.append_many(NewEvent("count", {"n": n}, AT) for n in range(1, 8)):
            outbox.add(row)  # the fourth is one too many: back to the journal
        _pump_until_published(outbox, journal, 7)
        assert journal.reads >= 2
        received = wait_for(
            lambda: len(collector.json("/events")) >= 7 and collector.json("/events")
        )
        assert [m["seq"] for m in received] == list(range(1, 8))


def test_a_row_added_while_the_broker_is_away_goes_out_from_the_journal(
    mosquitto_factory, collector_factory, tmp_path
):
    broker = mosquitto_factory(persistence=True)
    collector = collector_factory(broker.settings(client_id="watcher", clean_session=False), TOPIC)
    with journal_and_bus(broker, tmp_path, clean_session=False) as (journal, bus):
        outbox = Outbox(journal, bus, TOPIC, "p/a/l/s")
        assert outbox.pump() == 0  # caught up
        broker.stop()
        wait_for(lambda: not bus.connected)
        for row in journal.append_many([NewEvent("count", {"n": 1}, AT)]):
            outbox.add(row)
        assert outbox.pump() == 0  # nothing can go: the journal keeps it
        broker.start()
        wait_for(lambda: bus.connected)
        outbox.reset()
        _pump_until_published(outbox, journal, 1)
        received = wait_for(lambda: collector.json("/events"))
        assert [m["seq"] for m in received] == [1]
