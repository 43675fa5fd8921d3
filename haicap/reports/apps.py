from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "haicap.reports"
    label = "reports"
    verbose_name = _("Commune reports")

    def ready(self) -> None:
        from haicap.core.notices import notice_sources
        from haicap.reports import history  # noqa: F401  (registers the append-only tables)
        from haicap.reports.notices import REPORT_NOTICES

        notice_sources.register(REPORT_NOTICES)  # reminders and decisions on the desk
