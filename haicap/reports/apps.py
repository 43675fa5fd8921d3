from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "haicap.reports"
    label = "reports"
    verbose_name = _("Commune reports")

    def ready(self) -> None:
        from haicap.core.briefing import pack_sections
        from haicap.core.measures import measures
        from haicap.core.notices import notice_sources
        from haicap.reports import history  # noqa: F401  (registers the append-only tables)
        from haicap.reports.briefing_sections import REPORTS
        from haicap.reports.measures import MEASURES
        from haicap.reports.notices import REPORT_NOTICES

        notice_sources.register(REPORT_NOTICES)  # reminders and decisions on the desk
        for measure in MEASURES:  # what a directive's target can be bound to
            measures.register(measure)
        pack_sections.register(REPORTS)  # the briefing pack's reports, difficulties, proposals
