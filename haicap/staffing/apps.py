from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StaffingConfig(AppConfig):
    name = "haicap.staffing"
    label = "staffing"
    verbose_name = _("Staffing and secondments")

    def ready(self) -> None:
        from haicap.core.notices import notice_sources
        from haicap.staffing.notices import STAFFING_NOTICES

        notice_sources.register(STAFFING_NOTICES)
        from haicap.core.briefing import pack_sections
        from haicap.core.measures import measures
        from haicap.core.report_sources import report_sources
        from haicap.staffing.briefing_sections import STAFFING
        from haicap.staffing.measures import MEASURES
        from haicap.staffing.report_sources import SOURCES

        pack_sections.register(STAFFING)  # the briefing pack's staff and secondments
        for measure in MEASURES:  # what a directive's target can be bound to
            measures.register(measure)
        for source in SOURCES:  # what a commune report's cells are pre-filled from
            report_sources.register(source)
