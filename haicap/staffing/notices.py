"""Staffing's warnings (a secondment ending soon, a seconded officer without a haicap account,
a desk posting due for rotation or past its limit) as notices on the officer's desk
(``core.notices``), registered from ``StaffingConfig.ready()``. Each opens the warnings page,
where the officer reads them all."""

from django.urls import reverse
from django.utils.translation import gettext

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


def _describe_plan_or_officer(row: StaffingNotice) -> tuple[str, str, bool]:
    """A plan submitted for approval opens the plan, for its leaders to read and approve."""
    if row.plan_id is None:
        return _describe(row)
    version = gettext("version %(version)s") % {"version": row.plan.version}
    return f"{row.plan.title} · {version}", reverse("desk:staffing:plan", args=[row.plan_id]), False


# The source as registered: the warnings above, and plans awaiting approval
# (``services.plans.submit``).
STAFFING_NOTICES = stored_notices(
    "staffing",
    StaffingNotice,
    ("officer", "secondment__to_agency", "plan"),
    _describe_plan_or_officer,
)
