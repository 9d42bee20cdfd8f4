"""The MQTT bus: topics, the client, credentials and the embedded broker.

* :mod:`andon.bus.topics` — the ISA-95 / Unified-Namespace topic tree.
* :mod:`andon.bus.client` — :class:`~andon.bus.client.BusClient`, reconnecting,
  acknowledged publishing, lasting subscriptions, on paho-mqtt's public API.
* :mod:`andon.bus.delivery`, :mod:`andon.bus.message`, :mod:`andon.bus.routing` —
  what it hands out, what it receives, which handler a topic goes to.
* :mod:`andon.bus.credentials` — :class:`~andon.bus.credentials.BrokerSettings`.
* :mod:`andon.bus.embedded_broker` — amqtt in-process, loopback by default.
"""
