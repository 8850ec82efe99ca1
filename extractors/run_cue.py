"""The cue before one run of capitalised syllables, asked lazily by the name rules (`extractors/names.py`).

Most runs only need to know whether a strong cue (an honorific, a rank) ends before them, a set look-up;
the full answer (a title before the run: `title_finder.role_title_ending`) is worked out only when it
decides something. `asked` records whether the rules asked at all: a name is `cued` only when they did.
"""
from __future__ import annotations


class RunCue:
    """`cue_before(pos)` for one run, memoised; `strong()` without the title search when `strong_at` is given.

    Example: `RunCue(False, 9, cue_before, {9}.__contains__).strong()` -> True (an honorific ends at 9)
    """
    __slots__ = ("head", "pos", "cue_before", "strong_at", "asked", "_value", "_known")

    def __init__(self, head: bool, pos: int, cue_before, strong_at=None):
        self.head = head  # a capitalised honorific opens the run (`Ông Nguyễn Thiện Nhân`): a strong cue
        self.pos = pos
        self.cue_before = cue_before
        self.strong_at = strong_at  # pos -> whether `cue_before(pos)` is "strong"
        self.asked = False
        self._value: str | None = None
        self._known = False

    def __call__(self) -> str | None:
        """"strong", "title", "title-after-comma", "appositive" or None (see `find_names`)."""
        self.asked = True
        if not self._known:
            self._value = "strong" if self.head else self.cue_before(self.pos)
            self._known = True
        return self._value

    def strong(self) -> bool:
        """Whether the cue is "strong"."""
        self.asked = True
        if self.head:
            return True
        if self.strong_at is None or self._known:
            return self() == "strong"
        return self.strong_at(self.pos)

    def given(self) -> bool:
        """Whether the rules asked for the cue and there is one."""
        return self.asked and bool(self())
