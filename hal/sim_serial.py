"""A pseudo-terminal standing in for a serial barcode scanner.

The scanner device opens ``path``, a symlink to the pty's slave side; the
simulator writes codes into the master side. Unplugging closes the pty (the
reader gets an I/O error, as with a pulled USB cable); plugging back creates
a new pty and re-points the same symlink, as udev does for a new ttyACM node.
"""

from __future__ import annotations

import os
import tty
from pathlib import Path


class SimSerialPort:
    """A pty whose slave side is reachable at ``path``."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self._master: int | None = None
        self._slave: int | None = None
        self.plug()

    @property
    def plugged(self) -> bool:
        return self._master is not None

    @property
    def device(self) -> str | None:
        """The pty slave's own path (e.g. ``/dev/pts/7``) while plugged."""
        return os.ttyname(self._slave) if self._slave is not None else None

    def plug(self) -> None:
        """Create a new pty and point ``path`` at it."""
        if self.plugged:
            return
        master, slave = os.openpty()
        tty.setraw(slave)  # no echo, no CR-to-NL translation: bytes pass as sent
        self._master, self._slave = master, slave
        temporary = self.path.with_name(f".{self.path.name}.new")
        if temporary.is_symlink():
            temporary.unlink()
        temporary.symlink_to(os.ttyname(slave))
        os.replace(temporary, self.path)

    def unplug(self) -> None:
        """Close the pty; the symlink is left dangling, like a vanished device node."""
        for fd in (self._master, self._slave):
            if fd is not None:
                os.close(fd)
        self._master = self._slave = None

    def replug(self) -> None:
        """Unplug (if plugged), then plug in a new pty at the same path."""
        self.unplug()
        self.plug()

    def write(self, data: bytes) -> None:
        """What the scanner sends."""
        if self._master is None:
            raise OSError(f"the simulated scanner at {self.path} is unplugged")
        view = memoryview(data)
        while view:
            view = view[os.write(self._master, view) :]

    def close(self) -> None:
        """Unplug and remove the symlink."""
        self.unplug()
        if self.path.is_symlink():
            self.path.unlink()
