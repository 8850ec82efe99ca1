"""The Vietnamese number parser: notation, words, magnitudes, and the format/parse round trip."""
from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from extractors.numbers import NUMBER_RE, apply_magnitudes, format_vi, parse_number, parse_words


@pytest.mark.parametrize("text,value", [
    ("6.218", 6218),
    ("1.217.000", 1217000),
    ("41,35", 41.35),
    ("96,72", 96.72),
    ("04", 4),
    ("0,5", 0.5),
    ("1.217,5", 1217.5),
    ("15.571,47", 15571.47),
    ("1,217,000", 1217000),   # English grouping, two groups or more
    ("2.5", 2.5),             # English decimal: never three digits after the dot
    ("2000", 2000),
    ("1.000", 1000),
])
def test_parse_number(text, value):
    assert parse_number(text) == pytest.approx(value)


@pytest.mark.parametrize("text", ["", "abc", "1,2,3", "1.2.3", ",5", "1,5.000"])
def test_parse_number_rejects(text):
    assert parse_number(text) is None


def test_whole_values_are_ints():
    assert isinstance(parse_number("6.218"), int)
    assert isinstance(parse_number("41,35"), float)


@pytest.mark.parametrize("text,value", [
    ("hai", 2), ("ba", 3), ("mười", 10), ("mười lăm", 15), ("hai mươi", 20),
    ("hai mươi lăm", 25), ("ba mươi tư", 34), ("hai mươi mốt", 21), ("ba trăm", 300),
    ("một trăm lẻ năm", 105), ("hai nghìn", 2000), ("năm triệu", 5000000),
])
def test_parse_words(text, value):
    assert parse_words(text) == value


@pytest.mark.parametrize("text", ["hai ba", "mươi", "bên", "hai bên", ""])
def test_parse_words_rejects(text):
    assert parse_words(text) is None


@pytest.mark.parametrize("value,words,expected", [
    (1150, ["nghìn"], 1150000),
    (5323, ["triệu"], 5323000000),
    (2000, ["tỷ"], 2000000000000),
    (1.63, ["nghìn tỉ"], 1630000000000),
    (2, ["ngàn"], 2000),
])
def test_apply_magnitudes(value, words, expected):
    assert apply_magnitudes(value, words) == expected


@pytest.mark.parametrize("text,found", [
    ("đạt 41,35% so với", ["41,35"]),
    ("tiếp trên 5.600 lượt với 7.600 người", ["5.600", "7.600"]),
    ("xếp thứ 38/63 tỉnh", ["38"]),      # the denominator is never a number of its own
    ("cách mạng 4.0", ["4.0"]),
])
def test_number_re_finds_whole_numbers(text, found):
    assert [m.group() for m in NUMBER_RE.finditer(text)] == found


@pytest.mark.parametrize("value,decimals,text", [
    (1217000, 0, "1.217.000"), (6218, 0, "6.218"), (41.35, 2, "41,35"), (12, 0, "12"), (1217.5, 1, "1.217,5"),
])
def test_format_vi(value, decimals, text):
    assert format_vi(value, decimals) == text


@settings(max_examples=200, deadline=None)
@given(st.integers(min_value=0, max_value=10**15))
def test_integers_round_trip(n):
    assert parse_number(format_vi(n)) == n


@settings(max_examples=200, deadline=None)
@given(st.integers(min_value=0, max_value=10**12), st.integers(min_value=1, max_value=3))
def test_decimals_round_trip(cents, decimals):
    value = cents / 10**decimals
    assert parse_number(format_vi(value, decimals)) == pytest.approx(value, rel=1e-12, abs=1e-9)


@settings(max_examples=100, deadline=None)
@given(st.integers(min_value=1, max_value=999_999))
def test_found_in_text_round_trip(n):
    text = f"toàn tỉnh có {format_vi(n)} hộ"
    assert [parse_number(m.group()) for m in NUMBER_RE.finditer(text)] == [n]


DIGITS = ["", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín"]


def _words_vi(n: int) -> str:
    """`n` (1-999) in Vietnamese words, as the press writes them (`hai mươi mốt`, `một trăm lẻ năm`)."""
    def tens(k: int) -> str:
        t, u = divmod(k, 10)
        if t == 0:
            return DIGITS[u]
        head = "mười" if t == 1 else f"{DIGITS[t]} mươi"
        tail = {0: "", 1: "mốt" if t > 1 else "một", 4: "tư" if t > 1 else "bốn", 5: "lăm"}.get(u, DIGITS[u])
        return f"{head} {tail}".strip()
    h, rest = divmod(n, 100)
    if h == 0:
        return tens(rest)
    if rest == 0:
        return f"{DIGITS[h]} trăm"
    return f"{DIGITS[h]} trăm " + (f"lẻ {DIGITS[rest]}" if rest < 10 else tens(rest))


@settings(max_examples=200, deadline=None)
@given(st.integers(min_value=1, max_value=999))
def test_words_round_trip(n):
    assert parse_words(_words_vi(n)) == n
