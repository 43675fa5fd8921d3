from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FeedbackConfig(AppConfig):
    name = "haicap.feedback"
    label = "feedback"
    verbose_name = _("Feedback, petitions and satisfaction")

    def ready(self) -> None:
        from haicap.core.briefing import pack_sections
        from haicap.core.measures import measures
        from haicap.core.notices import notice_sources
        from haicap.core.report_sources import report_sources
        from haicap.core.service_index import index_inputs
        from haicap.feedback import history  # noqa: F401  (registers the append-only events)
        from haicap.feedback.briefing_sections import FEEDBACK
        from haicap.feedback.index import INPUTS
        from haicap.feedback.measures import MEASURES
        from haicap.feedback.notices import PETITION_NOTICES
        from haicap.feedback.report_sources import SOURCES

        notice_sources.register(PETITION_NOTICES)
        for index_input in INPUTS:  # Decision 766's satisfaction group (MDHL)
            index_inputs.register(index_input)
        for measure in MEASURES:  # what a directive's target can be bound to
            measures.register(measure)
        pack_sections.register(FEEDBACK)  # the briefing pack's petitions and satisfaction
        for source in SOURCES:  # what a commune report's cells are pre-filled from
            report_sources.register(source)
