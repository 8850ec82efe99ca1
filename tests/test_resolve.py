"""The resolver: precedence between kinds is the registry's data (`Kind.yield_to`, `Kind.conflicts`)."""
from __future__ import annotations

from extractors.facts import DateFact, Document, Indicator, Person
from extractors.registry import get
from extractors.resolve import resolve

TEXT = "Luật số 10/2022/QH15 ngày 5/3/2022 có 12 điều"
LAW = Document(id="10/2022/QH15", type="Luật", number="10", start=0, end=20, text=TEXT[0:20], year=2022)
INSIDE = DateFact(kind="month", value="2022-10", start=8, end=15, text="10/2022")   # the law's number
AFTER = DateFact(kind="date", value="2022-03-05", start=21, end=34, text="ngày 5/3/2022")
TEN = Indicator(value=10, unit="điều", start=8, end=10, text="10")                # overlaps the law
TWELVE = Indicator(value=12, unit="điều", start=38, end=45, text="12 điều")
NAME = Person(name="Luật", start=0, end=4, text="Luật")                            # people yield to nobody


def test_declared_precedence():
    assert get("dates").yield_to == ("documents",) and get("indicators").yield_to == ("documents", "dates")
    assert get("people").yield_to == () and get("documents").yield_to == ()


def test_a_date_inside_a_document_number_yields_a_later_one_stays():
    out = resolve({"documents": [LAW], "dates": [INSIDE, AFTER], "people": [NAME], "indicators": [TEN, TWELVE]})
    assert out["documents"] == [LAW] and out["people"] == [NAME]
    assert out["dates"] == [AFTER]
    assert out["indicators"] == [TWELVE]


def test_conflict_is_the_kinds_rule_not_mere_overlap():
    """dates.in_document: an overlapping date yields only when its number is part of the document's."""
    other = Document(id="99/QĐ-UBND", type="Quyết định", number="99", start=0, end=20, text=TEXT[0:20])
    assert resolve({"documents": [other], "dates": [INSIDE]})["dates"] == [INSIDE]  # `10/2022` is not in it
    assert resolve({"documents": [LAW], "dates": [INSIDE]})["dates"] == []
