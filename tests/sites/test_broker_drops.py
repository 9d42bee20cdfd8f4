"""The load test counts what a site broker dropped, over every process it ran as."""

from andon.bench.broker_drops import BrokerDrops
from andon.bus.client import BusClient
from tests.support.stations import wait_for


def _publish(broker, count: int) -> None:
    client = BusClient(broker.settings(client_id="station")).start()
    assert client.wait_connected(10)
    deliveries = [client.publish("t/events", str(i).encode(), qos=1) for i in range(count)]
    assert all(d.wait(10) and d.acknowledged for d in deliveries)
    client.close()


def test_a_full_queue_is_counted_and_kept_across_a_restart(mosquitto_factory):
    broker = mosquitto_factory(extra=["max_queued_messages 5", "sys_interval 1"])
    received = []
    away = BusClient(broker.settings(client_id="bridge", clean_session=False))
    away.subscribe("t/#", received.append, qos=1)
    away.start()
    assert away.wait_connected(10)
    wait_for(lambda: _publish(broker, 1) or received, timeout=20, step=0.5)  # subscribed
    away.close()  # its session stays and queues at most 5
    drops = BrokerDrops(broker.host, {"site-00": broker.port})
    try:
        _publish(broker, 30)
        wait_for(lambda: drops.by_site().get("site-00", 0) >= 25, timeout=20)
        broker.kill()
        broker.start()  # as the watchdog does: the new process counts from 0
        _publish(broker, 3)
        wait_for(lambda: drops.resets("site-00") == 1, timeout=20)
    finally:
        drops.close()
    assert drops.by_site() == {"site-00": 25}
