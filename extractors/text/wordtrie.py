"""A word list as a prefix-factored regex alternation: the same matches as `longest|...|shortest`, faster.

The `regex` module tries a flat alternation branch by branch at every position of the text; with 70
trigger verbs that is most of a kind's time. Factored by common prefixes (`bổ\\s+nhiệm|bổ\\s+sung` ->
`bổ\\s+(?:nhiệm|sung)`), a position is given up after its first letters.

Same matches: at one position, two words can both match only when one is a prefix of the other (a
different letter at the same place cannot match the same text), and the factored pattern tries a longer
word before its prefix, as the flat one does (longest first). Case variants (`Quyết`/`quyết`) could both
match under IGNORECASE, so a node whose children differ only in case is left flat (longest first).

Example: `factored(["bổ nhiệm", "bổ sung", "bổ"])` -> `bổ(?:\\s+(?:nhiệm|sung)|)`
"""
from __future__ import annotations

import re

import regex


def factored(words, spaces: str = r"\s+") -> str:
    """The words (stripped, deduplicated) as one factored alternation body (no outer group).

    A space in a word matches `spaces`; an empty list gives an empty body, as the flat alternation does.
    """
    words = sorted({w.strip() for w in words if w and w.strip()}, key=len, reverse=True)
    return _emit(words, 0, spaces) if words else ""


def _piece(ch: str, spaces: str) -> str:
    return spaces if ch == " " else regex.escape(ch)


def _flat(words: list[str], depth: int, spaces: str) -> str:
    """The suffixes from `depth` on as a flat alternation, longest first (`words` is sorted so)."""
    return "|".join("".join(_piece(ch, spaces) for ch in w[depth:]) for w in words)


def _emit(words: list[str], depth: int, spaces: str) -> str:
    """The alternation of `words[i][depth:]`; `words` share their first `depth` characters, longest first."""
    ends = any(len(w) == depth for w in words)
    children: dict[str, list[str]] = {}
    for w in words:
        if len(w) > depth:
            children.setdefault(w[depth], []).append(w)  # each child keeps the longest-first order
    if _case_variants(list(children)):
        return _group(_flat(words, depth, spaces))
    branches = []
    for ch, group in sorted(children.items(), key=lambda kv: -len(kv[1][0])):  # longest word first
        tail = _emit(group, depth + 1, spaces)
        branches.append(_piece(ch, spaces) + tail)
    if ends:
        branches.append("")  # the word that ends here, after every longer one
    return branches[0] if len(branches) == 1 else _group("|".join(branches))


def _group(body: str) -> str:
    return f"(?:{body})" if "|" in body else body


def _case_variants(chars: list[str]) -> bool:
    """Whether two of the characters are the same letter in another case (`Q`, `q`)."""
    seen = set()
    for ch in chars:
        keys = {ch.casefold(), ch.lower(), ch.upper()}
        if keys & seen:
            return True
        seen |= keys
    return False


def first_words(words) -> re.Pattern:
    """A standard-`re` pattern of the words' first words, as written (`nhà` of `nhà báo`): where a
    case-sensitive pattern opening with one of the words can start (see `finditer_from`)."""
    heads = {w.split()[0] for w in words if w and w.strip()}
    return re.compile("|".join(re.escape(h) for h in sorted(heads, key=len, reverse=True)))  # no words: anywhere


def finditer_from(pattern: regex.Pattern, starts: re.Pattern, text: str):
    """The matches of `pattern.finditer(text)`, with `pattern` tried only where `starts` matches.

    `starts` must match wherever a match of `pattern` starts; the standard `re` finds those places
    several times faster than `regex` tries every position (and `pattern`'s look-behinds still see the
    text before). Example: `list(finditer_from(regex.compile("nhà báo"), first_words(["nhà báo"]), "nhà báo"))`
    """
    pos = 0
    while (c := starts.search(text, pos)) is not None:
        m = pattern.match(text, c.start())
        if m is not None:
            yield m
            pos = max(m.end(), c.start() + 1)
        else:
            pos = c.start() + 1
