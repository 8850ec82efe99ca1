"""The appointments kind's facts and its compiled rules (`gazetteer/appointments.yaml`).

`Office` and `Appointment` are the facts; `appointment_data(lexicon)` compiles the YAML's verb, link,
plan and career lists once per lexicon, for `extractors.appointments`.

Example: `appointment_data(Lexicon.of(load_gazetteer())).trigger_re.search("được bổ nhiệm giữ chức")`
"""
from __future__ import annotations

from dataclasses import dataclass

import regex

from extractors.text.stdre import std_compile
from extractors.facts import Title
from extractors.text.lexicon import Lexicon, alternation
from extractors.text.textnorm import fold


# An office is parsed like a title (`Cục trưởng Cục Hải quan Hà Nội`: role, organisation, province);
# the export keeps text, offsets, role, organisation and province (`appointments.to_json`).
Office = Title


@dataclass(frozen=True, slots=True)
class Appointment:
    """One change of office of one person; `start`/`end` is the trigger verb (`bổ nhiệm`)."""
    person: str
    event: str
    start: int
    end: int
    text: str
    person_start: int
    person_end: int
    office_left: Office | None = None
    office_taken: Office | None = None
    body: str | None = None
    decision: str | None = None       # the cited document's id (`documents`), `1234/QĐ-TCHQ`
    effective: str | None = None      # ISO date the change takes effect, when stated
    reported: str | None = None       # the article's publication date
    public: bool = True


@dataclass
class AppointmentData:
    """Compiled patterns from `gazetteer/appointments.yaml`."""
    trigger_re: regex.Pattern
    event_of: dict               # folded trigger -> event
    subject_only: frozenset      # folded triggers whose person is the subject before them
    succession: frozenset        # `kế nhiệm`: dropped where another verb reports the same person's change
    need_office: frozenset
    generic: frozenset           # `trao quyết định`: the next verb names the event
    not_before_re: regex.Pattern
    not_after_re: regex.Pattern
    described_re: regex.Pattern    # `một thủy thủ đã nghỉ hưu`: a state, not an event
    not_trigger_re: regex.Pattern
    acting_re: regex.Pattern
    resign_re: regex.Pattern
    link_re: regex.Pattern
    office_word_re: regex.Pattern
    extra_role_re: regex.Pattern
    plan_re: regex.Pattern
    modal_re: regex.Pattern
    plan_after_re: regex.Pattern
    career_re: regex.Pattern
    opener_re: regex.Pattern      # a career or a plan opening the sentence
    career_range_re: regex.Pattern
    not_office_re: regex.Pattern
    body_office_re: regex.Pattern
    private_re: regex.Pattern
    body_re: regex.Pattern
    effective_re: regex.Pattern
    kept_re: regex.Pattern
    subject_before_re: regex.Pattern
    clause_break_re: regex.Pattern
    object_link_re: regex.Pattern
    former_head_re: regex.Pattern  # `nguyên `, `cựu `: the lexicon's former-office words (titles.yaml)
    subject_gap_re: regex.Pattern  # adverbs between a subject the people extractor missed and its verb
    subject_heads: frozenset       # `Tướng`: a word before such a name, no part of it
    also_re: regex.Pattern         # ` kiêm `: a second office held with the one taken
    announced: frozenset           # `trở thành`: a verb of change only when announced
    announce_re: regex.Pattern     # `thông báo`: a `sẽ` after it is decided
    announce_opener_re: regex.Pattern
    interim_re: regex.Pattern
    announce_after_re: regex.Pattern
    task_re: regex.Pattern         # `quản lý và điều hành`: an office worded as a task
    task_stop_re: regex.Pattern
    replaced_re: regex.Pattern     # `thay cho ông `: the person after it is replaced
    trust_re: regex.Pattern
    pronoun_re: regex.Pattern      # a subject standing for a person named before
    replacement: frozenset         # `thay bằng`: takes the office left before it in the sentence
    end_of_post: frozenset         # `kết thúc nhiệm vụ`: the event of a leaving verb before it
    career_after_re: regex.Pattern


def _alternation(phrases) -> str:
    return alternation(phrases, group=False)


def _words(phrases, flags=regex.IGNORECASE, compiler=std_compile) -> regex.Pattern:
    return compiler(rf"(?<![\p{{L}}\p{{N}}])(?:{_alternation(phrases)})(?![\p{{L}}\p{{N}}])", flags)


def phrase_key(phrase: str) -> str:
    return fold(" ".join(phrase.split()))


