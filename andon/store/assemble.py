"""Putting the store board together from its configuration file.

``--sim`` changes only where the pins and the scanner's port come from
(gpiozero's mock pins and a pty, :class:`hal.sim.SimStore`); everything else is
the production path.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

from andon.bus.credentials import BrokerSettings
from andon.bus.settings import broker_settings
from andon.config.broker import account_name, bound_client_id
from andon.config.store import StoreFile
from andon.i18n.catalog import Translator
from andon.store.service import REPLY_TIMEOUT_S, StoreBoard
from hal.clock import Clock
from hal.real_pins import on_real_pins
from hal.sim import SimStore
from hal.sim_controller import SimController
from hal.store import StoreDevices


@dataclass
class StoreRuntime:
    """A built store board, and the simulation controller under ``--sim``."""

    board: StoreBoard
    sim: SimController | None = None


def build_store(
    config: StoreFile,
    *,
    sim: bool = False,
    broker: str | None = None,
    connect: bool = True,
    settings: BrokerSettings | None = None,
    clock: Clock = time.monotonic,
    reply_timeout_s: float = REPLY_TIMEOUT_S,
    tr: Translator | None = None,
) -> StoreRuntime:
    """A ready-to-start store board (call ``runtime.board.start()``).

    ``broker`` (``HOST:PORT``) overrides the plant's broker; ``settings``
    replaces the broker settings outright; ``connect=False`` runs without a
    broker. ``clock`` drives the devices and the buzzer cues (a
    :class:`hal.clock.ManualClock` in tests, which then tick by hand). A bundle from
    before the broker bound store boards (no ``client_id``) raises
    :class:`~andon.config.errors.ConfigError` naming the plant copy and the key.
    ``tr`` is the language of the scans' outcomes in the log (English without one).
    """
    if connect and settings is None:
        site = config.plant_config.site
        settings = broker_settings(
            config.plant_config.broker,
            client_id=bound_client_id(
                config.plant_config.broker, account_name("store", config.id), config.plant
            )
            or f"andon-store-{site.id}-{config.id}",
            override=broker,
        )
    box: list[StoreBoard] = []

    def sink(event: Any) -> None:
        if box:
            box[0].on_hal_event(event)

    controller: SimController | None = None
    on_close = None
    if sim:
        simulation = SimStore(config.hardware, sink=sink, clock=clock)
        devices: StoreDevices = simulation.devices
        controller = simulation.controller
        on_close = simulation.close
    else:
        with on_real_pins():  # a machine without GPIO is said so
            devices = StoreDevices.from_config(config.hardware, sink=sink, clock=clock)
    try:
        board = StoreBoard(
            config,
            devices,
            settings if connect else None,
            clock=clock,
            reply_timeout_s=reply_timeout_s,
            on_close=on_close,
            tr=tr,
        )
    except BaseException:
        (on_close or devices.close)()
        raise
    box.append(board)
    return StoreRuntime(board=board, sim=controller)
