"""English pages show dates as the Vietnamese ones do (the desk's one date format)."""

from django.conf.locale.en.formats import *  # noqa: F403

from haicap.formats.shown import *  # noqa: F403

DATE_INPUT_FORMATS = ["%d/%m/%Y", "%d-%m-%Y", "%Y-%m-%d"]
DATETIME_INPUT_FORMATS = [
    "%d/%m/%Y %H:%M:%S",
    "%d/%m/%Y %H:%M",
    "%H:%M %d/%m/%Y",
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M",
]
