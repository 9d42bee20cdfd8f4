"""One board model for every viewer: the feed fills it, the hub turns it into pages.

The :class:`Hub` owns the same :class:`~andon.board.model.BoardModel` the Textual
board uses, filled by the server's own :class:`~andon.web.feed.WebFeed` (the
board's subscriptions, read in the server's loop), so every figure on a web page
is the one the board shows. Every server has its own feed, the demo's too. It rebuilds the
:class:`~andon.board.views.BoardView` when the feed says something changed (at
once, then at most every :data:`MIN_GAP_S` in a burst, the changes meanwhile taken
together) and once a second (live timers), each time a new *generation*. A page is rendered once per
generation, language and page key, whatever the number of viewers: 200 phones on
the calls page cost one render a second. What changed since the page's previous
generation is worked out once too (:mod:`andon.web.parts`), so a viewer is sent
the rows that changed, not the page.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cached_property
from typing import Any

from andon.board.catalogue import BoardCatalogue
from andon.board.heap import HeapFreezer
from andon.board.model import BoardModel, PendingCommand
from andon.board.pending import NO_BROKER
from andon.board.views import BoardView
from andon.web.feed import WebFeed
from andon.web.parts import Part, changes, sse_changes, sse_whole

log = logging.getLogger(__name__)

Clock = Callable[[], datetime]
MIN_GAP_S = 0.1
"""Views are rebuilt at most this often in a burst (wall seconds): the changes that
come meanwhile are taken together into one generation."""
TICK_S = 1.0
CACHE_LIMIT = 256


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class Frame:
    """A page's live part at one generation, framed once as server-sent events for all."""

    generation: int
    root: Part
    version: int
    """Changes only when the page does: a viewer that has this version gets a tick."""
    base: int
    """The version :attr:`update` turns into this one (``-1``: none)."""
    update: bytes
    """The parts that changed since :attr:`base` (``order`` and ``part`` events)."""

    @property
    def text(self) -> str:
        return self.root.html

    @cached_property
    def whole(self) -> bytes:
        """The whole live part, for a viewer that connects or fell behind."""
        return sse_whole(self.root.html)


