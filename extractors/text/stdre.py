"""Compile a rule with the standard `re` where it means the same there: long word lists run 2-4x faster.

The rules are written for `regex` (`\\p{L}`, variable look-behinds, repeated group names). Many of the
hottest ones, a word alternation between letter-or-digit boundaries, use nothing `re` lacks but the
boundary class, and `re` spells that one exactly: `[\\p{L}\\p{N}]` is `[^\\W_]` (`re`'s `\\w` is what
`str.isalnum()` accepts, plus `_`; `isalnum()` accepts the Unicode letters and numbers). On normalised
text (`textnorm`: no control characters) `\\s` and `\\d` mean the same in both modules, and so do
`pos`/`endpos` and look-behinds before `pos`. Anything else `regex`-only (`\\p{Lu}`, `\\b`, `\\w`, a
variable-width look-behind, a nested set) keeps the rule in `regex`. `tests/test_stdre.py` checks both
compilations give the same matches on corpus text.

Example: `std_compile(r"(?<![\\p{L}\\p{N}])bổ\\s+nhiệm", regex.IGNORECASE).search("Được Bổ  nhiệm")`
"""
from __future__ import annotations

import re
import warnings

import regex

_SAME = ((r"[\p{L}\p{N}]", r"[^\W_]"),)  # (regex spelling, re spelling) of the same class
_REGEX_ONLY = re.compile(r"\\[pPbBwWXmMLhKGN]|\(\?[Vr]|\(\?\|")  # constructs `re` lacks or reads otherwise
_FLAGS = regex.IGNORECASE | regex.MULTILINE | regex.DOTALL | regex.VERBOSE  # the same bits in `re`
TRANSLATED: dict[tuple[str, int], None] = {}  # the rules compiled by `re` so far (tests compare both readings)


def std_compile(pattern: str, flags: int = 0) -> re.Pattern | regex.Pattern:
    """`pattern` compiled by `re` when it means the same there (see the module doc), else by `regex`."""
    std, rest = pattern, pattern
    for spelled, same in _SAME:
        std, rest = std.replace(spelled, same), rest.replace(spelled, "")
    if flags & ~_FLAGS or _REGEX_ONLY.search(rest):
        return regex.compile(pattern, flags)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error")  # `re` warns of a possible nested set: `regex` may read it otherwise
            compiled = re.compile(std, flags)
    except (re.error, FutureWarning):  # a variable-width look-behind, a repeated group name, ...
        return regex.compile(pattern, flags)
    TRANSLATED[pattern, flags] = None
    return compiled
