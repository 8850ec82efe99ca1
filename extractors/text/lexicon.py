"""The word lists every fact kind shares, compiled once per gazetteer: one `Lexicon`.

- provinces (`gazetteer/provinces.yaml`): surface form -> province, one pattern, and the one rule for
  "which province is this article about" (`article_province`);
- honorifics (`ông`, `bà`, `đồng chí`, ... from `gazetteer/titles.yaml: honorifics`);
- office qualifiers: the former-office words (`nguyên`, `cựu`) and the others kept with a title
  (`tân`, `quyền`), from `titles.yaml: former` and `qualifiers`;
- administrative levels (`tỉnh`, `huyện`, `xã`, ... from `titles.yaml: place_levels`);
- `alternation`, the one helper that turns a word list into a regex alternation.

Kinds receive it as `extract(doc, lexicon)`; `lexicon.load(name)` and `lexicon.derived(key, build)`
reach the gazetteer's files and cache.

Example: `lexicon = Lexicon.of(load_gazetteer()); lexicon.province_of["Lai Châu"] == "Lai Châu"`
"""
from __future__ import annotations

import collections
import unicodedata
from typing import Any, Callable

import regex

from extractors.text.wordtrie import factored
from gazetteer import Gazetteer, load_gazetteer


def alternation(words, spaces: str = r"\s+", group: bool = True) -> str:
    r"""A regex alternation of literal words, longest first, a space matching `spaces`.

    Example: `alternation(["tỷ", "nghìn tỷ"]) == r"(?:(?:nghìn\s+tỷ|tỷ))"` (factored: `extractors.text.wordtrie`)
    """
    body = factored(words, spaces)  # prefix-factored: the same matches as `longest|...|shortest`
    return f"(?:{body})" if group else body


def bounded(alt: str, flags: int = 0) -> regex.Pattern:
    """`alt` as a pattern that matches whole words only (no letter or digit on either side)."""
    return regex.compile(rf"(?<![\p{{L}}\p{{N}}])(?:{alt})(?![\p{{L}}\p{{N}}])", flags)


class Lexicon:
    """The shared, compiled word lists of one gazetteer (see the module docstring); built once.

    Example: `Lexicon.of(gaz).office_qualifiers` -> `frozenset({"nguyên", "cựu", "tân", "quyền"})`
    """

    def __init__(self, gaz: Gazetteer):
        self.gaz = gaz
        titles = gaz.load("titles")
        honorifics = titles["honorifics"]
        self.strong_honorifics: tuple[str, ...] = tuple(honorifics["strong"])
        self.weak_honorifics: tuple[str, ...] = tuple(honorifics["weak"])
        self.pronouns: tuple[str, ...] = tuple(honorifics["pronouns"])        # `ông`, `bà` as a subject
        self.list_honorifics: tuple[str, ...] = tuple(honorifics["list_items"])  # before a listed person
        self.former_words: tuple[str, ...] = tuple(titles["former"])        # `nguyên`, `cựu` (both cases)
        self.qualifier_words: tuple[str, ...] = tuple(titles["qualifiers"])  # `tân`, `quyền` (both cases)
        self.office_qualifiers = frozenset(w.lower() for w in self.former_words + self.qualifier_words)
        self.admin_levels: tuple[str, ...] = tuple(titles["place_levels"])
        self.province_of = self._province_forms(gaz)
        self.province_re = bounded(alternation(self.province_of, group=False))
        self._provinces_in: tuple[str | None, list] = (None, [])  # the last text `province_mentions` scanned

    @staticmethod
    def of(gaz: "Gazetteer | Lexicon | None" = None) -> "Lexicon":
        """The lexicon of a gazetteer (built on first use, then cached with it); a lexicon is returned as is."""
        if isinstance(gaz, Lexicon):
            return gaz
        return (gaz or load_gazetteer()).derived("lexicon", Lexicon)

    def load(self, name: str) -> Any:
        """A gazetteer file (see `Gazetteer.load`)."""
        return self.gaz.load(name)

    def derived(self, key: str, build: Callable[[Gazetteer], Any]) -> Any:
        """A structure compiled once per gazetteer (see `Gazetteer.derived`)."""
        return self.gaz.derived(key, build)

    @staticmethod
    def _province_forms(gaz: Gazetteer) -> dict[str, str]:
        """Surface form -> province name: names, full names (`Thành phố Hà Nội`), aliases, each also
        with the old tone-mark placement (`Khánh Hoà`), and `Thành phố Hồ Chí Minh`."""
        forms: dict[str, str] = {}
        for row in gaz.load("provinces")["provinces"]:
            for form in [row["name"], row.get("full"), *(row.get("aliases") or [])]:
                if form:
                    for variant in {form, form.replace("óa", "oá").replace("òa", "oà").replace("ủy", "uỷ")}:
                        forms[unicodedata.normalize("NFC", variant)] = row["name"]
        forms.setdefault("Thành phố Hồ Chí Minh", "Hồ Chí Minh")
        return forms

    def province_mentions(self, text: str) -> list[tuple[int, int, str]]:
        """Every province named in `text` as (start, end, name). Three kinds ask about the same article:
        the last text's answer is kept (one scan per article).

        Example: `Lexicon.of(gaz).province_mentions("tỉnh Lai Châu")` -> `[(5, 13, "Lai Châu")]`
        """
        last = self._provinces_in
        if last[0] is not text:
            last = self._provinces_in = (text, [(m.start(), m.end(), self.province_of[m.group()])
                                                for m in self.province_re.finditer(text)])
        return list(last[1])

    def article_province(self, doc) -> str | None:
        """The province the article is about: the most mentioned (a mention in the title counts
        thrice), if mentioned at least twice.

        Example: an article about Lai Châu naming it in its title -> `"Lai Châu"`
        """
        counts: collections.Counter = collections.Counter()
        title = (doc.meta or {}).get("title") or ""
        for m in self.province_re.finditer(title):
            counts[self.province_of[m.group()]] += 3
        for _, _, name in self.province_mentions(doc.text):
            counts[name] += 1
        if not counts:
            return None
        best, n = counts.most_common(1)[0]
        return best if n >= 2 else None


