from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExchangeConfig(AppConfig):
    name = "haicap.exchange"
    label = "exchange"
    verbose_name = _("Exchange with national systems")

    def ready(self) -> None:
        from haicap.dossiers import changes
        from haicap.exchange.services import on_dossier_change

        changes.listen(on_dossier_change)
