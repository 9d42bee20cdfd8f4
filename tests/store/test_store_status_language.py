"""The store's status names each device with a problem in a whole sentence of its own,
which a reader writes in its language."""

from __future__ import annotations

from andon.i18n import translator
from andon.i18n.device_problems import devices_detail, shown_detail
from hal import problems as P

from .conftest import wait_for

STORE_STATUS = "andon/demo-plant/_stores/store/status"


def test_an_unplugged_scanner_is_named_in_the_status_and_read_in_chinese(
    mosquitto, store_factory, collector_factory
) -> None:
    status = collector_factory(mosquitto.settings(client_id="watcher"), STORE_STATUS)
    store = store_factory(mosquitto.settings(client_id="test-store"))
    wait_for(lambda: [s for s in status.json("/status") if s["online"]])

    store.sim.unplug_scanner("scanner")  # the pty goes away before the port opens
    store.advance(store.sim.step_s)

    lost = wait_for(lambda: [s["detail"] for s in status.json("/status") if s["detail"]])
    assert lost[-1].startswith("scanner.scanner: cannot open ")
    assert lost[-1].endswith("; retrying every 1 s")
    chinese = shown_detail(lost[-1], translator("zh_CN"))
    assert chinese.startswith("scanner.scanner：无法打开 ")
    assert chinese.endswith("；每 1 秒重试一次")


def test_two_devices_are_two_sentences_each_translated() -> None:
    problems = {
        "scanner.front": P.CANNOT_OPEN.format(device="/dev/ttyACM0", error="[Errno 2] gone"),
        "board": P.TOWER_NO_ANSWER.format(address="192.0.2.7:10000", seconds="2"),
    }

    detail = devices_detail(problems)

    assert detail.split("\n") == [
        "board: PNS tower 192.0.2.7:10000: no answer within 2 s",
        "scanner.front: cannot open /dev/ttyACM0: [Errno 2] gone",
    ]
    assert shown_detail(detail, translator("de")).split("\n") == [
        "board: PNS-Signalsäule 192.0.2.7:10000: keine Antwort innerhalb von 2 s",
        "scanner.front: /dev/ttyACM0 kann nicht geöffnet werden: [Errno 2] gone",
    ]
    assert shown_detail("stopped", translator("zh_TW")) == "stopped"
    assert devices_detail({}) == ""
