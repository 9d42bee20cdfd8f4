"""Disk space where the station keeps its journal (an SD card fills up quietly)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from andon.doctor import words as W
from andon.doctor.result import CheckResult, fail, ok, warn

CHECK = "disk"
MIN_FREE_BYTES = 200 * 1024 * 1024
"""Below this the check fails: a busy station journals a few MB a day."""
LOW_FREE_BYTES = 1024 * 1024 * 1024
"""Below this it warns."""
FREE_SPACE_HINT = W.FREE_SPACE_HINT


def check_disk(
    directory: Path,
    min_free_bytes: int = MIN_FREE_BYTES,
    low_free_bytes: int = LOW_FREE_BYTES,
) -> CheckResult:
    """``directory`` exists, this user may write there, and its file system has room."""
    if not directory.is_dir():
        return fail(
            CHECK,
            W.NO_DIRECTORY.format(directory=directory),
            f"sudo install -d -o andon -g andon -m 0750 {directory} (deploy/install.sh does)",
        )
    if not os.access(directory, os.W_OK | os.X_OK):
        return fail(
            CHECK,
            W.NOT_WRITABLE.format(directory=directory),
            f"sudo chown andon:andon {directory}",
        )
    usage = shutil.disk_usage(directory)
    share = usage.free / usage.total if usage.total else 0.0
    detail = W.FREE.format(
        free=_size(usage.free), total=_size(usage.total), share=f"{share:.0%}", directory=directory
    )
    if usage.free < min_free_bytes:
        return fail(CHECK, detail, FREE_SPACE_HINT)
    if usage.free < low_free_bytes:
        return warn(CHECK, detail, FREE_SPACE_HINT)
    return ok(CHECK, detail)


def _size(count: int) -> str:
    value = float(count)
    for unit in ("B", "kB", "MB", "GB"):
        if value < 1024 or unit == "GB":
            return f"{value:.0f} {unit}" if unit in ("B", "kB") else f"{value:.1f} {unit}"
        value /= 1024
    return f"{value:.1f} TB"
