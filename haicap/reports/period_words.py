"""The words the province's pages and files use for a period and for where a commune stands in
it, in the reader's language."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from haicap.core.periods import Period
from haicap.reports.schedule import ROMAN, PeriodKind, Standing

STANDING_LABELS = {
    Standing.NOT_DUE: gettext_lazy("Period not ended"),
    Standing.WAITING: gettext_lazy("Waiting, not late yet"),
    Standing.ON_TIME: gettext_lazy("Filed on time"),
    Standing.LATE: gettext_lazy("Filed late"),
    Standing.MISSING: gettext_lazy("Not filed, past the deadline"),
}

# The site's status colours (site.css), so a standing reads at a glance.
STANDING_STYLES = {
    Standing.NOT_DUE: "not_achieved",
    Standing.WAITING: "in_progress",
    Standing.ON_TIME: "done_on_time",
    Standing.LATE: "done_late",
    Standing.MISSING: "overdue",
}


def period_name(kind: PeriodKind, period: Period) -> str:
    """A short name for a period: "11/2026", "Quarter IV 2026", "First half of 2026", "2026"."""
    year = period.start.year
    if kind == PeriodKind.MONTH:
        return f"{period.start.month:02d}/{year}"
    if kind == PeriodKind.QUARTER:
        roman = ROMAN[(period.start.month - 1) // 3]
        return _("Quarter %(roman)s %(year)d") % {"roman": roman, "year": year}
    if kind == PeriodKind.HALF_YEAR:
        if period.start.month == 1:
            return _("First half of %(year)d") % {"year": year}
        return _("Second half of %(year)d") % {"year": year}
    return str(year)
