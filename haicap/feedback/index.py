"""The satisfaction group (MDHL) of the Decision 766 index: citizens' ratings, and feedback and
petitions handled (``core.service_index``; registered in ``apps.ready``).

domain.md section 3 names MDHL's indicators as "citizen ratings (very satisfied … dissatisfied);
PAKN handled" and publishes no formula for either. The ratios below are haicap's, each counted
for all the units in one query:

- ``feedback.ratings``: the ratings given in the period, of returned dossiers and of answered
  petitions, with haicap's documented survey (``questions``: satisfied when the overall answer
  is "very satisfied" or "satisfied"), by the unit of the agency rated, fixed when rated;
- ``feedback.petitions_handled``: the petitions whose legal deadline fell in the period (up to
  now), and those of them answered by it with an answer that stands (not one the sender
  rejected by reopening it), by the unit of the agency that held the petition when its
  deadline fell (``tallies``: the one that let it pass, or answered in time). Counting over
  the deadlines, not over the answers, lets a petition never answered count against the
  agency.
"""

import datetime as dt

from django.utils.translation import gettext_lazy as _

from haicap.core.service_index import IndexInput
from haicap.feedback import tallies
from haicap.feedback.models import Petition, Rating

Figures = dict[int | None, tuple[int, int]]


def ratings(units: tuple[int, ...] | None, first: dt.date, last: dt.date) -> Figures:
    """(satisfied, ratings) of the ratings given from ``first`` to ``last``, by unit."""
    moments = tallies.moments(first, last)
    if moments is None:
        return {}
    if units is None:
        found = tallies.count_ratings(Rating.objects.all(), *moments)
    else:
        found = tallies.count_ratings(Rating.objects.filter(unit_id__in=units), *moments, "unit_id")
    return {unit: (c.satisfied, c.ratings) for unit, c in found.items()}


def petitions_handled(units: tuple[int, ...] | None, first: dt.date, last: dt.date) -> Figures:
    """(answered by the legal deadline, due) of the petitions due from ``first`` to ``last``
    (up to now), by unit."""
    moments = tallies.moments(first, last)
    if moments is None:
        return {}
    if units is None:
        return tallies.count_due(Petition.objects.all(), *moments)
    wanted = set(units)
    found = tallies.count_due(Petition.objects.all(), *moments, tallies.UNIT)
    return {unit: figures for unit, figures in found.items() if unit in wanted}


RATINGS = IndexInput(
    key="feedback.ratings",
    group="MDHL",
    label=_("Citizens' satisfaction"),
    formula=_(
        "ratings answered 'very satisfied' or 'satisfied' overall / ratings given in the "
        "period, of returned dossiers and answered petitions, by the rated agency's unit"
    ),
    source=_(
        "Decision 766/QĐ-TTg, satisfaction group: citizens' ratings (very satisfied … "
        "dissatisfied). The national survey's questions were not found: haicap asks its own "
        "documented set on the same three levels, and this ratio is haicap's"
    ),
    compute=ratings,
)
PETITIONS_HANDLED = IndexInput(
    key="feedback.petitions_handled",
    group="MDHL",
    label=_("Feedback and petitions answered on time"),
    formula=_(
        "petitions answered by their legal deadline / petitions whose legal deadline fell in "
        "the period, by the unit of the agency that held each when its deadline fell"
    ),
    source=_(
        "Decision 766/QĐ-TTg, satisfaction group: feedback and petitions handled (Decree "
        "20/2008/NĐ-CP); the legal deadline is the time to answer that each petition category "
        "sets, as the province keeps it (the demo sets 10 working days, after the one local rule "
        "found, Ninh Bình's). No formula is published: this ratio is haicap's"
    ),
    compute=petitions_handled,
)
INPUTS = (RATINGS, PETITIONS_HANDLED)
