"""The short satisfaction survey offered with a returned dossier and an answered petition (pure).

The questions of the national satisfaction survey (the Decision 766 satisfaction group, MDHL,
"citizen ratings (very satisfied … dissatisfied)", domain.md section 3) were not found in full.
haicap asks this documented set instead: how satisfied the person is with each of three aspects
of the service and overall, each answered on the national scale's three levels. The rating is
*satisfied* when its overall question is answered "very satisfied" or "satisfied"; the
satisfaction rate is satisfied ratings / ratings (haicap's formula, stated with the Decision 766
index).
"""

from dataclasses import dataclass
from enum import StrEnum


class Level(StrEnum):
    VERY_SATISFIED = "very_satisfied"
    SATISFIED = "satisfied"
    DISSATISFIED = "dissatisfied"


SATISFIED_LEVELS = frozenset({Level.VERY_SATISFIED, Level.SATISFIED})


@dataclass(frozen=True)
class Question:
    code: str  # stored in a rating's answers: never renamed
    text: str  # in English; pages translate it
    subject: str  # "dossier", "petition" or "both"


def _(text: str) -> str:
    """Marks a question for the translation catalogue (``makemessages`` reads ``_("…")``); the
    pages show it with ``gettext(question.text)``. This module stays pure."""
    return text


OVERALL = "overall"
QUESTIONS = (
    Question("guidance", _("How satisfied are you with the guidance you were given?"), "dossier"),
    Question(
        "on_time", _("How satisfied are you with the time it took to get the result?"), "dossier"
    ),
    Question("conduct", _("How satisfied are you with how the officers served you?"), "both"),
    Question("answer", _("How satisfied are you with what the answer says?"), "petition"),
    Question(OVERALL, _("Overall, how satisfied are you?"), "both"),
)


class BadAnswers(ValueError):
    """Answers that do not fit the survey (English; callers translate)."""


def questions_for(subject: str) -> tuple[Question, ...]:
    return tuple(q for q in QUESTIONS if q.subject in (subject, "both"))


def checked(subject: str, answers: dict[str, str]) -> dict[str, str]:
    """The answers as stored: every question of ``subject`` answered with a known level, no
    other key. Raises ``BadAnswers``."""
    wanted = {q.code for q in questions_for(subject)}
    unknown = set(answers) - wanted
    if unknown:
        raise BadAnswers(f"unknown questions: {', '.join(sorted(unknown))}")
    missing = wanted - set(answers)
    if missing:
        raise BadAnswers(f"unanswered questions: {', '.join(sorted(missing))}")
    levels = {level.value for level in Level}
    wrong = sorted(code for code, level in answers.items() if level not in levels)
    if wrong:
        raise BadAnswers(f"unknown levels for: {', '.join(wrong)}")
    return {q.code: answers[q.code] for q in questions_for(subject)}


def is_satisfied(answers: dict[str, str]) -> bool:
    return answers.get(OVERALL) in SATISFIED_LEVELS
