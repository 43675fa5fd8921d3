"""Staffing's warnings (a secondment ending soon, a seconded officer without a haicap account,
a desk posting due for rotation or past its limit) as notices on the officer's desk
(``core.notices``), registered from ``StaffingConfig.ready()``. Each opens the warnings page,
where the officer reads them all."""

from django.urls import reverse

from haicap.core.notice_rows import stored_notices
from haicap.staffing.models import StaffingNotice
from haicap.staffing.warnings import no_account_words


def _describe(row: StaffingNotice) -> tuple[str, str, bool]:
    subject = row.officer.full_name
    if row.kind == StaffingNotice.Kind.NO_ACCOUNT and row.secondment is not None:
        # "Cán bộ biệt phái chưa có tài khoản haicap" (its kind): whom, and what it means
        subject = f"{subject}: {no_account_words(row.secondment)}"
    elif row.secondment is not None:
        subject = f"{subject} → {row.secondment.to_agency.name}"
    urgent = row.kind == StaffingNotice.Kind.ROTATION_PAST
    return subject, reverse("desk:staffing:staff_warnings"), urgent


STAFFING_NOTICES = stored_notices(
    "staffing", StaffingNotice, ("officer", "secondment__to_agency__unit"), _describe
)
