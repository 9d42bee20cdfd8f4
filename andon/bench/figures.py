"""The results of a benchmark run: one :class:`Figure` per row, a :class:`Report` for all.

A figure is either a latency (p50 and p99 of its samples) or a single value
(a rate, a size, a duration). It carries the reference it is compared with,
measured in the same run, and an informational target with its verdict.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

from andon.bench.stats import percentile
from andon.bench.words import (
    INVALID_NEGATIVE_SAMPLES,
    INVALID_NEGATIVE_VALUE,
    INVALID_NOT_A_NUMBER,
    INVALID_SAMPLES_NOT_NUMBERS,
    NO_SAMPLES,
)


@dataclass(frozen=True)
class Reference:
    """What a figure is compared with: measured in the same run."""

    name: str
    value: float
    unit: str


@dataclass(frozen=True)
class Figure:
    """One row of the table."""

    key: str
    """A stable identifier (for ``--json`` readers)."""
    name: str
    unit: str
    p50: float | None = None
    p99: float | None = None
    value: float | None = None
    """A single value (rates, sizes, durations), when the figure is not a latency."""
    samples: int = 0
    reference: Reference | None = None
    target: str = ""
    passed: bool | None = None
    """The target's verdict (None without a target or without a result)."""
    note: str = ""
    skipped: str = ""
    """Why the figure was not measured (empty when it was)."""
    invalid: str = ""
    """Why the measurement cannot be right (a negative latency, a value that is not a
    number): such a figure is failed whatever its target; empty when it is plausible."""

    @property
    def headline(self) -> float | None:
        """The number the target and the ratio are about: p99, or the single value."""
        return self.p99 if self.p99 is not None else self.value

    @property
    def ratio(self) -> float | None:
        """The headline over the reference's value."""
        if self.reference is None or self.headline is None or not self.reference.value:
            return None
        return self.headline / self.reference.value

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["ratio"] = self.ratio
        return data


def latency(
    key: str,
    name: str,
    samples_ms: Sequence[float],
    *,
    reference: Reference | None = None,
    limit_ms: float | None = None,
    target: str = "",
    note: str = "",
) -> Figure:
    """A latency figure from samples in milliseconds; ``limit_ms`` judges its p99."""
    if not samples_ms:
        return skipped(key, name, "ms", NO_SAMPLES, target=target)
    wrong = impossible_samples(samples_ms)
    if wrong:
        finite = [s for s in samples_ms if math.isfinite(s)] or [math.nan]
        return Figure(
            key=key,
            name=name,
            unit="ms",
            p50=percentile(finite, 50),
            p99=percentile(finite, 99),
            samples=len(samples_ms),
            reference=reference,
            target=target,
            passed=False,
            note=note,
            invalid=wrong,
        )
    p99 = percentile(samples_ms, 99)
    return Figure(
        key=key,
        name=name,
        unit="ms",
        p50=percentile(samples_ms, 50),
        p99=p99,
        samples=len(samples_ms),
        reference=reference,
        target=target,
        passed=None if limit_ms is None else p99 <= limit_ms,
        note=note,
    )


def single(
    key: str,
    name: str,
    unit: str,
    value: float,
    *,
    samples: int = 1,
    reference: Reference | None = None,
    target: str = "",
    passed: bool | None = None,
    note: str = "",
) -> Figure:
    """A figure that is one number; a negative one or one that is not a number is
    invalid (every single figure is a rate, a size, a share or a duration)."""
    wrong = impossible_value(value)
    return Figure(
        key=key,
        name=name,
        unit=unit,
        value=value,
        samples=samples,
        reference=reference,
        target=target,
        passed=False if wrong else passed,
        note=note,
        invalid=wrong,
    )


def impossible_samples(samples_ms: Sequence[float]) -> str:
    """Why latency samples cannot be right (a template of :mod:`andon.bench.words`
    filled in), or ``""``: a latency is never below zero and always a number."""
    odd = [s for s in samples_ms if not math.isfinite(s)]
    if odd:
        return INVALID_SAMPLES_NOT_NUMBERS.format(count=len(odd), samples=len(samples_ms))
    below = [s for s in samples_ms if s < 0]
    if below:
        return INVALID_NEGATIVE_SAMPLES.format(
            count=len(below), samples=len(samples_ms), lowest=f"{min(below):.1f}"
        )
    return ""


def impossible_value(value: float) -> str:
    """Why a single value cannot be right, or ``""``."""
    if not math.isfinite(value):
        return INVALID_NOT_A_NUMBER
    if value < 0:
        return INVALID_NEGATIVE_VALUE.format(value=f"{value:g}")
    return ""


def skipped(key: str, name: str, unit: str, why: str, *, target: str = "") -> Figure:
    """A figure that could not be measured, and why."""
    return Figure(key=key, name=name, unit=unit, target=target, skipped=why)


@dataclass
class Report:
    """Everything one run measured, and where."""

    machine: dict[str, Any]
    quick: bool
    figures: list[Figure] = field(default_factory=list)
    estimates: list[dict[str, Any]] = field(default_factory=list)
    seconds: float = 0.0

    def figure(self, key: str) -> Figure | None:
        return next((f for f in self.figures if f.key == key), None)

    def to_dict(self) -> dict[str, Any]:
        return {
            "machine": self.machine,
            "quick": self.quick,
            "seconds": round(self.seconds, 1),
            "figures": [f.to_dict() for f in self.figures],
            "estimates": self.estimates,
        }
