"""The publicity group (CKMB) of the Decision 766 index: the share of dossiers whose status the
national portal has, every message about them delivered (``core.service_index``)."""

import datetime as dt

from django.db.models import Count, Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from haicap.calendar.workdays import VIETNAM
from haicap.core.service_index import IndexInput, span
from haicap.dossiers.models import Dossier
from haicap.exchange.messages import NATIONAL_PORTAL
from haicap.exchange.models import OutboxMessage


def status_synced(
    units: tuple[int, ...] | None, first: dt.date, last: dt.date
) -> dict[int | None, tuple[int, int]]:
    """Of the dossiers received from ``first`` to ``last``, how many the national portal knows
    as they are now: at least one message about them sent, none waiting, held or given up.
    One query for all the units; the outbox is read by its indexed stream (the dossier's code)."""
    start, end = span(first, last, VIETNAM)
    about = OutboxMessage.objects.filter(target=NATIONAL_PORTAL, stream=OuterRef("code"))
    received = Dossier.objects.filter(received_at__gte=start, received_at__lt=end).annotate(
        sent=Exists(about.filter(status=OutboxMessage.Status.SENT)),
        unsent=Exists(about.exclude(status=OutboxMessage.Status.SENT)),
    )
    synced = Q(sent=True, unsent=False)
    counts = {"whole": Count("pk"), "part": Count("pk", filter=synced)}
    if units is None:
        found = received.aggregate(**counts)
        return {None: (found["part"], found["whole"])} if found["whole"] else {}
    rows = (
        received.filter(competent_agency__unit_id__in=units)
        .values("competent_agency__unit_id")
        .annotate(**counts)
        .order_by()
    )
    return {r["competent_agency__unit_id"]: (r["part"], r["whole"]) for r in rows}


STATUS_SYNCED = IndexInput(
    key="exchange.status_synced",
    group="CKMB",
    label=_("Dossiers status-synced to the national portal"),
    formula=_(
        "dossiers received in the period whose every status message reached the national "
        "portal / dossiers received in the period"
    ),
    source=_(
        "Decision 766/QĐ-TTg, publicity group: share of dossiers status-synced to the national "
        "portal; 'synced' read as every message delivered is haicap's"
    ),
    compute=status_synced,
)
