"""The sliding-window limiter, on a simulated clock (no real waiting)."""

from digiindicators.sources.http import RateLimiter, parse_retry_after


class Clock:
    def __init__(self):
        self.now = 0.0

    def __call__(self):
        return self.now

    def sleep(self, seconds):
        self.now += seconds


def _calls_per_window(times, window):
    return max(sum(1 for t in times if start <= t < start + window) for start in times)


def test_never_more_than_the_margin_allows_in_any_window():
    clock = Clock()
    limiter = RateLimiter(40, 60, margin=0.1, clock=clock, sleep=clock.sleep)
    times = []
    for _ in range(200):
        limiter.acquire()
        times.append(clock.now)
        clock.now += 0.01  # a fast client
    assert limiter.max_calls == 36
    assert _calls_per_window(times, 60) <= 36
    # ...and it is not needlessly slow: 200 calls at 36 per ~60 s take about 5 windows.
    assert clock.now < 6 * 61


def test_block_for_holds_every_caller_back():
    clock = Clock()
    limiter = RateLimiter(10, 1, clock=clock, sleep=clock.sleep)
    limiter.acquire()
    limiter.block_for(5)
    limiter.acquire()
    assert clock.now >= 5


def test_retry_after_forms():
    assert parse_retry_after("7", 1) == 7
    assert parse_retry_after(None, 3) == 3
    assert parse_retry_after("garbage-date", 2) == 2
    assert parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT", 2) == 0
