from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DossiersConfig(AppConfig):
    name = "haicap.dossiers"
    label = "dossiers"
    verbose_name = _("Dossiers")

    def ready(self) -> None:
        from haicap.core.measures import measures
        from haicap.core.notices import notice_sources
        from haicap.core.service_index import index_inputs
        from haicap.dossiers.index import INPUTS
        from haicap.dossiers.measures import MEASURES
        from haicap.dossiers.notices import DOSSIER_NOTICES

        for measure in MEASURES:  # the desk's intake figures a directive's target can use
            measures.register(measure)
        notice_sources.register(DOSSIER_NOTICES)
        for index_input in INPUTS:  # Decision 766's digitisation group (MDSH)
            index_inputs.register(index_input)
