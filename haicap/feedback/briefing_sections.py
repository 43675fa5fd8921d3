"""The briefing pack's feedback section (``haicap.core.briefing``): for each commune visited, its
petitions' figures and its citizens' satisfaction against the province's, and the petitions
still open past their legal deadline at the pack's last day (code, category, received, working
days overdue, counted as the desk's queue counts them: nothing about who sent them).

A commune's figures are those of its bodies (the agencies of its unit), each count going to the
agency that answers for it, as the figures page counts them (``tallies``): the overdue list is
of the petitions its bodies held at the pack's end. Read province-wide like the other sections:
what the pack says of a commune is the same whoever prepares it. Ten queries, whatever the
number of communes.
"""

import datetime as dt
from collections import defaultdict
from collections.abc import Mapping, Sequence

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from haicap.calendar.selectors import calendars_for_units
from haicap.calendar.workdays import VIETNAM
from haicap.core.briefing import PackSection, Period, Table
from haicap.feedback import tallies
from haicap.feedback.figures import PetitionCounts, SatisfactionCounts
from haicap.feedback.models import Petition, Rating
from haicap.feedback.timing import left_of


def _overdue_at(commune_ids: tuple[int, ...], end: dt.datetime) -> dict[int, list[tuple]]:
    """The communes' petitions open at ``end`` past their legal deadline, longest overdue
    first: (code, category, received on, working days overdue) by commune, in three queries
    (the petitions, and the communes' calendars)."""
    rows = (
        tallies.open_at(Petition.objects.filter(legal_due_at__lt=end), end)
        .annotate(held_by=tallies.holder_at(end, tallies.UNIT))
        .filter(held_by__in=commune_ids)
        .order_by("legal_due_at", "code")
        .values_list("held_by", "code", "category__name", "received_at", "legal_due_at")
    )
    found: dict[int, list[tuple]] = defaultdict(list)
    calendars = calendars_for_units(set(commune_ids))
    for unit_id, code, category, received_at, due_at in rows:
        calendar = calendars.get(unit_id) or calendars[None]
        # whole working days since the deadline, as the queue says "overdue by n days"
        days = left_of(calendar.elapsed(end, due_at), True).days
        received_on = received_at.astimezone(VIETNAM).date()
        found[unit_id].append((code, category, received_on, days))
    return found


def build_feedback(
    viewer: object, commune_ids: tuple[int, ...], period: Period
) -> Mapping[int, Sequence[Table]]:
    moments = tallies.moments(period.start, period.end)
    if moments is None:
        return {}
    petitions = tallies.count_petitions(Petition.objects.all(), *moments, tallies.UNIT)
    province = tallies.count_petitions(Petition.objects.all(), *moments)[None]
    ratings = tallies.count_ratings(
        Rating.objects.filter(unit_id__in=commune_ids), *moments, "unit_id"
    )
    rated = tallies.count_ratings(Rating.objects.all(), *moments).get(None, SatisfactionCounts())
    overdue = _overdue_at(commune_ids, moments[1])
    built = {}
    for unit_id in commune_ids:
        own = petitions.get(unit_id, PetitionCounts())
        liked = ratings.get(unit_id, SatisfactionCounts())
        built[unit_id] = (
            Table(
                title=_("Feedback, petitions and satisfaction, against the province's"),
                header=(_("Indicator"), _("Commune"), _("Province")),
                rows=(
                    (_("Petitions received"), own.received, province.received),
                    (_("Answered on time"), own.answered_on_time, province.answered_on_time),
                    (_("Answered late"), own.answered_late, province.answered_late),
                    (_("Open past the legal deadline at the end"), own.overdue, province.overdue),
                    (
                        _("Open within the legal deadline at the end"),
                        own.open_in_time,
                        province.open_in_time,
                    ),
                    # the rate's own denominator, which is not the answers above
                    (_("Falling due in the period"), own.due, province.due),
                    (
                        _("Of them, answered by the legal deadline"),
                        own.answered_by_due,
                        province.answered_by_due,
                    ),
                    (
                        _("Answered by the legal deadline, of those falling due (%)"),
                        own.on_time_rate,
                        province.on_time_rate,
                    ),
                    (_("Ratings given"), liked.ratings, rated.ratings),
                    (_("Satisfaction rate (%)"), liked.rate, rated.rate),
                ),
            ),
            Table(
                title=_("Petitions open past their legal deadline"),
                header=(
                    _("Petition code"),
                    _("Petition category"),
                    _("Received on"),
                    _("Working days overdue"),
                ),
                rows=tuple(overdue.get(unit_id, ())),
            ),
        )
    return built


FEEDBACK = PackSection(
    key="feedback.petitions",
    title=gettext_lazy("Feedback, petitions and satisfaction"),
    order=12,  # right after the service figures: how the citizens found the service
    build=build_feedback,
)
