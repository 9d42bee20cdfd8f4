"""The MQTT bus: topics, the client, credentials and the embedded broker.

* :mod:`andon.bus.topics` — the ISA-95 / Unified-Namespace topic tree.
* :mod:`andon.bus.client` — :class:`~andon.bus.client.BusClient`, reconnecting,
  acknowledged publishing, lasting subscriptions.
* :mod:`andon.bus.credentials` — :class:`~andon.bus.credentials.BrokerSettings`.
* :mod:`andon.bus.embedded_broker` — amqtt in-process, loopback by default.
* :mod:`andon.bus.deferred_imports` — ``ssl`` and ``urllib.request``, which paho
  imports, stay unloaded until used (set up here, before any of the bus).
"""

from andon.bus.deferred_imports import PAHO_UNUSED_ON_PLAIN_TCP, defer

# Before anything of the bus imports paho-mqtt: OpenSSL and urllib's HTTP stack
# load only when a TLS connection (or anything else) uses them.
defer(*PAHO_UNUSED_ON_PLAIN_TCP)
