"""The capital ledger's arithmetic, without Django: balances, the district transfer drafted from
them, and the checks a transfer batch must pass before it is approved.

A balance is keyed by (project, source, level). Amounts are whole đồng (``int``): nothing here
rounds. Sources and levels are the strings of ``haicap.budget.models.Source`` and ``Level``.

The rules a batch must keep (the abolished districts' capital moves, it does not appear or
vanish):
- each project's decreases equal its increases, and within a project each source's do too
  (a transfer moves capital between levels, never between sources);
- capital is taken from the district level only (a decrease elsewhere is not a transfer);
- a project with an investor keeps no district-level capital, and what it receives goes to the
  level of that investor (the province for a provincial agency, the commune for a commune);
- no balance goes below zero (nothing moves that is not there);
- the province's total is the same before and after.
"""

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum

DISTRICT = "district"


@dataclass(frozen=True)
class Entry:
    project: str  # the project's code
    source: str
    level: str
    amount: int  # đồng, signed


Key = tuple[str, str, str]  # project, source, level


def balances(entries: Iterable[Entry]) -> dict[Key, int]:
    """What each (project, source, level) holds after ``entries``; zero balances are left out."""
    held: dict[Key, int] = defaultdict(int)
    for entry in entries:
        held[(entry.project, entry.source, entry.level)] += entry.amount
    return {key: amount for key, amount in held.items() if amount}


def district_transfer(
    held: Mapping[Key, int], destination: Mapping[str, str | None]
) -> list[Entry]:
    """The paired entries that move every district-level balance of a project with an investor
    to its investor's level (``destination``: project → level, None for a project without an
    investor, which keeps its district capital until it has one). Sorted by project and source,
    the decrease before the increase."""
    entries: list[Entry] = []
    for (project, source, level), amount in sorted(held.items()):
        to = destination.get(project)
        if level != DISTRICT or not amount or to is None or to == DISTRICT:
            continue
        entries.append(Entry(project, source, DISTRICT, -amount))
        entries.append(Entry(project, source, to, amount))
    return entries


class Problem(StrEnum):
    UNBALANCED = "unbalanced"  # the project's decreases differ from its increases
    SOURCE_CHANGED = "source_changed"  # a source's decreases differ from its increases
    DISTRICT_LEFT = "district_left"  # district capital remains for a project with an investor
    WRONG_LEVEL = "wrong_level"  # capital goes to a level other than its investor's
    OVERDRAWN = "overdrawn"  # more is taken than the balance holds
    NO_INVESTOR = "no_investor"  # capital moves for a project that has no investor yet
    NOT_FROM_DISTRICT = "not_from_district"  # capital is taken from a level other than the district


@dataclass(frozen=True)
class Difference:
    """Why a batch cannot be approved, for one project (and a source or level where it says)."""

    project: str
    problem: Problem
    decreases: int = 0  # đồng taken, as a positive number
    increases: int = 0
    source: str | None = None
    level: str | None = None
    amount: int = 0  # what remains, what is missing or what is overdrawn

    @property
    def gap(self) -> int:
        """Increases less decreases: what is added (positive) or lost (negative)."""
        return self.increases - self.decreases


@dataclass(frozen=True)
class Check:
    differences: tuple[Difference, ...]
    total_before: int
    total_after: int

    @property
    def approvable(self) -> bool:
        return not self.differences and self.total_before == self.total_after

    @property
    def projects(self) -> tuple[str, ...]:
        """The projects that stop the batch, each once, in order."""
        return tuple(sorted({difference.project for difference in self.differences}))


def check_transfer(
    held: Mapping[Key, int],
    entries: Iterable[Entry],
    destination: Mapping[str, str | None],
) -> Check:
    """Whether the batch ``entries`` may be approved over the balances ``held``, with every
    difference explained project by project. Only the projects the batch touches, or that hold
    district capital and have an investor, are looked at. An entry of zero moves nothing and
    is not looked at either."""
    entries = [entry for entry in entries if entry.amount]
    after: dict[Key, int] = defaultdict(int, held)
    taken: dict[str, int] = defaultdict(int)
    given: dict[str, int] = defaultdict(int)
    by_source: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0])
    differences: list[Difference] = []
    for entry in entries:
        after[(entry.project, entry.source, entry.level)] += entry.amount
        side = 0 if entry.amount < 0 else 1
        by_source[(entry.project, entry.source)][side] += abs(entry.amount)
        if entry.amount < 0:
            taken[entry.project] += -entry.amount
        else:
            given[entry.project] += entry.amount
    touched = set(taken) | set(given)
    for project in sorted(touched):
        if taken[project] != given[project]:
            differences.append(
                Difference(project, Problem.UNBALANCED, taken[project], given[project])
            )
        elif destination.get(project) is None:
            differences.append(
                Difference(project, Problem.NO_INVESTOR, taken[project], given[project])
            )
    for (project, source), (decreases, increases) in sorted(by_source.items()):
        if decreases != increases and taken[project] == given[project]:
            differences.append(
                Difference(project, Problem.SOURCE_CHANGED, decreases, increases, source=source)
            )
    for entry in sorted(entries, key=lambda e: (e.project, e.source, e.level)):
        to = destination.get(entry.project)
        if entry.amount < 0 and entry.level != DISTRICT:
            differences.append(
                Difference(
                    entry.project,
                    Problem.NOT_FROM_DISTRICT,
                    source=entry.source,
                    level=entry.level,
                    amount=-entry.amount,
                )
            )
        elif entry.amount > 0 and to is not None and entry.level != to:
            differences.append(
                Difference(
                    entry.project,
                    Problem.WRONG_LEVEL,
                    source=entry.source,
                    level=entry.level,
                    amount=entry.amount,
                )
            )
    for (project, source, level), amount in sorted(after.items()):
        if amount < 0:
            differences.append(
                Difference(project, Problem.OVERDRAWN, source=source, level=level, amount=-amount)
            )
        elif level == DISTRICT and amount and destination.get(project) not in (None, DISTRICT):
            differences.append(
                Difference(
                    project, Problem.DISTRICT_LEFT, source=source, level=level, amount=amount
                )
            )
    return Check(
        differences=tuple(differences),
        total_before=sum(held.values()),
        total_after=sum(after.values()),
    )
