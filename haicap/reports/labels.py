"""How the reports' pages, files, notices and the briefing pack name a period and where a
commune stands in it, in the reader's language: one set of words, so the commune, the province
and a working group read the same standing alike (``schedule.label_vi`` is the printed
report's Vietnamese; a page speaks its reader's)."""

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from haicap.core.periods import Period
from haicap.reports.schedule import ROMAN, PeriodKind, Standing

STANDING_LABELS = {
    Standing.NOT_DUE: _("Period not ended"),
    Standing.WAITING: _("Not submitted, not late yet"),
    Standing.ON_TIME: _("Submitted on time"),
    Standing.LATE: _("Submitted late"),
    Standing.MISSING: _("Not submitted, late"),
}

# The desk's status colours (site.css) for each standing.
STANDING_STATUS = {
    Standing.NOT_DUE: "in_progress",
    Standing.WAITING: "in_progress",
    Standing.ON_TIME: "done_on_time",
    Standing.LATE: "done_late",
    Standing.MISSING: "overdue",
}


def period_name(kind: PeriodKind, period: Period) -> str:
    """ "Month 11/2026", "Quarter IV/2026", "First half of 2026", "Year 2026"."""
    year = period.start.year
    if kind == PeriodKind.MONTH:
        return gettext("Month %(month)d/%(year)d") % {"month": period.start.month, "year": year}
    if kind == PeriodKind.QUARTER:
        roman = ROMAN[(period.start.month - 1) // 3]
        return gettext("Quarter %(quarter)s/%(year)d") % {"quarter": roman, "year": year}
    if kind == PeriodKind.HALF_YEAR:
        if period.start.month == 1:
            return gettext("First half of %(year)d") % {"year": year}
        return gettext("Second half of %(year)d") % {"year": year}
    return gettext("Year %(year)d") % {"year": year}
