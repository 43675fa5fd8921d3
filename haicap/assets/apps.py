from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssetsConfig(AppConfig):
    name = "haicap.assets"
    label = "assets"
    verbose_name = _("Offices and public assets")

    def ready(self) -> None:
        from haicap.assets import history  # noqa: F401  (registers the append-only tables)
        from haicap.assets.briefing_sections import ASSETS
        from haicap.assets.measures import MEASURES
        from haicap.assets.report_sources import SOURCES
        from haicap.core.briefing import pack_sections
        from haicap.core.measures import measures
        from haicap.core.report_sources import report_sources

        pack_sections.register(ASSETS)  # the briefing pack's offices and equipment
        for measure in MEASURES:  # equipment gaps a directive's target can be bound to
            measures.register(measure)
        for source in SOURCES:  # what a commune report's cells are pre-filled from
            report_sources.register(source)
