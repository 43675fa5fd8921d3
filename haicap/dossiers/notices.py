"""The dossiers' warnings (due soon, overdue, escalated, an apology to sign) as notices on the
officer's desk (``core.notices``), registered from ``DossiersConfig.ready()``."""

from django.urls import reverse

from haicap.core.notice_rows import stored_notices
from haicap.dossiers.models import Notification

URGENT = frozenset({Notification.Kind.OVERDUE, Notification.Kind.ESCALATED})


def _describe(row: Notification) -> tuple[str, str, bool]:
    code = row.dossier.code
    return code, reverse("desk:dossier", args=[code]), row.kind in URGENT


DOSSIER_NOTICES = stored_notices("dossiers", Notification, ("dossier",), _describe)
