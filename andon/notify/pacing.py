"""How fast alerts may go: a token bucket per channel, exponential backoff per alert.

Both take the time as an argument (monotonic seconds for the bucket), so they
are exact under a test's clock and need no sleeping.
"""

from __future__ import annotations


class TokenBucket:
    """``burst`` alerts back to back, then ``rate_per_minute`` on average."""

    def __init__(self, rate_per_minute: float, burst: int, now: float) -> None:
        if rate_per_minute <= 0 or burst < 1:
            raise ValueError("expected rate_per_minute > 0 and burst >= 1")
        self.rate_per_s = rate_per_minute / 60.0
        self.burst = float(burst)
        self._tokens = float(burst)
        self._at = now

    def _refill(self, now: float) -> None:
        if now > self._at:
            self._tokens = min(self.burst, self._tokens + (now - self._at) * self.rate_per_s)
            self._at = now

    def wait_s(self, now: float) -> float:
        """Seconds until the next alert may go (0.0: now)."""
        self._refill(now)
        if self._tokens >= 1.0:
            return 0.0
        return (1.0 - self._tokens) / self.rate_per_s

    def take(self, now: float) -> None:
        """Spend one alert's worth (call only when :meth:`wait_s` is 0)."""
        self._refill(now)
        self._tokens -= 1.0


def backoff_s(failures: int, base_s: float, max_s: float) -> float:
    """The wait after the ``failures``-th failed try: ``base_s`` doubling, capped at ``max_s``."""
    if failures < 1:
        return 0.0
    return min(max_s, base_s * 2.0 ** min(failures - 1, 60))
