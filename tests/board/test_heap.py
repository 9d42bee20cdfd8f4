"""The board keeps what it holds for good out of the collector's full passes, only as it grows."""

from __future__ import annotations

import gc

from andon.board.heap import HeapFreezer


def test_the_heap_is_frozen_when_the_board_knows_more_and_only_then():
    freezer = HeapFreezer()
    try:
        assert freezer.grown(0)  # after start-up
        kept = [[i] for i in range(1000)]  # what learning of stations allocates
        before = gc.get_freeze_count()
        assert freezer.grown(10)
        assert gc.get_freeze_count() >= before + len(kept)
        again = gc.get_freeze_count()
        assert not freezer.grown(10) and not freezer.grown(3)
        assert gc.get_freeze_count() == again
        assert freezer.freezes == 2
    finally:
        gc.unfreeze()  # this test's process goes on: give the collector its objects back
