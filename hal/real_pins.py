"""Building devices on the machine's own GPIO: a machine without GPIO is said so."""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from contextlib import contextmanager

from hal import errors as errs
from hal.errors import HalError


@contextmanager
def on_real_pins() -> Iterator[None]:
    """Around building devices on real pins: where gpiozero finds no pin library, raise
    :data:`hal.errors.NO_GPIO` (which names the package and ``--sim``) instead of
    gpiozero's own words, and without its warning per library it could not load."""
    from gpiozero.exc import BadPinFactory, PinFactoryFallback

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", PinFactoryFallback)
            yield
    except (BadPinFactory, HalError) as exc:
        if isinstance(exc, BadPinFactory) or isinstance(exc.__cause__, BadPinFactory):
            raise HalError(errs.NO_GPIO) from exc
        raise
