"""The Decision 766 service-quality index: its groups, the inputs apps register, the scoring (pure).

Decision 766/QĐ-TTg (23/6/2022) scores a province or a commune out of 100 points in six groups;
the group codes and maxima are those of the national portal's ranking API (``groupScores`` of
``/api/v1/reporting/evaluation/service-results``; domain.md section 3, where mock-ups that swap
12 and 22 are set aside for the API's mapping).

An *index input* is one ratio of a group (part / whole), computed by the app that holds its data
and registered once from its ``AppConfig.ready()``, like ``measures`` and ``briefing``: the index
reads this registry and never imports the apps, so a later app (digitisation, electronic results)
adds a group's input without editing the reader. An input computes all the units of a page in
one batch (a fixed number of queries, never one per unit).

The per-indicator formula is not published (domain.md section 3: "not found"). haicap's, stated
here and on the dashboard: an input's score is its ratio; a group's points are the mean of its
inputs' ratios that have data × the group's maximum (the inputs of a group weigh the same, as no
source gives weights); the index is the sum of the groups' points. A group with no registered
input, or whose inputs have no data for the unit and period, cannot be computed: it adds nothing
and is listed with the reason, so a partial total is never passed off as a whole one.
"""

import datetime as dt
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum


@dataclass(frozen=True)
class Group:
    code: str  # the national portal's group code
    name: str  # in English; the pages translate it
    most: Decimal  # the group's maximum points


# Decision 766's six groups, 100 points (domain.md section 3, from the ranking API's codes).
GROUPS = (
    Group("CKMB", "Publicity and transparency", Decimal(18)),
    Group("TDGQ", "Processing progress", Decimal(20)),
    Group("CLGQ", "Online public services", Decimal(12)),
    Group("TTTT", "Online payment", Decimal(10)),
    Group("MDHL", "Satisfaction", Decimal(18)),
    Group("MDSH", "Dossier digitisation", Decimal(22)),
)
GROUP_CODES = tuple(group.code for group in GROUPS)
FULL_MARKS = sum((group.most for group in GROUPS), Decimal(0))

RATIO_PLACES = Decimal("0.0001")
POINT_PLACES = Decimal("0.01")

# (the units' ids, or None for the whole province; first day; last day, both included): each
# unit's (part, whole), keyed by unit id (by None for the province). A unit left out, or with a
# whole of 0, has no data.
Compute = Callable[[tuple[int, ...] | None, dt.date, dt.date], Mapping[int | None, tuple[int, int]]]


@dataclass(frozen=True)
class IndexInput:
    key: str  # stable: "app.what", never renamed once shown in an export
    group: str  # the Decision 766 group code it feeds
    label: str  # shown to people (the registering app gives it translated)
    formula: str  # part / whole, in words (translated)
    source: str  # where the formula comes from, or that it is haicap's
    compute: Compute


def span(first: dt.date, last: dt.date, zone: dt.tzinfo) -> tuple[dt.datetime, dt.datetime]:
    """The moments from the start of ``first`` to the start of the day after ``last`` in
    ``zone``: an input reads [start, end)."""
    start = dt.datetime.combine(first, dt.time(), zone)
    return start, dt.datetime.combine(last + dt.timedelta(days=1), dt.time(), zone)


def ratio(part: int, whole: int) -> Decimal | None:
    """A share between 0 and 1 with four decimals, or ``None`` when there is nothing to share."""
    if not whole:
        return None
    return (Decimal(part) / Decimal(whole)).quantize(RATIO_PLACES, ROUND_HALF_UP)


def group_points(ratios: Iterable[Decimal | None], most: Decimal) -> Decimal | None:
    """haicap's formula: the mean of the ratios that have data × the group's maximum (not
    rounded: the total is rounded once); ``None`` when no ratio has data."""
    have = [r for r in ratios if r is not None]
    if not have:
        return None
    return sum(have, Decimal(0)) / len(have) * most


def rounded(points: Decimal) -> Decimal:
    return points.quantize(POINT_PLACES, ROUND_HALF_UP)


class Missing(StrEnum):
    NO_INPUT = "no_input"  # no app computes any of the group's indicators yet
    NO_DATA = "no_data"  # inputs exist, but none had anything to count for the unit and period


@dataclass(frozen=True)
class GroupScore:
    group: Group
    points: Decimal | None  # rounded to hundredths; None: cannot compute (see ``missing``)
    missing: Missing | None
    ratios: tuple[tuple[str, Decimal | None], ...]  # each input's key and ratio


@dataclass(frozen=True)
class Score:
    groups: tuple[GroupScore, ...]
    total: Decimal | None  # None when no group could be computed
    computed_most: Decimal  # the points haicap could compute here (of 100)

    @property
    def missing(self) -> tuple[GroupScore, ...]:
        return tuple(g for g in self.groups if g.points is None)


def score(
    ratios: Mapping[str, Decimal | None],
    inputs: Sequence[IndexInput],
    groups: Sequence[Group] = GROUPS,
) -> Score:
    """The index of one unit: ``ratios`` by input key (a key left out has no data)."""
    scored, total, computed_most, any_points = [], Decimal(0), Decimal(0), False
    for group in groups:
        mine = [i.key for i in inputs if i.group == group.code]
        found = tuple((key, ratios.get(key)) for key in mine)
        points = group_points((r for _k, r in found), group.most)
        if points is None:
            missing = Missing.NO_DATA if mine else Missing.NO_INPUT
            scored.append(GroupScore(group, None, missing, found))
            continue
        any_points = True
        total += points
        computed_most += group.most
        scored.append(GroupScore(group, rounded(points), None, found))
    return Score(tuple(scored), rounded(total) if any_points else None, computed_most)


def score_units(
    figures: Mapping[str, Mapping[int | None, tuple[int, int]]],
    inputs: Sequence[IndexInput],
    units: Iterable[int | None],
) -> dict[int | None, Score]:
    """Each unit's index from each input's batch of (part, whole), keyed by input key."""
    return {
        unit: score(
            {key: ratio(*found[unit]) for key, found in figures.items() if unit in found},
            inputs,
        )
        for unit in units
    }


class InputRegistry:
    def __init__(self) -> None:
        self._inputs: dict[str, IndexInput] = {}

    def __repr__(self) -> str:
        return f"<InputRegistry: {', '.join(self._inputs) or 'empty'}>"

    def register(self, index_input: IndexInput) -> IndexInput:
        """Register ``index_input`` (once, however often); another under its key, or one that
        names no Decision 766 group, is refused."""
        if index_input.group not in GROUP_CODES:
            raise ValueError(f"{index_input.group!r} is not a Decision 766 group")
        have = self._inputs.get(index_input.key)
        if have is not None and have != index_input:
            raise ValueError(f"another index input is registered as {index_input.key!r}")
        self._inputs[index_input.key] = index_input
        return index_input

    def forget(self, index_input: IndexInput) -> None:
        """Unregister ``index_input`` (a test's own, once it has seen what it needed)."""
        if self._inputs.get(index_input.key) == index_input:
            del self._inputs[index_input.key]

    def all(self) -> tuple[IndexInput, ...]:
        """Every input, in the order of the groups, then of registration."""
        order = {code: n for n, code in enumerate(GROUP_CODES)}
        return tuple(sorted(self._inputs.values(), key=lambda i: order[i.group]))


index_inputs = InputRegistry()
