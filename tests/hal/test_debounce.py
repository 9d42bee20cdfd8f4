"""The debounce and settle filters, on plain numbers (no pins, no clock)."""

from __future__ import annotations

import pytest

from hal.debounce import EdgeDebouncer, SettleFilter


def test_first_edge_counts_at_once() -> None:
    debouncer = EdgeDebouncer(0.05)
    assert debouncer.edge(True, 10.0) == [(True, 10.0)]
    assert debouncer.stable is True


def test_fifty_presses_inside_the_window_are_one_press_and_one_release() -> None:
    debouncer = EdgeDebouncer(0.05)
    changes = []
    t = 10.0
    for _ in range(50):
        changes += debouncer.edge(True, t)
        changes += debouncer.edge(False, t + 0.0004)
        t += 0.0008
    assert changes == [(True, 10.0)]
    last_edge = t - 0.0008 + 0.0004
    assert debouncer.advance(last_edge + 0.049) == []
    assert debouncer.advance(last_edge + 0.05) == [(False, last_edge + 0.05)]


def test_chatter_that_ends_pressed_stays_pressed() -> None:
    debouncer = EdgeDebouncer(0.05)
    changes = debouncer.edge(True, 1.0) + debouncer.edge(False, 1.01) + debouncer.edge(True, 1.02)
    changes += debouncer.advance(2.0)
    assert changes == [(True, 1.0)]


def test_every_bounce_restarts_the_quiet_window() -> None:
    debouncer = EdgeDebouncer(0.05)
    debouncer.edge(True, 1.0)
    debouncer.edge(False, 1.04)
    debouncer.edge(True, 1.08)
    debouncer.edge(False, 1.12)
    assert debouncer.advance(1.16) == []  # only 0.04 s quiet since the last bounce
    assert debouncer.advance(1.18) == [(False, pytest.approx(1.17))]


def test_a_new_press_after_the_quiet_window_counts() -> None:
    debouncer = EdgeDebouncer(0.05)
    debouncer.edge(True, 1.0)
    debouncer.edge(False, 1.2)
    assert debouncer.edge(True, 1.3) == [(True, 1.3)]


def test_zero_window_passes_every_edge() -> None:
    debouncer = EdgeDebouncer(0.0)
    changes = []
    for index in range(6):
        changes += debouncer.edge(index % 2 == 0, 5.0 + index * 0.001)
    assert [level for level, _ in changes] == [True, False, True, False, True, False]


def test_settle_filter_waits_for_an_unbroken_hold() -> None:
    settle = SettleFilter(2.0)
    assert settle.edge(True, 0.0) == []
    assert settle.edge(False, 0.5) == []
    assert settle.edge(True, 0.9) == []
    assert settle.advance(2.8) == []
    assert settle.advance(2.9) == [(True, 2.9)]
    assert settle.stable is True


def test_a_blip_shorter_than_the_settle_time_never_counts() -> None:
    settle = SettleFilter(1.0)
    settle.edge(True, 0.0)
    settle.edge(False, 0.99)
    assert settle.advance(100.0) == []
    assert settle.stable is False
    assert not settle.pending


def test_a_late_edge_first_settles_what_was_pending() -> None:
    settle = SettleFilter(1.0)
    settle.edge(True, 0.0)
    # The next edge arrives after the first level had already settled.
    assert settle.edge(False, 5.0) == [(True, 1.0)]
    assert settle.advance(6.0) == [(False, 6.0)]


def test_zero_settle_time_passes_every_change() -> None:
    settle = SettleFilter(0.0)
    assert settle.edge(True, 1.0) == [(True, 1.0)]
    assert settle.edge(False, 1.5) == [(False, 1.5)]
