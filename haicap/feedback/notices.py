"""The petitions' notices (assigned, transferred, reopened, due soon, overdue) on the officer's
desk (``core.notices``), registered from ``FeedbackConfig.ready()``."""

from django.urls import reverse

from haicap.core.notice_rows import stored_notices
from haicap.feedback.models import PetitionNotification

URGENT = frozenset({PetitionNotification.Kind.OVERDUE, PetitionNotification.Kind.REOPENED})


def _describe(row: PetitionNotification) -> tuple[str, str, bool]:
    url = reverse("desk:feedback:detail", args=[row.petition.code])
    return row.petition.code, url, row.kind in URGENT


PETITION_NOTICES = stored_notices("feedback", PetitionNotification, ("petition",), _describe)
