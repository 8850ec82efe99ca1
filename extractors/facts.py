"""The fact records every extractor returns.

Every fact carries its provenance: character offsets (`start`, `end`) into the
article's cleaned text and the `text` found there. The sentence index is added
by storage from the offsets. Facts are frozen and sorted by offset.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, fields


@dataclass(frozen=True, slots=True)
class Title:
    """One title as the text words it, parsed into role and organisation.

    Example: `Bí thư Tỉnh ủy Lai Châu` -> role `Bí thư`, organisation `Tỉnh ủy Lai Châu`.
    """
    text: str
    start: int
    end: int
    role: str | None = None
    organisation: str | None = None
    province: str | None = None
    completed: str | None = None  # context-completed form, e.g. `Chủ tịch UBND tỉnh Lai Châu`
    former: bool = False           # `nguyên ...`


@dataclass(frozen=True, slots=True)
class Person:
    """A person named in the article, once per article, with every title given anywhere."""
    name: str
    start: int
    end: int
    text: str
    titles: tuple[Title, ...] = ()
    mentions: tuple[tuple[int, int], ...] = ()  # every (start, end) that refers to this person
    aliases: tuple[str, ...] = ()
    professions: tuple[str, ...] = ()  # honours before a mention (`HLV`, `tiền đạo`, `ca sĩ`): not titles


@dataclass(frozen=True, slots=True)
class Document:
    """A numbered party or state document cited in the article (`120-KL/TW`)."""
    id: str
    type: str | None
    number: str
    start: int
    end: int
    text: str
    code: str | None = None     # `KL`, `QĐ-UBND`, ...
    year: int | None = None
    issuer: str | None = None
    term: str | None = None
    date: str | None = None     # issue date, ISO
    subject: str | None = None
    resolved: bool = True       # False when the id is only `<type> <number>`


@dataclass(frozen=True, slots=True)
class DateFact:
    """A date, period or other time expression. `kind`: date, period, day, month, quarter, half, year, open_range."""
    kind: str
    value: str
    start: int
    end: int
    text: str


@dataclass(frozen=True, slots=True)
class Indicator:
    """A quantity the article reports: value with Vietnamese notation resolved, unit, qualifier."""
    value: float
    unit: str
    start: int
    end: int
    text: str
    qualifier: str | None = None
    measure: str | None = None   # the phrase it measures
    period: str | None = None
    place: str | None = None     # province named in the same sentence
    province: str | None = None  # `place`, else the province the article is about


def to_dict(fact) -> dict:
    """The fact as plain JSON-ready data (nested dataclasses become dicts)."""
    return asdict(fact)


def field_names(cls) -> list[str]:
    return [f.name for f in fields(cls)]
