"""The directives' deadline warnings as notices on the officer's desk (``core.notices``),
registered from ``OversightConfig.ready()``."""

from django.urls import reverse

from haicap.core.notice_rows import stored_notices
from haicap.oversight.models import DirectiveNotification


def _describe(row: DirectiveNotification) -> tuple[str, str, bool]:
    url = reverse("desk:oversight:directive", args=[row.directive_id])
    return row.directive.title, url, row.kind == DirectiveNotification.Kind.OVERDUE


DIRECTIVE_NOTICES = stored_notices("oversight", DirectiveNotification, ("directive",), _describe)
