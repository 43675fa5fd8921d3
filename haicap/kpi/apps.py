from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class KpiConfig(AppConfig):
    name = "haicap.kpi"
    verbose_name = _("Service indicators")

    def ready(self) -> None:
        from haicap.dossiers import changes
        from haicap.kpi.services import on_dossier_change

        changes.listen(on_dossier_change)
