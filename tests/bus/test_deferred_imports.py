"""Modules paho imports but a plain-TCP client never uses stay unloaded until read."""

from __future__ import annotations

import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from andon.bus.deferred_imports import DeferredModule, defer
from tests.conftest import Mosquitto
from tests.support.fresh_bus_process import round_trip

MODULE = """
import sys
sys.modules["{record}"].executed.append(__name__)
VALUE = 42

def twice(x):
    return 2 * x
"""


class Record:
    """Where the made-up modules note each execution of their body."""

    def __init__(self) -> None:
        self.executed: list[str] = []


@pytest.fixture
def made_up(tmp_path: Path) -> Iterator[Record]:
    """Modules ``deferred_a`` and package ``deferred_pkg.sub`` on sys.path, removed afterwards."""
    record = Record()
    name = f"deferred_record_{id(record)}"
    sys.modules[name] = record  # type: ignore[assignment]
    (tmp_path / "deferred_a.py").write_text(MODULE.format(record=name))
    (tmp_path / "deferred_pkg").mkdir()
    (tmp_path / "deferred_pkg" / "__init__.py").write_text("")
    (tmp_path / "deferred_pkg" / "sub.py").write_text(MODULE.format(record=name))
    (tmp_path / "deferred_broken.py").write_text("raise RuntimeError('broken on import')\n")
    sys.path.insert(0, str(tmp_path))
    try:
        yield record
    finally:
        sys.path.remove(str(tmp_path))
        for module in [m for m in sys.modules if m.startswith("deferred_")]:
            del sys.modules[module]


def test_import_binds_a_stand_in_and_runs_nothing(made_up: Record) -> None:
    defer("deferred_a")
    import deferred_a  # type: ignore[import-not-found]

    assert isinstance(deferred_a, DeferredModule)
    assert made_up.executed == []


def test_the_first_attribute_read_loads_the_module_once(made_up: Record) -> None:
    defer("deferred_a")
    import deferred_a  # type: ignore[import-not-found]

    assert deferred_a.VALUE == 42
    assert deferred_a.twice(4) == 8
    from deferred_a import twice  # type: ignore[import-not-found]

    assert twice(5) == 10
    assert made_up.executed == ["deferred_a"]
    assert sys.modules["deferred_a"] is not deferred_a  # the real module took its place
    assert deferred_a.twice is sys.modules["deferred_a"].twice
    with pytest.raises(AttributeError):
        deferred_a.missing  # noqa: B018


def test_a_submodule_is_reachable_from_its_package(made_up: Record) -> None:
    defer("deferred_pkg.sub")
    import deferred_pkg.sub  # type: ignore[import-not-found]

    assert made_up.executed == []
    assert deferred_pkg.sub.VALUE == 42
    assert made_up.executed == ["deferred_pkg.sub"]


def test_threads_reading_at_once_load_it_once(made_up: Record) -> None:
    defer("deferred_a")
    import deferred_a  # type: ignore[import-not-found]

    start = threading.Barrier(8)
    values: list[int] = []

    def read() -> None:
        start.wait()
        values.append(deferred_a.VALUE)

    threads = [threading.Thread(target=read) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)
    assert values == [42] * 8
    assert made_up.executed == ["deferred_a"]


def test_a_module_that_fails_to_load_raises_each_time(made_up: Record) -> None:
    defer("deferred_broken")
    import deferred_broken  # type: ignore[import-not-found]

    for _ in range(2):
        with pytest.raises(RuntimeError, match="broken on import"):
            deferred_broken.anything  # noqa: B018
    assert sys.modules["deferred_broken"] is deferred_broken


def test_a_module_already_imported_is_left_alone() -> None:
    import json

    defer("json")
    assert sys.modules["json"] is json


def test_a_plain_tcp_client_never_loads_openssl(mosquitto: Mosquitto) -> None:
    report = round_trip(mosquitto.settings(), "andon/test/deferred/plain")
    assert report["received"] == 50 + 2050
    assert not report["ssl_loaded"]
    assert not report["http_client_loaded"]
