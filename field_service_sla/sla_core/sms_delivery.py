"""The pace of SMS sending, free of Odoo: a throughput limit and the backoff
between attempts on a gateway that is down."""

import time


class TokenBucket:
    """At most ``rate`` messages a second, in bursts of at most ``burst``
    (default: one second's worth). ``rate`` 0 or less: no limit.

    ``take()`` blocks (through ``sleep``) until a message may go; ``clock``
    and ``sleep`` are injected so that tests run without waiting."""

    def __init__(self, rate, burst=None, clock=time.monotonic, sleep=time.sleep):
        self.rate = float(rate or 0)
        self.burst = float(burst or max(self.rate, 1.0))
        self.clock = clock
        self.sleep = sleep
        self.tokens = self.burst
        self.stamp = clock()

    def _refill(self):
        now = self.clock()
        self.tokens = min(self.burst, self.tokens + (now - self.stamp) * self.rate)
        self.stamp = now

    def wait_time(self, count=1):
        """Seconds until ``count`` messages may go (0: now)."""
        if self.rate <= 0:
            return 0.0
        self._refill()
        missing = count - self.tokens
        return max(0.0, missing / self.rate)

    def take(self, count=1):
        """Wait until ``count`` messages may go, then count them as gone."""
        if self.rate <= 0:
            return
        delay = self.wait_time(count)
        if delay > 0:
            self.sleep(delay)
            self._refill()
        self.tokens -= count


def backoff_seconds(attempt, base=30, cap=900):
    """Seconds to wait before attempt ``attempt + 1`` after ``attempt``
    failed ones: base, then doubled each time, never more than ``cap``."""
    if attempt < 1:
        return 0
    return min(cap, base * 2 ** (attempt - 1))
