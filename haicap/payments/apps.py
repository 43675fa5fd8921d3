from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PaymentsConfig(AppConfig):
    name = "haicap.payments"
    label = "payments"
    verbose_name = _("Online payment of fees and charges")

    def ready(self) -> None:
        from haicap.core.service_index import index_inputs
        from haicap.payments.index import PAID_ONLINE_RATE

        index_inputs.register(PAID_ONLINE_RATE)  # Decision 766's online-payment group
