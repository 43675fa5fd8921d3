"""Vietnamese date and number formats as offices write them: 26/11/2026, 26/11/2026 08:30.

Django's own Vietnamese formats accept only ISO dates in forms; officers type day/month/year.
"""

from django.conf.locale.vi.formats import *  # noqa: F403

from haicap.formats.shown import *  # noqa: F403  (one way to show a date, in every language)

# Amounts in thousands, as offices write them: 2.000 đồng (Django's own Vietnamese formats group
# no digits).
NUMBER_GROUPING = 3

DATE_INPUT_FORMATS = ["%d/%m/%Y", "%d-%m-%Y", "%Y-%m-%d"]
TIME_INPUT_FORMATS = ["%H:%M:%S", "%H:%M"]
DATETIME_INPUT_FORMATS = [
    "%d/%m/%Y %H:%M:%S",
    "%d/%m/%Y %H:%M",
    "%H:%M %d/%m/%Y",
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M",
]
