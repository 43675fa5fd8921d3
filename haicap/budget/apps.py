from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BudgetConfig(AppConfig):
    name = "haicap.budget"
    label = "budget"
    verbose_name = _("Public-investment capital")

    def ready(self) -> None:
        from haicap.budget import history  # noqa: F401  (registers the append-only ledger)
        from haicap.budget.briefing_sections import CAPITAL
        from haicap.budget.measures import MEASURES
        from haicap.budget.report_sources import SOURCES
        from haicap.core.briefing import pack_sections
        from haicap.core.measures import measures
        from haicap.core.report_sources import report_sources

        pack_sections.register(CAPITAL)  # the briefing pack's capital section
        for measure in MEASURES:  # the disbursement rate a directive's target can be bound to
            measures.register(measure)
        for source in SOURCES:  # what a commune report's cells are pre-filled from
            report_sources.register(source)