class Hub:
    """The model, its feed and the rendered pages of the current generation."""

    def __init__(
        self,
        catalogue: BoardCatalogue,
        model: BoardModel,
        feed: WebFeed | None,
        clock: Clock = utc_now,
    ) -> None:
        self.catalogue = catalogue
        self.model = model
        self.feed = feed
        self.clock = clock
        self.generation = 0
        self.view: BoardView = model.view(clock())
        self._waiters: list[asyncio.Future[None]] = []
        """Every viewer waiting for the next generation, woken by :meth:`rebuild`."""
        self._loop: asyncio.AbstractEventLoop | None = None
        self._tasks: list[asyncio.Task[None]] = []
        self._cache: dict[tuple[Any, ...], Frame] = {}
        self._versions = 0
        self._tick: tuple[int, bytes] = (-1, b"")
        self._last_build = 0.0
        self._due_handle: asyncio.TimerHandle | None = None
        self.heap = HeapFreezer()
        """Keeps the model's stations out of the collector's full passes, as on the board."""
        self.viewers = 0
        self.closing = False
        """Set when the server stops: every event stream ends."""

    # --- life --------------------------------------------------------------------------

    async def start(self) -> None:
        self._loop = asyncio.get_running_loop()
        if self.feed is not None:
            self.feed.on_change = self._feed_changed
            self.feed.start()
        self.rebuild()
        self._tasks.append(asyncio.create_task(self._ticker()))

    async def stop(self) -> None:
        for task in self._tasks:
            task.cancel()
        self._tasks.clear()
        if self.feed is not None:
            self.feed.on_change = None
            await asyncio.to_thread(self.feed.close)

    def close_streams(self) -> None:
        """End every event stream (from any thread), so the server can stop at once."""
        loop = self._loop
        if loop is None or loop.is_closed():
            return

        def close() -> None:
            self.closing = True
            self._wake()

        loop.call_soon_threadsafe(close)

    def _feed_changed(self) -> None:
        """From the feed: ask the loop for a rebuild (safe from any thread)."""
        loop = self._loop
        if loop is not None and not loop.is_closed():
            loop.call_soon_threadsafe(self._schedule)

    def _schedule(self) -> None:
        """A change: a generation now, or one later for every change until then."""
        if self._due_handle is not None:
            return
        wait = MIN_GAP_S - (time.monotonic() - self._last_build)
        if wait <= 0:
            self.rebuild()
        else:
            assert self._loop is not None
            self._due_handle = self._loop.call_later(wait, self.rebuild)

    async def _ticker(self) -> None:
        while True:
            await asyncio.sleep(TICK_S)
            try:
                if self.feed is not None:
                    self.feed.tick()
                else:
                    self.model.tick(self.clock())
                self.rebuild()
            except Exception:  # a bug in a view must not stop the clock of every page
                log.exception("rebuilding the web view failed")

    # --- views -------------------------------------------------------------------------

    def rebuild(self) -> None:
        """A new generation: the view at the plant clock; wakes every viewer."""
        if self.feed is not None:
            self.feed.acknowledge_change()
        self.view = self.model.view(self.clock())
        observe = getattr(self.clock, "observe", None)
        if observe is not None:
            observe(self.view)
        self.generation += 1
        if self._due_handle is not None:  # this generation holds the changes it waited for
            self._due_handle.cancel()
            self._due_handle = None
        if len(self._cache) > CACHE_LIMIT:
            self._cache.clear()
        self._wake()
        self.heap.grown(self.model.stations_seen)
        self._last_build = time.monotonic()

    def _wake(self) -> None:
        """Every waiting viewer runs at the loop's next turn, before it reads more."""
        waiters, self._waiters = self._waiters, []
        for waiter in waiters:
            if not waiter.done():
                waiter.set_result(None)

    async def next_generation(self, after: int, timeout: float) -> int:
        """Wait until a generation newer than ``after`` exists (or ``timeout``).

        The viewer waits on a future of its own that :meth:`rebuild` resolves: one
        hop to the viewer's task, where an event waited for with a timeout took
        three turns of the loop, each with a read of the broker's socket between.
        """
        if self.generation > after or self.closing:
            return self.generation
        waiter = asyncio.get_running_loop().create_future()
        self._waiters.append(waiter)
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(timeout):
                await waiter
        return self.generation

    def rendered(self, key: tuple[Any, ...], render: Callable[[BoardView], Part]) -> str:
        """The HTML of ``render(view)`` of the current generation, once for every viewer."""
        return self.frame(key, render).text

    def frame(self, key: tuple[Any, ...], render: Callable[[BoardView], Part]) -> Frame:
        """The current generation of ``key``: rendered, compared with the previous one and
        framed once, whatever the number of viewers."""
        cached = self._cache.get(key)
        if cached is not None and cached.generation == self.generation:
            return cached
        root = render(self.view)
        if cached is not None and cached.root.html == root.html:
            frame = Frame(self.generation, root, cached.version, cached.base, cached.update)
        else:
            self._versions += 1
            base, update = -1, b""
            if cached is not None:
                base, update = cached.version, sse_changes(changes(cached.root, root))
            frame = Frame(self.generation, root, self._versions, base, update)
        self._cache[key] = frame
        return frame

    def tick_frame(self) -> bytes:
        """The ``tick`` event of the current generation (the plant time), framed once."""
        if self._tick[0] != self.generation:
            tick = f"event: tick\ndata: {self.view.now.isoformat()}\n\n".encode()
            self._tick = (self.generation, tick)
        return self._tick[1]

    # --- commands ----------------------------------------------------------------------

    def send(self, station: str, name: str, args: Mapping[str, Any], by: str) -> PendingCommand:
        """Record a command as pending and publish it, as the board's keys do."""
        command = self.model.new_command(station, name, args, by, self.clock())
        if self.feed is None:
            self.model.command_failed(command.command_id, NO_BROKER, self.clock())
        else:
            self.feed.publish_command(command)
        self.rebuild()
        return command


class PlantClock:
    """Plant time for a server watching a plant that runs ``speed`` times the wall clock.

    It runs at ``speed`` from the newest instant the stations published, and moves
    forward (never back) to a newer one as it arrives; a plant restarted more than an
    hour earlier (a new demo) re-anchors it. With ``speed`` 1 on a real plant it is
    the wall clock.
    """

    def __init__(self, speed: float, monotonic: Callable[[], float] = time.monotonic) -> None:
        self.speed = speed
        self._monotonic = monotonic
        self._anchor = utc_now()
        self._anchor_mono = monotonic()

    def __call__(self) -> datetime:
        from datetime import timedelta

        elapsed = (self._monotonic() - self._anchor_mono) * self.speed
        return self._anchor + timedelta(seconds=elapsed)

    def observe(self, view: BoardView) -> None:
        newest = max(
            (s.snapshot.at for line in view.lines for s in line.stations if s.snapshot is not None),
            default=None,
        )
        if newest is None:
            return
        now = self()
        if newest > now or (now - newest).total_seconds() > 3600:
            self._anchor, self._anchor_mono = newest, self._monotonic()
