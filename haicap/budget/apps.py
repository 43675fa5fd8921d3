from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BudgetConfig(AppConfig):
    name = "haicap.budget"
    label = "budget"
    verbose_name = _("Public-investment capital")

    def ready(self) -> None:
        from haicap.budget import history  # noqa: F401  (registers the append-only ledger)
