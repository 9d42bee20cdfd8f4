"""Fixtures of the fault-injection tests: journals on a RAM disk when there is one, files
made unwritable even for root, and a guard that no test leaves a thread running."""

from __future__ import annotations

import os
import subprocess
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest


@pytest.fixture(autouse=True)
def no_thread_left_behind() -> Iterator[None]:
    """Every thread a fault test starts must have ended when it returns."""
    before = set(threading.enumerate())
    yield
    deadline = time.monotonic() + 5.0
    leftover = [t for t in threading.enumerate() if t not in before and t.is_alive()]
    while leftover and time.monotonic() < deadline:
        time.sleep(0.02)
        leftover = [t for t in leftover if t.is_alive()]
    assert not leftover, f"threads left running: {[t.name for t in leftover]}"


@pytest.fixture
def journal_dir(tmp_path: Path) -> Iterator[Path]:
    """Where the stations keep their journals: /dev/shm when present (these tests are about
    the network, not the disk; a RAM disk keeps thousands of fsyncs quick), else tmp_path."""
    shm = Path("/dev/shm")
    if not shm.is_dir():
        yield tmp_path
        return
    with tempfile.TemporaryDirectory(prefix="andon-faults-", dir=shm) as workdir:
        yield Path(workdir)


def _chattr(flag: str, *paths: Path) -> None:
    subprocess.run(["chattr", flag, *map(str, paths)], check=True, capture_output=True)


@pytest.fixture
def immutable():
    """Make files unwritable even for root (the immutable attribute); undone afterwards."""
    if os.geteuid() != 0:
        pytest.skip("making an open file unwritable needs root (chattr +i)")
    marked: list[Path] = []

    def mark(*paths: Path) -> None:
        try:
            _chattr("+i", *paths)
        except (OSError, subprocess.CalledProcessError):
            pytest.skip("this file system cannot make files immutable (chattr +i)")
        marked.extend(paths)

    def unmark() -> None:
        if marked:
            _chattr("-i", *marked)
            marked.clear()

    mark.undo = unmark  # type: ignore[attr-defined]
    yield mark
    unmark()
