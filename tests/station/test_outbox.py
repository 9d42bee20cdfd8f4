"""The outbox: journal rows to a real broker, in order, acknowledged in one transaction."""

from __future__ import annotations

from andon.bus.client import BusClient
from andon.journal.store import Journal, NewEvent
from andon.station.outbox import Outbox
from tests.support.stations import wait_for

AT = "2026-11-25T07:00:00Z"
TOPIC = "andon/test/events"


class CountingJournal(Journal):
    """A real journal that counts the acknowledgement transactions."""

    ack_transactions = 0

    def mark_published_many(self, seqs):
        self.ack_transactions += 1
        super().mark_published_many(seqs)


def test_rows_go_out_in_order_and_their_acknowledgements_are_recorded_together(
    mosquitto, collector_factory, tmp_path
):
    collector = collector_factory(mosquitto.settings(client_id="watcher"), TOPIC)
    journal = CountingJournal(tmp_path / "journal.sqlite", owner="p/a/l/s")
    bus = BusClient(mosquitto.settings(client_id="outbox"))
    bus.start()
    try:
        wait_for(lambda: bus.connected)
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
    finally:
        bus.close()
        journal.close()


def test_rows_acknowledged_but_not_yet_recorded_are_not_sent_again_after_a_reconnect(
    mosquitto, tmp_path
):
    journal = CountingJournal(tmp_path / "journal.sqlite", owner="p/a/l/s")
    bus = BusClient(mosquitto.settings(client_id="outbox"))
    bus.start()
    try:
        wait_for(lambda: bus.connected)
        journal.append_many(NewEvent("count", {"n": n}, AT) for n in range(1, 4))
        outbox = Outbox(journal, bus, TOPIC, "p/a/l/s")
        assert outbox.pump() == 3
        recorded = journal.published_through()
        wait_for(lambda: outbox.acks_waiting == 3 - recorded)

        outbox.reset()  # the connection came back before the pump recorded them

        assert outbox.pump() == 0
        assert journal.published_through() == 3 and outbox.in_flight == 0
    finally:
        bus.close()
        journal.close()
