"""Maintenance alerts: ``andon notify`` routes calls and escalations to people.

The notifier listens to the stations' events and state snapshots
(:mod:`andon.notify.calls`), decides who is on duty for each escalation
(:mod:`andon.notify.routing`), keeps every alert in a SQLite queue
(:mod:`andon.notify.queue`), sends them through Apprise channels at a paced rate
with retries (:mod:`andon.notify.channels`, :mod:`andon.notify.worker`),
publishes each outcome for the boards (:mod:`andon.notify.deliveries`) and turns
an alert's link or reply code into an acknowledge command
(:mod:`andon.notify.ack_server`). :mod:`andon.notify.service` wires them together.
"""
