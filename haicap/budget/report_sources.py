"""The capital figure a commune report's cell can be pre-filled from
(``haicap.core.report_sources``): the share of the year's plan disbursed by the projects the
commune invests in, the directive measure read for the commune.

It links to the disbursement page of the month the figure reads (the last month of the period
over by yesterday), grouped by investing commune: the commune's row, and its projects behind it.
"""

import datetime as dt
from urllib.parse import urlencode

from django.urls import reverse

from haicap.budget import months, rates
from haicap.budget.measures import DISBURSEMENT_RATE
from haicap.calendar.workdays import VIETNAM
from haicap.core import clock
from haicap.core.report_sources import Params, from_measure


def disbursement_page(unit_id: int, params: Params, start: dt.date, end: dt.date) -> str:
    today = clock.now().astimezone(VIETNAM).date()
    # the month the figure reads; before one is over, the period's last month
    year, month = months.month_read(start, end, today) or (end.year, end.month)
    query = {"year": year, "month": month, "by": rates.COMMUNE}
    return f"{reverse('desk:budget:disbursement')}?{urlencode(query)}"


SOURCES = (from_measure(DISBURSEMENT_RATE, disbursement_page),)
