"""The online-payment group (TTTT) of the Decision 766 index: the share of dossiers with a fee
obligation whose fee was paid online (``core.service_index``; registered in ``apps.ready``)."""

import datetime as dt

from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from haicap.calendar.workdays import VIETNAM
from haicap.core.service_index import IndexInput, span
from haicap.dossiers.models import Dossier
from haicap.payments.models import Payment

# A dossier owes a fee when its procedure carries one (catalogue's ``fee_vnd``), or when a fee
# was requested for its filing (the procedure's fee may have changed since).
OWES_A_FEE = Q(procedure__fee_vnd__gt=0) | Q(submission__payment__isnull=False)
PAID_ONLINE = Q(submission__payment__status=Payment.Status.PAID)


def paid_online(
    units: tuple[int, ...] | None, first: dt.date, last: dt.date
) -> dict[int | None, tuple[int, int]]:
    """Of the dossiers received from ``first`` to ``last`` that owe a fee, how many had it paid
    online: one query for all the units (a unit is the competent agency's, as in the figures).

    The ratio is counted over the dossiers *received* in the period, paid by now: the published
    formula (domain.md 3) names no period, and counting payments by their own date could put
    more paid dossiers over fewer owed ones. That choice is haicap's."""
    start, end = span(first, last, VIETNAM)
    owing = Dossier.objects.filter(OWES_A_FEE, received_at__gte=start, received_at__lt=end)
    counts = {"whole": Count("pk", distinct=True), "part": Count("pk", PAID_ONLINE, distinct=True)}
    if units is None:
        found = owing.aggregate(**counts)
        return {None: (found["part"], found["whole"])} if found["whole"] else {}
    rows = (
        owing.filter(competent_agency__unit_id__in=units)
        .values("competent_agency__unit_id")
        .annotate(**counts)
        .order_by()
    )
    return {r["competent_agency__unit_id"]: (r["part"], r["whole"]) for r in rows}


PAID_ONLINE_RATE = IndexInput(
    key="payments.paid_online",
    group="TTTT",
    label=_("Online payment rate"),
    formula=_(
        "dossiers whose fee was paid online / dossiers received in the period that owe a fee"
    ),
    source=_(
        "Decision 766/QĐ-TTg, online-payment group: paid online / dossiers with a fee "
        "obligation, as a production Decision 766 dashboard computes it; counting over the "
        "dossiers received in the period is haicap's choice"
    ),
    compute=paid_online,
)
