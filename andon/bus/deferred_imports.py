"""Standard modules paho-mqtt imports but a plain-TCP client never uses, loaded on first use.

paho-mqtt imports ``ssl`` and ``urllib.request`` (for HTTP proxies, which it
only uses with PySocks) when it is imported; ``urllib.request`` brings
``http.client`` with it. A station on plain TCP uses none of them, yet they
and OpenSSL would take about 2.2 MB of its 43.4 MB. :func:`defer` puts a
stand-in in ``sys.modules`` for each: ``import ssl`` binds the stand-in, and
the first attribute read from it imports the real module, whose contents the
stand-in then takes on (later reads cost nothing more). A TLS connection reads
``ssl`` as it is set up, so it loads as it always did.
"""

from __future__ import annotations

import importlib
import sys
import threading
import types
from typing import Any

PAHO_UNUSED_ON_PLAIN_TCP = ("ssl", "urllib.request")

_LOADING = threading.RLock()


class DeferredModule(types.ModuleType):
    """Stands in ``sys.modules`` for a module until one of its attributes is read."""

    def __getattr__(self, attr: str) -> Any:
        # Called only for names the stand-in lacks: before loading, all of the real ones.
        with _LOADING:
            name = self.__name__
            if sys.modules.get(name) is self:
                del sys.modules[name]
                try:
                    real = importlib.import_module(name)
                except BaseException:
                    sys.modules[name] = self
                    raise
                self.__dict__.update(real.__dict__)
        try:
            return self.__dict__[attr]
        except KeyError:
            return getattr(sys.modules[name], attr)  # a module-level __getattr__, if any


def defer(*names: str) -> None:
    """Stand-ins for the modules of ``names`` not imported yet (parent packages are imported)."""
    with _LOADING:
        for name in names:
            if name in sys.modules:
                continue
            parent, _, child = name.rpartition(".")
            stand_in = DeferredModule(name)
            sys.modules[name] = stand_in
            if parent:
                # ``import a.b`` binds ``a``; code then reads ``a.b``, which the real
                # import would have set.
                setattr(importlib.import_module(parent), child, stand_in)
