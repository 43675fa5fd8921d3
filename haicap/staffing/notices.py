"""Staffing's warnings (a secondment ending soon, a desk posting due for rotation or past its
limit) as notices on the officer's desk (``core.notices``), registered from
``StaffingConfig.ready()``. Each opens the warnings page, where the officer reads them all."""

from django.urls import reverse

from haicap.core.notice_rows import stored_notices
from haicap.staffing.models import StaffingNotice


def _describe(row: StaffingNotice) -> tuple[str, str, bool]:
    subject = row.officer.full_name
    if row.secondment is not None:
        subject = f"{subject} → {row.secondment.to_agency.name}"
    urgent = row.kind == StaffingNotice.Kind.ROTATION_PAST
    return subject, reverse("desk:staffing:staff_warnings"), urgent


STAFFING_NOTICES = stored_notices(
    "staffing", StaffingNotice, ("officer", "secondment__to_agency"), _describe
)
