"""Numbers as readers write them: ``figures.format_number`` (Python's formatting where it
writes the same digits, ``Decimal`` for ties) against a plain
``Decimal`` reference, on random values and the cases the fast path must hand over (ties,
exponent form, minus zero).
"""

from __future__ import annotations

import random
from decimal import ROUND_HALF_UP, Decimal

import pytest

from dashboards import figures


def reference(value: float, decimals: int, lang: str) -> str:
    """Half away from zero on the shortest repr, by ``Decimal`` alone (the definition)."""
    decimal_sep, group_sep = figures.SEPARATORS[lang]
    exact = Decimal(repr(value)).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    text = f"{abs(exact):,.{decimals}f}"
    text = text.replace(",", "\x00").replace(".", decimal_sep).replace("\x00", group_sep)
    if exact < 0:
        text = (figures.MINUS if lang in ("fi", "sv") else "-") + text
    return text


def _values(seed: int) -> list[float]:
    rng = random.Random(seed)
    out: list[float] = []
    for _ in range(10_000):
        out.append(rng.uniform(-1e6, 1e6))
        out.append(rng.uniform(-1, 1) * 10 ** rng.randint(-7, 9))
        # A few decimals, as statistics are published: often exactly a tie when rounded.
        n = rng.randint(0, 4)
        out.append(rng.randint(-10**7, 10**7) / 10 ** n)
        out.append(rng.randint(-10**5, 10**5) / 10 ** n + 5 / 10 ** (n + 1))  # x.xx5
    return out


@pytest.mark.parametrize("decimals", [0, 1, 2, 3])
@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_numbers_are_written_as_decimal_rounding_writes_them(decimals, lang):
    figures._WRITTEN.clear()
    values = _values(decimals)
    got = [figures.format_number(v, decimals, lang) for v in values]
    assert got == [reference(v, decimals, lang) for v in values]
    assert got == [figures.format_value(v, decimals, "", lang) for v in values]  # kept ones
    figures._WRITTEN.clear()
    assert figures.format_numbers(values, decimals, lang) == got  # new ones, in one loop


def test_units_missing_values_and_numpy_numbers():
    import numpy as np

    values = [12.25, None, float("nan"), np.float64(-3.5), np.int64(7), float("inf"), -0.04]
    assert [figures.format_value(v, 1, "%", "fi") for v in values] == [
        "12,3\u00a0%", "", "", "\u22123,5\u00a0%", "7,0\u00a0%", "", "0,0\u00a0%"]
    assert [figures.format_value(v, 1, "%", "en") for v in values] == [
        "12.3%", "", "", "-3.5%", "7.0%", "", "0.0%"]
    assert figures.format_value(1234.5, 0, "henkilöä", "fi") == "1\u202f235\u00a0henkilöä"
    for unit in ("%", "henkilöä", "indeksi", ""):
        for lang in ("fi", "sv", "en"):
            figures._WRITTEN.clear()
            assert figures.format_values(values, 1, unit, lang) == [
                figures.format_value(v, 1, unit, lang) for v in values]


@pytest.mark.parametrize(("value", "decimals", "fi"), [
    (31.25, 1, "31,3"),  # exactly a tie in binary: Python alone would write 31,2
    (0.15, 1, "0,2"),  # 0.1499999… in binary, a tie as written
    (2.5, 0, "3"),
    (-2.5, 0, "\u22123"),
    (-0.04, 1, "0,0"),  # no minus zero
    (-0.0, 1, "0,0"),
    (-1234.04, 1, "\u22121\u202f234,0"),
    (1e-05, 4, "0,0000"),  # exponent form
    (1.5e-05, 5, "0,00002"),
    (1234567.891, 2, "1\u202f234\u202f567,89"),
    (1e16, 0, "10\u202f000\u202f000\u202f000\u202f000\u202f000"),
    # From 1e16 up Python writes the binary value's digits (…566 097 272 832), not the repr's.
    (1.2345678901234566e+25, 0,
     "12\u202f345\u202f678\u202f901\u202f234\u202f566\u202f000\u202f000\u202f000"),
    (5e-05, 4, "0,0001"),  # a tie in exponent form
    (-2.4999999999999996, 0, "\u22122"),  # just below a tie, never taken for one
])
def test_known_cases(value, decimals, fi):
    figures._WRITTEN.clear()
    assert figures.format_number(value, decimals, "fi") == fi
    assert reference(value, decimals, "fi") == fi
    figures._WRITTEN.clear()
    assert figures.format_numbers([value, 12.0], decimals, "fi")[0] == fi  # among others


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_numbers_written_together_are_written_as_one_at_a_time(lang):
    """Written together in one string when none needs a closer look (index scores, most
    statistics; groups and minus signs replaced at once), ties, exponent forms and
    negatives near zero one by one."""
    rng = random.Random(7)
    plain = [rng.uniform(0, 998.9) for _ in range(5000)]
    plain = [v for v in plain if reference(v, 1, lang) == f"{v:.1f}".replace(
        ".", figures.SEPARATORS[lang][0])]  # no tie among them: the joined path
    groups_and_minus = [-1234.04, 998.96, 999.0, 1234567.891, -3.0, -0.07]  # no tie
    for values in (plain, [*plain[:50], -3.0, -12.34, 998.94], [],
                   [*plain[:50], *groups_and_minus, *plain[50:100]],
                   [*plain[:50], 31.25, -0.0, -0.04, 1e16, *groups_and_minus]):
        figures._WRITTEN.clear()
        assert figures.format_numbers(values, 1, lang) == [reference(v, 1, lang)
                                                           for v in values]


def test_the_kept_numbers_are_bounded(monkeypatch):
    monkeypatch.setattr(figures, "_WRITTEN_MAX", 10)
    figures._WRITTEN.clear()
    texts = [figures.format_number(v / 10, 1, "fi") for v in range(25)]
    assert texts[3] == "0,3" and texts[24] == "2,4"
    assert 0 < len(figures._WRITTEN) <= 10
    assert figures.format_number(0.3, 1, "fi") == "0,3"  # written again after emptying
