"""How every page shows a date and a time, in every language: 06/12/2026 and 06/12/2026 14:05.

The desk's users read the same dates in Vietnamese and in English; a second way of writing
them ("Dec. 6, 2026", "2:05 p.m.") would be misread. Templates name these formats
(``|date:"SHORT_DATETIME_FORMAT"``) rather than spell them out.
"""

DATE_FORMAT = "d/m/Y"
SHORT_DATE_FORMAT = "d/m/Y"
DATETIME_FORMAT = "d/m/Y H:i"
SHORT_DATETIME_FORMAT = "d/m/Y H:i"
TIME_FORMAT = "H:i"
YEAR_MONTH_FORMAT = "m/Y"
MONTH_DAY_FORMAT = "d/m"
