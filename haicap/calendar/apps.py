from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CalendarConfig(AppConfig):
    name = "haicap.calendar"
    label = "workcalendar"  # "calendar" would read like Python's own module in SQL and admin URLs
    verbose_name = _("Working calendar")
