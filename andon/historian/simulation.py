"""A simulation's journals written into the history, as the historian would have stored them."""

from __future__ import annotations

from andon.bus.messages import EventMessage
from andon.historian.stores import open_store
from andon.simulate.runner import SimulationRun
from andon.station.assemble import station_address

BATCH = 5000


def store_simulation(run: SimulationRun, url: str) -> int:
    """Store every journalled event of ``run`` in the history at ``url``; the number new."""
    added = 0
    with open_store(url) as store:
        for key, events in run.events.items():
            path = station_address(run.scenario.stations[key].config).path
            messages = [EventMessage(path, j.seq, j.event_id, j.event) for j in events]
            for start in range(0, len(messages), BATCH):
                added += store.insert(messages[start : start + BATCH])
    return added
