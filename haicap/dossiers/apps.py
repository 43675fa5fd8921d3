from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DossiersConfig(AppConfig):
    name = "haicap.dossiers"
    label = "dossiers"
    verbose_name = _("Dossiers")

    def ready(self) -> None:
        from haicap.core.notices import notice_sources
        from haicap.dossiers.notices import DOSSIER_NOTICES

        notice_sources.register(DOSSIER_NOTICES)