def build_data(gaz) -> AppointmentData:
    d = gaz.load("appointments")
    i = regex.IGNORECASE
    end = r"(?![\p{L}\p{N}])"
    verbs = [v for vs in d["events"].values() for v in vs] + d["announced_triggers"] + d["replacement_triggers"] \
        + d["end_triggers"]
    return AppointmentData(
        trigger_re=std_compile(
            rf"(?<![\p{{L}}\p{{N}}])(?:{_alternation(verbs)}|(?:{_alternation(d['removal_triggers'])})"
            rf"(?=(?:\s+\S+){{1,5}}?\s+(?:{_alternation(d['removal_words'])}){end}))(?![\p{{L}}\p{{N}}])", i),
        event_of={**{phrase_key(v): "appointed" for v in d["announced_triggers"] + d["replacement_triggers"]},
                  **{phrase_key(v): "dismissed" for v in d["removal_triggers"] + d["end_triggers"]},
                  **{phrase_key(v): event for event, verbs in d["events"].items() for v in verbs}},
        subject_only=frozenset(phrase_key(v) for v in d["subject_triggers"] + d["announced_triggers"] + d["end_triggers"]),
        end_of_post=frozenset(phrase_key(v) for v in d["end_triggers"]),
        succession=frozenset(phrase_key(v) for v in d["succession_triggers"] + d["announced_triggers"]),
        need_office=frozenset(phrase_key(v) for v in d["need_office"] + d["announced_triggers"]),
        replacement=frozenset(phrase_key(v) for v in d["replacement_triggers"]),
        career_after_re=_words(d["career_after"]),
        announced=frozenset(phrase_key(v) for v in d["announced_triggers"]),
        announce_re=_words(d["announce_cues"]),
        announce_opener_re=std_compile(rf"[\s\"“'‘]*(?:{_alternation(d['announce_openers'])}){end}"),
        interim_re=_words(d["interim_cues"], 0),
        announce_after_re=_words(d["announce_after"]),
        task_re=std_compile(rf"(?:{_alternation(d['task_offices'])}){end}"),
        task_stop_re=std_compile(rf"[,;.:!?()\"“”]|(?<![\p{{L}}\p{{N}}])(?:{_alternation(d['task_stops'])}){end}"),
        replaced_re=std_compile(rf"(?<![\p{{L}}\p{{N}}])(?:{_alternation(d['replaced_cues'])})\s+"
                                  rf"(?:(?:ông|bà|HLV|Đô đốc|Tướng)\s+)?$"),
        trust_re=std_compile(rf",?\s*(?<![\p{{L}}\p{{N}}])(?:{_alternation(d['trust_words'])}){end}\s*,?"),
        pronoun_re=std_compile(rf"[\s\"“'‘]*(?:(?:{_alternation(d['pronoun_openers'])})(?:\s+[\d/]+)?\s*,?\s+)?"
                                 rf"(?P<pro>Ông|Bà|ông|bà|(?:Vị|vị)(?:\s+\p{{Ll}}+){{1,2}}\s+này"
                                 rf"|[\"“][^\"“”]{{2,25}}[\"”](?:\s+\d{{1,3}}\s+tuổi)?)(?=\s)"),
        generic=frozenset(phrase_key(v) for v in d["generic_triggers"]),
        not_trigger_re=_words(d["not_triggers"], compiler=regex.compile),  # (regex: a literal start it finds fast)
        described_re=std_compile(d["described_before"]),
        not_after_re=std_compile(rf"(?<![\p{{L}}\p{{N}}])(?:{_alternation(d['not_after'])})\s+$", i),
        not_before_re=std_compile(rf"\s+(?:{_alternation(d['not_before'])}){end}", i),
        acting_re=_words(d["acting_office"], 0),
        resign_re=_words(d["resign_reasons"]),
        link_re=std_compile(rf"(?<![\p{{L}}\p{{N}}])(?:{_alternation(d['office_links'])}){end}\s*:?\s*", i),
        office_word_re=std_compile(rf"(?:{_alternation(d['office_words'])}){end}\s*", i),
        extra_role_re=std_compile(rf"(?:{_alternation(d['extra_roles'])}){end}"),
        plan_re=_words(d["plan_cues"], 0),
        modal_re=_words(d["modal_cues"]),
        plan_after_re=_words(d["plan_after"]),
        career_re=_words(d["career_cues"]),
        opener_re=std_compile(rf"[\s\"“'‘]*(?:{_alternation(d['career_openers'] + d['plan_openers'])}){end}"),
        career_range_re=std_compile(rf"(?<![\p{{L}}\p{{N}}])(?:{_alternation(d['career_ranges'])})\s[^,;.]{{1,25}}?\sđến\s"),
        not_office_re=_words(d["not_offices"], 0),
        body_office_re=std_compile(rf"(?:{_alternation(d['body_heads'])}){end}"),
        private_re=_words(d["private_bodies"], 0),
        body_re=_words(d["body_heads"], 0),
        effective_re=std_compile(rf"(?<![\p{{L}}\p{{N}}])(?:{_alternation(d['effective_cues'])})\s*$", i),
        kept_re=std_compile(rf"(?:{_alternation(d['kept_titles'])}){end}"),
        clause_break_re=_words(d["clause_breaks"]),
        object_link_re=std_compile(rf"(?<![\p{{L}}\p{{N}}])(?:{_alternation(d['object_links'])})\s+"
                                     rf"(?:\S+\s+){{0,2}}$"),
        subject_before_re=std_compile(rf"(?<![\p{{L}}\p{{N}}])(?:{_alternation(d['subject_before'])})\s*$", i),
        former_head_re=std_compile(rf"(?:{_alternation(Lexicon.of(gaz).former_words)})\s+"),
        subject_heads=frozenset(d["subject_heads"]),
        also_re=std_compile(rf"\s*,?\s+(?:{_alternation(d['also_links'])})\s+"),
        subject_gap_re=std_compile(rf"(?:\s+(?:{_alternation(d['subject_adverbs'])}))*\s*$"),
    )


def appointment_data(lexicon) -> AppointmentData:
    return lexicon.derived("appointments.patterns", build_data)
