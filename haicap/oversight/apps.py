from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OversightConfig(AppConfig):
    name = "haicap.oversight"
    label = "oversight"
    verbose_name = _("Working groups and directives")

    def ready(self) -> None:
        from haicap.core.briefing import pack_sections
        from haicap.core.notices import notice_sources
        from haicap.oversight import briefing_sections, history  # noqa: F401  (registers the table)
        from haicap.oversight.notices import DIRECTIVE_NOTICES

        pack_sections.register(briefing_sections.INDICATORS)
        pack_sections.register(briefing_sections.DIRECTIVES)
        notice_sources.register(DIRECTIVE_NOTICES)
