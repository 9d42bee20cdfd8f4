"""The rows of the line screen shared out so that it never scrolls.

The line screen stacks the hourly table, the downtime Pareto, the stops waiting for a
reason and the calls of the shift under the line's figures. When the terminal has
fewer rows than they take, each section keeps a floor (the current hour, two Pareto rows,
the oldest stop, the latest call) and the rows left go to the hours first (every hour
of the shift, while they fit), then the stops, the Pareto's five longest reasons, the
calls and the rest of the Pareto. A section
cut short says so in its title; the Pareto sums up the reasons it leaves out.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

PARETO_FIRST = 5
"""The Pareto's rows before the calls get theirs: the longest reasons say most."""
ORDER: tuple[tuple[str, int | None], ...] = (
    ("hours", None),
    ("stops", None),
    ("pareto", PARETO_FIRST),
    ("calls", None),
    ("pareto", None),
)
"""Who gets the rows left after the floors, first to last, and up to how many."""


@dataclass(frozen=True)
class Section:
    """One section of the screen: the rows it would take whole, and its floor."""

    wants: int
    floor: int


def allot(room: int, sections: Mapping[str, Section]) -> dict[str, int]:
    """Rows for each section: its floor, then the rows left in :data:`ORDER`.

    ``room`` counts the rows for the sections' contents (titles and table headings
    already taken off). Floors are given even when they do not fit: a terminal that
    small scrolls rather than showing nothing."""
    given = {name: min(s.floor, s.wants) for name, s in sections.items()}
    left = room - sum(given.values())
    for name, cap in ORDER:
        if name not in sections or left <= 0:
            continue
        wants = sections[name].wants if cap is None else min(cap, sections[name].wants)
        more = max(0, min(left, wants - given[name]))
        given[name] += more
        left -= more
    return given


def fit_rows(heights: Sequence[int], rows: int, first: Sequence[int] = ()) -> list[int]:
    """The indices of the items to show in ``rows`` rows, in their order.

    Items are taken in the order of ``first`` (indices), then the others from the
    end backwards (the newest); an item that does not fit is skipped for a smaller
    one after it."""
    order = [*first, *(i for i in reversed(range(len(heights))) if i not in set(first))]
    kept: set[int] = set()
    used = 0
    for index in order:
        if used + heights[index] <= rows:
            kept.add(index)
            used += heights[index]
    return sorted(kept)


def first_rows(heights: Sequence[int], rows: int) -> int:
    """How many items from the start fit in ``rows`` rows (at least one, if any)."""
    used = 0
    for count, height in enumerate(heights):
        if used + height > rows:
            return max(count, 1 if heights else 0)
        used += height
    return len(heights)
