"""Debouncing and settling, done in our code on clock readings (gpiozero's
``bounce_time`` is ignored on mock pins and differs between pin drivers).

Both filters take time-stamped raw edges (``edge``) and the passing of time
(``advance``) and return the changes that count, each with the instant it counted.
"""

from __future__ import annotations

Change = tuple[bool, float]
"""A level that counts, and when it counted."""


class EdgeDebouncer:
    """The first change counts at once; then the input must stay quiet for
    ``window_s`` (every further edge restarts the window) before another
    change can count. When the window closes, the level it ends on counts
    if it differs, so a release hidden in the bounce is not lost.

    Fifty presses inside one window are one press; an input that keeps
    chattering is held at its first accepted level until it goes quiet.
    """

    def __init__(self, window_s: float, *, stable: bool = False) -> None:
        if window_s < 0:
            raise ValueError(f"debounce window must be >= 0, not {window_s}")
        self.window_s = window_s
        self.stable = stable
        self._raw = stable
        self._quiet_at: float | None = None

    def edge(self, level: bool, at: float) -> list[Change]:
        """A raw edge to ``level`` at ``at``."""
        changes = self.advance(at)
        self._raw = level
        if self._quiet_at is not None:
            self._quiet_at = at + self.window_s
        elif level != self.stable:
            self._accept(level, at, changes)
        return changes

    def advance(self, now: float) -> list[Change]:
        """Let time pass up to ``now``."""
        changes: list[Change] = []
        if self._quiet_at is not None and now >= self._quiet_at:
            closed_at, self._quiet_at = self._quiet_at, None
            if self._raw != self.stable:
                self._accept(self._raw, closed_at, changes)
        return changes

    def _accept(self, level: bool, at: float, changes: list[Change]) -> None:
        self.stable = level
        self._quiet_at = at + self.window_s
        changes.append((level, at))


class SettleFilter:
    """A new level counts only after it has held for ``settle_s`` without a break.

    A wobbling bin (sensor flickering while parts shift) yields one change,
    once it has settled.
    """

    def __init__(self, settle_s: float, *, stable: bool = False) -> None:
        if settle_s < 0:
            raise ValueError(f"settle time must be >= 0, not {settle_s}")
        self.settle_s = settle_s
        self.stable = stable
        self._raw = stable
        self._since: float | None = None

    @property
    def pending(self) -> bool:
        """True while a different level is waiting to settle."""
        return self._since is not None

    def edge(self, level: bool, at: float) -> list[Change]:
        """A raw edge to ``level`` at ``at``."""
        changes = self.advance(at)
        self._raw = level
        self._since = None if level == self.stable else at
        changes.extend(self.advance(at))
        return changes

    def advance(self, now: float) -> list[Change]:
        """Let time pass up to ``now``."""
        if self._since is None or now - self._since < self.settle_s:
            return []
        counted_at = self._since + self.settle_s
        self.stable, self._since = self._raw, None
        return [(self.stable, counted_at)]


InputFilter = EdgeDebouncer | SettleFilter
"""Either filter: both take ``edge`` and ``advance`` and return the changes that count."""
