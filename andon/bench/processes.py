"""Child processes measured from outside: spawned, sampled from ``/proc``, always stopped."""

from __future__ import annotations

import compileall
import contextlib
import functools
import json
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Sequence
from pathlib import Path
from typing import IO, Any

import andon
import hal
from andon.bench.machine import cpu_seconds, rss_mb, thread_cpu_seconds

STOP_TIMEOUT_S = 10.0


@functools.cache
def ensure_bytecode() -> None:
    """Compile andon's and hal's modules, as installing the package does.

    A child process then loads them as an installed station or board does. Without
    this, a checkout run with ``PYTHONDONTWRITEBYTECODE`` set (or read-only) compiles
    some 200 modules from source in every child: about 0.5 MB more resident memory
    and a slower start than on a plant's machine. Where the files cannot be written
    (an installed package is compiled already), this does nothing.
    """
    for package in (andon, hal):
        compileall.compile_dir(Path(package.__file__).parent, quiet=2)


class Child:
    """One process; stdout is read line by line, stderr kept in a file for error messages."""

    def __init__(self, argv: Sequence[str], *, stdin: bool = False) -> None:
        self._stderr: IO[bytes] = tempfile.TemporaryFile()  # noqa: SIM115 (closed in stop())
        self.spawned = time.monotonic()
        self.process = subprocess.Popen(
            list(argv),
            stdin=subprocess.PIPE if stdin else subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=self._stderr,
            text=True,
        )
        self._peak_rss = 0.0
        self._sampling = threading.Event()
        self._sampler: threading.Thread | None = None

    @classmethod
    def python(cls, *args: str, stdin: bool = False) -> Child:
        """``python <args>`` with this interpreter, andon's modules compiled."""
        ensure_bytecode()
        return cls([sys.executable, *args], stdin=stdin)

    @property
    def pid(self) -> int:
        return self.process.pid

    def errors(self) -> str:
        """What the process wrote to stderr so far (the last 2 000 characters)."""
        self._stderr.seek(0)
        return self._stderr.read().decode(errors="replace")[-2000:]

    def alive(self) -> None:
        """Raise with the process's own words if it has exited."""
        if self.process.poll() is not None:
            raise RuntimeError(
                f"{self.process.args!r} exited with {self.process.returncode}: {self.errors()}"
            )

    def read_json(self, timeout: float = 30.0) -> dict[str, Any]:
        """The next stdout line, parsed as JSON."""
        assert self.process.stdout is not None
        box: list[str] = []
        reader = threading.Thread(
            target=lambda: box.append(self.process.stdout.readline()),  # type: ignore[union-attr]
            daemon=True,
        )
        reader.start()
        reader.join(timeout)
        if not box or not box[0]:
            self.alive()
            raise TimeoutError(f"no answer from {self.process.args!r} in {timeout} s")
        return dict(json.loads(box[0]))

    def ask(self, line: str, timeout: float = 30.0) -> dict[str, Any]:
        """Send one line on stdin and read one JSON line back."""
        assert self.process.stdin is not None
        self.alive()
        self.process.stdin.write(line + "\n")
        self.process.stdin.flush()
        return self.read_json(timeout)

    def rss_mb(self) -> float:
        return rss_mb(self.pid)

    def cpu_seconds(self) -> float:
        return cpu_seconds(self.pid)

    def thread_cpu_seconds(self) -> float | None:
        return thread_cpu_seconds(self.pid)

    # --- peak memory while something happens -----------------------------------------

    def start_sampling(self, every_s: float = 0.02) -> None:
        """Sample the resident memory on a thread until :meth:`stop_sampling`."""
        self._peak_rss = self.rss_mb()
        self._sampling.clear()

        def sample() -> None:
            while not self._sampling.wait(every_s):
                try:
                    self._peak_rss = max(self._peak_rss, self.rss_mb())
                except (OSError, ValueError):
                    return

        self._sampler = threading.Thread(target=sample, name="bench-rss", daemon=True)
        self._sampler.start()

    def stop_sampling(self) -> float:
        """The peak resident memory (MB) since :meth:`start_sampling`."""
        self._sampling.set()
        if self._sampler is not None:
            self._sampler.join()
        with contextlib.suppress(OSError, ValueError):
            self._peak_rss = max(self._peak_rss, self.rss_mb())
        return self._peak_rss

    # --- the end ------------------------------------------------------------------------

    def stop(self) -> None:
        """Ask the process to stop (SIGTERM, stdin closed), kill it if it does not."""
        self._sampling.set()
        if self.process.poll() is None:
            if self.process.stdin is not None:
                with contextlib.suppress(OSError):
                    self.process.stdin.close()
            self.process.terminate()
            try:
                self.process.wait(STOP_TIMEOUT_S)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(STOP_TIMEOUT_S)
        for stream in (self.process.stdin, self.process.stdout):
            if stream is not None:
                with contextlib.suppress(OSError):
                    stream.close()
        self._stderr.close()

    def __enter__(self) -> Child:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()
