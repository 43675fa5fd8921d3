from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExchangeConfig(AppConfig):
    name = "haicap.exchange"
    label = "exchange"
    verbose_name = _("Exchange with national systems")

    def ready(self) -> None:
        from haicap.core.service_index import index_inputs
        from haicap.dossiers import changes
        from haicap.exchange.index import STATUS_SYNCED
        from haicap.exchange.services import on_dossier_change

        changes.listen(on_dossier_change)
        index_inputs.register(STATUS_SYNCED)  # Decision 766's publicity group, in part
