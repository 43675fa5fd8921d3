"""Why a transfer batch cannot be approved, as sentences in the reader's language: one per
difference the ledger's check found (``ledger.Difference``), each naming its project and the
amounts in Vietnamese style (8.000.000.000 đ), so the page and the API say the same thing.

It reads nothing from the database: the caller gives each project's code, name, investor and
the level that investor belongs to (``ProjectFacts``)."""

from collections.abc import Mapping
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from haicap.budget.ledger import Check, Difference, Problem
from haicap.budget.models import Level, Source
from haicap.budget.money import format_vnd

# "at the district level": where capital is held, in a sentence.
LEVEL_WORDS = {
    Level.PROVINCE: gettext_lazy("the provincial level"),
    Level.DISTRICT: gettext_lazy("the district level"),
    Level.COMMUNE: gettext_lazy("the commune level"),
}


@dataclass(frozen=True)
class ProjectFacts:
    code: str
    name: str
    investor: str | None  # the investor's name after the reform; None while undecided
    destination: str | None  # the level the investor belongs to (``selectors.destination_level``)


@dataclass(frozen=True)
class Explanation:
    difference: Difference
    text: str

    @property
    def project(self) -> str:
        """The project's code, to link the sentence to its rows."""
        return self.difference.project

    @property
    def problem(self) -> Problem:
        return self.difference.problem


def _level(level: str | None) -> str:
    return str(LEVEL_WORDS[level]) if level in LEVEL_WORDS else str(level or "")


def _source(source: str | None) -> str:
    return str(Source(source).label) if source in Source.values else str(source or "")


def sentence(difference: Difference, facts: ProjectFacts | None) -> str:
    """The difference as one sentence, starting with the project's code and name."""
    project = f"{facts.code} {facts.name}" if facts else difference.project
    investor = facts.investor if facts and facts.investor else "—"
    words = {
        "project": project,
        "decreases": format_vnd(difference.decreases),
        "increases": format_vnd(difference.increases),
        "gap": format_vnd(abs(difference.gap)),
        "amount": format_vnd(difference.amount),
        "source": _source(difference.source),
        "level": _level(difference.level),
        "investor": investor,
        "destination": _level(facts.destination if facts else None),
    }
    match difference.problem:
        case Problem.UNBALANCED:
            text = _(
                "%(project)s: decreases %(decreases)s đ but increases %(increases)s đ, "
                "a difference of %(gap)s đ"
            )
        case Problem.SOURCE_CHANGED:
            text = _(
                "%(project)s, %(source)s: decreases %(decreases)s đ but increases "
                "%(increases)s đ; a transfer may not change where the capital comes from"
            )
        case Problem.DISTRICT_LEFT:
            text = _(
                "%(project)s: still holds %(amount)s đ (%(source)s) at the district level "
                "though its investor is %(investor)s"
            )
        case Problem.WRONG_LEVEL:
            text = _(
                "%(project)s: receives %(amount)s đ (%(source)s) at %(level)s, but its investor "
                "%(investor)s belongs to %(destination)s"
            )
        case Problem.OVERDRAWN:
            text = _("%(project)s: takes %(amount)s đ more than it holds at %(level)s (%(source)s)")
        case Problem.NOT_FROM_DISTRICT:
            text = _(
                "%(project)s: takes %(amount)s đ (%(source)s) from %(level)s; a transfer takes "
                "capital from the district level only"
            )
        case Problem.NO_INVESTOR:
            text = _("%(project)s: has no investor yet, so its capital cannot move")
    return text % words


def explain(check: Check, facts: Mapping[str, ProjectFacts]) -> list[Explanation]:
    """Every difference of ``check`` explained, project by project (the check's order within
    a project)."""
    ordered = sorted(enumerate(check.differences), key=lambda item: (item[1].project, item[0]))
    return [Explanation(d, sentence(d, facts.get(d.project))) for _i, d in ordered]
