"""Writing provisioned files: atomically, and secrets readable by their owner only."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

PRIVATE_MODE = 0o600
PUBLIC_MODE = 0o644
DIRECTORY_MODE = 0o700


def write_bytes(path: Path, data: bytes, *, private: bool = False) -> bool:
    """Write ``data`` to ``path`` through a temporary file and a rename.

    Private files get mode 0600 from their creation on, never wider. Returns
    False (and leaves the file alone) when it already holds ``data`` with the
    right mode, so provisioning twice changes nothing.
    """
    mode = PRIVATE_MODE if private else PUBLIC_MODE
    try:
        if path.read_bytes() == data and (path.stat().st_mode & 0o777) == mode:
            return False
    except OSError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True, mode=DIRECTORY_MODE)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        os.fchmod(fd, mode)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return True


def write_text(path: Path, text: str, *, private: bool = False) -> bool:
    """:func:`write_bytes` for UTF-8 text."""
    return write_bytes(path, text.encode("utf-8"), private=private)


def read_text(path: Path) -> str | None:
    """The file's text, or None when it does not exist."""
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
