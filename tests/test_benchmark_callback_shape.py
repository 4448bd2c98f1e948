"""The callback-shape benchmark answers every shape it times (a body Dash did not route
would make it time an error page, so it stops instead)."""

from __future__ import annotations

from benchmarks import callback_shape


def test_every_shape_is_answered_and_timed():
    medians = callback_shape.measure(repeats=3)
    assert list(medians) == ["1 → 1 (floor)", "19 → 14 (the index callback)",
                             "12 → 7 (without the weights)", "5 + ALL(7) → 6 + ALL(7)"]
    assert all(ms > 0 for ms in medians.values())
